"""Appending UTM parameters never breaks a URL: properties over generated URLs, plus the
cases people actually paste."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.links.utm import (
    PLACEHOLDERS,
    UTM_KEYS,
    TemplateError,
    append_utm,
    check_template,
    is_web_url,
    render_template,
    utm_params,
)

# Derandomized: a failure reproduces on every run and machine.
PROPERTY = settings(derandomize=True, database=None, max_examples=300)
PARAMS = {"utm_source": "mastodon", "utm_medium": "social", "utm_campaign": "spring sale"}

# URL parts, generated as text that is already valid in each position.
_UNRESERVED = st.sampled_from("abcXYZ019-._~")
_ENCODED = st.sampled_from(["%20", "%2B", "%26", "%3D", "%E0%BA%A5", "+", "%25"])
_QUERY_CHARS = st.one_of(_UNRESERVED, _ENCODED, st.sampled_from("/?:@!$'()*,;"))
_WORD = st.lists(_QUERY_CHARS, max_size=8).map("".join)
_KEY = st.one_of(_WORD, st.sampled_from(["utm_source", "utm_medium", "utm%5Fterm", "a", "a"]))
_PAIR = st.one_of(
    st.tuples(_KEY, _WORD).map(lambda kv: f"{kv[0]}={kv[1]}"),
    _KEY,  # a key without "="
    st.just(""),  # "a=1&&b=2"
)
_QUERY = st.one_of(st.none(), st.lists(_PAIR, max_size=6).map("&".join))
_HOST = st.sampled_from(
    [
        "example.com",
        "EXAMPLE.com:8080",
        "bücher.de",
        "ສະບາຍດີ.ລາວ",
        "xn--mgbh0fb.xn--kgbechtv",
        "[::1]",
        "user:pw@example.org",
    ]
)
_SEGMENT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), blacklist_characters="?#/"
    ),
    max_size=6,
)
_PATH = st.lists(_SEGMENT, max_size=4).map(lambda parts: "/" + "/".join(parts) if parts else "")
_FRAGMENT = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), max_size=10),
)
_SCHEME = st.sampled_from(["http://", "https://", "HTTPS://", "//", ""])


@st.composite
def urls(draw: st.DrawFn) -> tuple[str, str, str | None, str | None]:
    """(url, the part before the query, query or None, fragment or None)."""
    scheme, host = draw(_SCHEME), draw(_HOST)
    if not scheme and "@" in host:
        # "user:pw@example.org" without a scheme reads as the scheme "user:"; such a link
        # is left alone (see test_it_leaves_other_links_alone).
        scheme = "https://"
    head = scheme + host + draw(_PATH)
    query, fragment = draw(_QUERY), draw(_FRAGMENT)
    url = head + (f"?{query}" if query is not None else "")
    url += f"#{fragment}" if fragment is not None else ""
    return url, head, query, fragment


_VALUES = st.dictionaries(
    st.sampled_from(UTM_KEYS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
)


def _query_of(result: str) -> str:
    return result.partition("#")[0].partition("?")[2]


@PROPERTY
@given(urls(), _VALUES)
def test_it_keeps_everything_the_url_had(parts, values):
    url, head, query, fragment = parts
    result = append_utm(url, values)
    assert result.startswith(head)
    if fragment is not None:
        assert result.endswith("#" + fragment)
        assert result.count("#") == url.count("#")
    else:
        assert "#" not in result[len(head) :]
    if query:
        # The original query, its order, repeats and encoding, is a prefix of the new one.
        assert _query_of(result).startswith(query.rstrip("&"))


@PROPERTY
@given(urls(), _VALUES)
def test_added_values_decode_to_exactly_what_was_asked_for(parts, values):
    url, _head, query, _fragment = parts
    original_keys = {pair[0] for pair in parse_qsl(query or "", keep_blank_values=True)}
    result = append_utm(url, values)
    added = _query_of(result)[len(query or "") :].lstrip("&")
    decoded = dict(parse_qsl(added, keep_blank_values=True))
    expected = {k: v for k, v in values.items() if k not in original_keys}
    # parse_qsl turns "+" into a space; the values are encoded with %20 and %2B instead.
    assert decoded == expected


@PROPERTY
@given(urls(), _VALUES)
def test_existing_parameters_win_and_a_second_pass_changes_nothing(parts, values):
    url, _head, query, _fragment = parts
    once = append_utm(url, values)
    assert append_utm(once, values) == once
    before = parse_qsl(query or "", keep_blank_values=True)
    after = parse_qsl(_query_of(once), keep_blank_values=True)
    for key in UTM_KEYS:
        old = [v for k, v in before if k == key]
        if old:
            assert [v for k, v in after if k == key] == old


@PROPERTY
@given(urls(), _VALUES)
def test_replacing_existing_leaves_one_value_per_key(parts, values):
    url, *_ = parts
    result = append_utm(url, values, replace_existing=True)
    pairs = parse_qsl(_query_of(result), keep_blank_values=True)
    for key, value in values.items():
        assert [v for k, v in pairs if k == key] == [value]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.com/page#section-2",
            "https://example.com/page?utm_source=mastodon&utm_medium=social"
            "&utm_campaign=spring%20sale#section-2",
        ),
        (
            "https://example.com/?a=1&b=x%20y&a=2",
            "https://example.com/?a=1&b=x%20y&a=2&utm_source=mastodon&utm_medium=social"
            "&utm_campaign=spring%20sale",
        ),
        (
            "https://example.com/?utm_source=newsletter&q=1",
            "https://example.com/?utm_source=newsletter&q=1&utm_medium=social"
            "&utm_campaign=spring%20sale",
        ),
        (
            "https://example.com/ສະບາຍດີ/ໜ້າ?x=ລາວ",
            "https://example.com/ສະບາຍດີ/ໜ້າ?x=ລາວ&utm_source=mastodon&utm_medium=social"
            "&utm_campaign=spring%20sale",
        ),
        (
            "https://ສະບາຍດີ.ລາວ/",
            "https://ສະບາຍດີ.ລາວ/?utm_source=mastodon&utm_medium=social&utm_campaign=spring%20sale",
        ),
        (
            "https://example.com/app#/route?tab=2",
            "https://example.com/app?utm_source=mastodon&utm_medium=social"
            "&utm_campaign=spring%20sale#/route?tab=2",
        ),
        (
            "https://example.com/?#",
            "https://example.com/?utm_source=mastodon&utm_medium=social"
            "&utm_campaign=spring%20sale#",
        ),
        (
            "https://example.com/?a=1&",
            "https://example.com/?a=1&utm_source=mastodon&utm_medium=social"
            "&utm_campaign=spring%20sale",
        ),
        (
            "example.com/shop",
            "example.com/shop?utm_source=mastodon&utm_medium=social&utm_campaign=spring%20sale",
        ),
    ],
)
def test_cases_people_paste(url, expected):
    assert append_utm(url, PARAMS) == expected


@pytest.mark.parametrize(
    "url",
    [
        "mailto:hello@example.com?subject=Hi",
        "tel:+85621000000",
        "tel:5551234",
        "javascript:alert(1)",
        "ftp://files.example.com/a.zip",
        "sms:+85620000000",
        "localhost:8000/x",
        "user:pw@example.org/",
        "",
        "   ",
    ],
)
def test_it_leaves_other_links_alone(url):
    assert not is_web_url(url)
    assert append_utm(url, PARAMS) == url


def test_it_adds_nothing_when_every_value_is_empty():
    url = "https://example.com/?a=1"
    assert append_utm(url, {"utm_source": "", "utm_medium": ""}) == url


def test_values_are_encoded_once_and_stay_readable_after_decoding():
    result = append_utm("https://example.com/", {"utm_campaign": "50% off & more=ສະບາຍດີ"})
    assert result == (
        "https://example.com/?utm_campaign=50%25%20off%20%26%20more%3D"
        "%E0%BA%AA%E0%BA%B0%E0%BA%9A%E0%BA%B2%E0%BA%8D%E0%BA%94%E0%BA%B5"
    )
    assert dict(parse_qsl(result.partition("?")[2])) == {"utm_campaign": "50% off & more=ສະບາຍດີ"}


def test_an_encoded_utm_key_counts_as_present():
    url = "https://example.com/?utm%5Fsource=partner"
    assert append_utm(url, {"utm_source": "mastodon"}) == url


# Templates -------------------------------------------------------------------------


def test_it_renders_every_placeholder():
    values = {name: name.upper() for name in PLACEHOLDERS}
    template = "-".join(f"{{{name}}}" for name in PLACEHOLDERS)
    assert render_template(template, values) == "NETWORK-ACCOUNT-CAMPAIGN-POST_ID-WORKSPACE"


def test_literal_braces_and_missing_values():
    assert render_template("{{x}} {network}", {}) == "{x}"
    assert render_template("  {campaign}  ", {"campaign": ""}) == ""


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("{netwrk}", "netwrk"),
        ("{}", "{}"),
        ("{0}", "{0}"),
        ("{network.__class__}", "network.__class__"),
        ("{network[0]}", "network[0]"),
        ("{network!r}", "without a format"),
        ("{network:>10}", "without a format"),
        ("{network", "not closed"),
        ("network}", "not closed"),
        ("x" * 201, "200"),
    ],
)
def test_it_refuses_bad_templates_saying_why(template, fragment):
    with pytest.raises(TemplateError) as caught:
        check_template(template)
    assert fragment in str(caught.value)


@PROPERTY
@given(st.text(max_size=40))
def test_checking_any_text_either_passes_or_explains(template):
    try:
        check_template(template)
    except TemplateError as exc:
        assert str(exc)
    else:
        render_template(template, {name: "v" for name in PLACEHOLDERS})


def test_utm_params_renders_a_preset():
    templates = {"utm_source": "{network}", "utm_medium": "social", "utm_content": "post-{post_id}"}
    params = utm_params(templates, {"network": "bluesky", "post_id": "42"})
    assert params == {
        "utm_source": "bluesky",
        "utm_medium": "social",
        "utm_campaign": "",
        "utm_term": "",
        "utm_content": "post-42",
    }
