"""Broken files: every structural problem is named with its row, and nothing ever raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorus.publishing.bulk import formats, service
from chorus.publishing.bulk.rows import DateOrder, Encoding, Format
from chorus.publishing.bulk.tests.helpers import codes, future, upload

WHEN = f"{future():%m/%d/%Y %H:%M}"


def _file_issues(text: str | bytes, **kw):  # type: ignore[no-untyped-def]
    parsed = formats.parse(upload(text, **kw))
    return [(i.row, i.code) for i in parsed.issues] + [
        (i.row, i.code) for r in parsed.rows for i in r.issues
    ]


def test_an_unclosed_quote_names_the_row_where_it_opens() -> None:
    text = f'{WHEN},Fine\n{WHEN},"Never closed\n{WHEN},Swallowed\n'
    assert _file_issues(text) == [(2, "unclosed_quote")]


def test_a_stray_quote_inside_a_quoted_cell_is_named() -> None:
    text = f'{WHEN},Fine\n{WHEN},"Half "quoted" cell",x\n'
    assert _file_issues(text) == [(2, "stray_quote")]


def test_a_huge_cell_is_refused_without_reading_further() -> None:
    text = f'{WHEN},Fine\n{WHEN},"{"x" * 200_000}"\n'
    assert _file_issues(text) == [(2, "cell_too_large")]


def test_a_row_with_too_many_columns_names_the_column() -> None:
    parsed = formats.parse(upload(f"{WHEN},Hello,https://example.com,surplus\n"))
    [issue] = parsed.rows[0].issues
    assert (issue.row, issue.column, issue.code) == (1, "D", "too_many_columns")


def test_a_chorus_row_wider_than_its_header_is_named() -> None:
    parsed = formats.parse(upload("text,link\nHello, world,https://example.com\n"))
    [issue] = parsed.rows[0].issues
    assert (issue.row, issue.column, issue.code) == (2, "C", "extra_cells")


def test_empty_and_binary_files_are_refused_clearly() -> None:
    assert _file_issues(b"") == [(None, "empty_file")]
    assert _file_issues(b"\x89PNG\r\n\x1a\n\x00\x00\xff") == [(None, "invalid_encoding")]


@pytest.mark.django_db
def test_nul_bytes_are_named_by_row_and_field(tenants) -> None:
    text = f"{WHEN},Hello\x00there,https://example.com/\x00\n"
    report = service.run(
        tenants.workspace,
        tenants.users["owner"],
        upload(text, account_ids=(tenants.account.pk,)),
        dry_run=True,
    )
    assert codes(report) == [(1, "message", "nul_character"), (1, "link", "nul_character")]


@pytest.mark.django_db
def test_too_many_rows_are_refused_as_a_whole(tenants) -> None:
    text = "".join(f"{WHEN},Post {i}\n" for i in range(10_001))
    report = service.run(
        tenants.workspace,
        tenants.users["owner"],
        upload(text, account_ids=(tenants.account.pk,)),
        dry_run=True,
    )
    assert (None, "file", "too_many_rows") in codes(report)
    assert not report.ok


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    content=st.one_of(
        st.binary(max_size=400),
        st.text(
            alphabet=st.sampled_from(list('",;\t\n\r\x00|-:/ 0123456789ab{}[]')), max_size=300
        ).map(str.encode),
    ),
    fmt=st.sampled_from(list(Format)),
    order=st.sampled_from(list(DateOrder)),
    encoding=st.sampled_from(list(Encoding)),
)
def test_no_file_makes_the_reader_raise(
    content: bytes, fmt: Format, order: DateOrder, encoding: Encoding
) -> None:
    parsed = formats.parse(upload(content, fmt=fmt, order=order, encoding=encoding))
    for issue in parsed.issues + [i for r in parsed.rows for i in r.issues]:
        assert issue.code and issue.message


@pytest.mark.django_db
def test_random_files_get_reports_not_exceptions(tenants) -> None:
    samples = [
        b'"',
        b"\x00\x00",
        b"{",
        b"[1, 2]",
        b'[{"accounts": [{}]}]',
        b"text\n\x00",
        b"scheduled_at\n2030-02-30 10:00",
        "05/13/2030 25:61,\u202e\n".encode(),
        b'{"posts": {"a": 1}}',
        b"[" * 5000 + b"]" * 5000,
        b"a;b;c\n" * 3,
    ]
    for content in samples:
        report = service.run(
            tenants.workspace,
            tenants.users["owner"],
            upload(content, account_ids=(tenants.account.pk,)),
            dry_run=True,
        )
        assert not report.ok and report.errors, content[:20]
