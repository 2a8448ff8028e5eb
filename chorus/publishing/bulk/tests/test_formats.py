"""Reading each format into rows, including what spreadsheets do to files."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from chorus.publishing.bulk import formats
from chorus.publishing.bulk.rows import DateOrder, Encoding, Format
from chorus.publishing.bulk.tests.helpers import upload

# The example row of the conformance notes (bulk_csv_formats.md §1), built from the
# indextokyo example value: column A date+time, B message, C link.
CONFORMANCE_ROW = "05/13/2016 19:00,Message text,https://example.com"


def test_it_reads_the_hootsuite_example_row() -> None:
    parsed = formats.parse(upload(CONFORMANCE_ROW + "\r\n"))
    assert parsed.format == Format.HOOTSUITE
    [row] = parsed.rows
    assert (row.number, row.local, row.text, row.link) == (
        1,
        datetime(2016, 5, 13, 19, 0),
        "Message text",
        "https://example.com",
    )
    assert row.issues == [] and parsed.issues == []


def test_the_link_is_optional_and_excel_leading_zeros_may_be_missing() -> None:
    parsed = formats.parse(upload("5/3/2030 9:05,Hello\n5/4/2030 17:30,World,\n"))
    assert [(r.local, r.text, r.link) for r in parsed.rows] == [
        (datetime(2030, 5, 3, 9, 5), "Hello", ""),
        (datetime(2030, 5, 4, 17, 30), "World", ""),
    ]


def test_the_date_order_chosen_at_upload_is_used() -> None:
    dmy = formats.parse(upload("13/05/2030 19:00,Hi", order=DateOrder.DMY))
    ymd = formats.parse(upload("2030-05-13 19:00,Hi", order=DateOrder.YMD))
    assert dmy.rows[0].local == ymd.rows[0].local == datetime(2030, 5, 13, 19, 0)


def test_a_day_first_file_read_month_first_says_which_format_to_choose() -> None:
    parsed = formats.parse(upload("13/05/2030 19:00,Hi"))
    [issue] = parsed.rows[0].issues
    assert (issue.row, issue.field, issue.column, issue.code) == (1, "date", "A", "invalid_date")
    assert "DD/MM/YYYY" in issue.message


def test_a_header_row_blank_rows_and_empty_trailing_columns_are_tolerated() -> None:
    text = "Date (MM/DD/YYYY hh:mm),Message,Link,,\n\n05/13/2030 19:00,Hi,,,\n,,\n"
    parsed = formats.parse(upload(text))
    assert [(i.row, i.code, i.severity) for i in parsed.issues] == [
        (1, "header_skipped", "warning")
    ]
    [row] = parsed.rows
    assert row.number == 3 and row.issues == []


def test_a_hootsuite_header_naming_a_text_column_is_still_hootsuite() -> None:
    parsed = formats.parse(upload("Date,Text,Link\n05/13/2030 19:00,Hi,\n"))
    assert parsed.format == Format.HOOTSUITE
    assert parsed.rows[0].text == "Hi"


def test_excel_files_with_a_bom_and_semicolons_are_read() -> None:
    content = "\ufeff05/13/2030 19:00;Grüße, Welt;https://example.com/a\r\n".encode()
    [row] = formats.parse(upload(content)).rows
    assert (row.text, row.link) == ("Grüße, Welt", "https://example.com/a")


def test_quoted_cells_keep_commas_quotes_and_line_breaks() -> None:
    text = '05/13/2030 19:00,"Line one, with ""quotes""\nline two",\n'
    [row] = formats.parse(upload(text)).rows
    assert row.text == 'Line one, with "quotes"\nline two'


def test_windows_1252_is_read_only_when_chosen() -> None:
    content = "05/13/2030 19:00,Café – déjà vu\n".encode("cp1252")
    refused = formats.parse(upload(content))
    [issue] = refused.issues
    assert issue.code == "invalid_encoding" and "line 1" in issue.message
    accepted = formats.parse(upload(content, encoding=Encoding.WINDOWS_1252))
    assert accepted.rows[0].text == "Café – déjà vu"


def test_utf16_with_a_bom_is_read() -> None:
    content = "05/13/2030 19:00\tສະບາຍດີ\thttps://example.com\n".encode("utf-16")
    [row] = formats.parse(upload(content)).rows
    assert row.text == "ສະບາຍດີ"


def test_a_chorus_csv_is_detected_by_its_header_and_read_fully() -> None:
    header = (
        "scheduled_at,time_zone,accounts,text,link,first_comment,thread,media_urls,"
        "media_alt_texts,tags,campaign,evergreen,recurrence,network_text_x,"
        "network_options_mastodon,network_thread_bluesky"
    )
    line = (
        "2030-05-13 19:00,Europe/Berlin,x:@acme|12,Hello,https://example.com,First!,"
        '"Part two\n---\nPart three",https://example.com/a.png|sha256:'
        + "ab"
        * 32
        + ',"A red square\n---\n",launch|spring,Q1,yes,FREQ=WEEKLY,Short for X,'
        '"{""visibility"": ""unlisted""}","Sky two\n---\nSky three"'
    )
    parsed = formats.parse(upload(header + "\n" + line + "\n"))
    assert parsed.format == Format.CSV and parsed.issues == []
    [row] = parsed.rows
    assert row.number == 2 and row.issues == []
    assert (row.local, row.time_zone) == (datetime(2030, 5, 13, 19), "Europe/Berlin")
    assert row.accounts == ["x:@acme", "12"]
    assert row.thread == ["Part two", "Part three"]
    assert [(m.source[:7], m.alt_text) for m in row.media] == [
        ("https:/", "A red square"),
        ("sha256:", ""),
    ]
    assert (row.tags, row.campaign, row.evergreen, row.recurrence) == (
        ["launch", "spring"],
        "Q1",
        True,
        "FREQ=WEEKLY",
    )
    assert row.variants["x"].text == "Short for X"
    assert row.variants["mastodon"].options == {"visibility": "unlisted"}
    assert row.variants["bluesky"].thread == ["Sky two", "Sky three"]


def test_an_offset_after_the_time_is_kept_to_pick_the_instant() -> None:
    text = "scheduled_at,text\n2030-10-27 02:30+01:00,Hi\n2030-10-27T02:30:00Z,Hi\n"
    rows = formats.parse(upload(text)).rows
    assert [r.offset for r in rows] == [timedelta(hours=1), timedelta(0)]


def test_chorus_csv_header_problems_are_named() -> None:
    text = "text,Text,notes,network_text_twitter\nHi,Hi,x,y\n"
    parsed = formats.parse(upload(text))
    assert [(i.row, i.field, i.column, i.code, i.severity) for i in parsed.issues] == [
        (1, "text", "B", "duplicate_column", "error"),
        (1, "notes", "C", "unknown_column", "warning"),
        (1, "network_text_twitter", "D", "unknown_network_column", "error"),
    ]


def test_the_chorus_json_format_is_read_with_variants_as_objects() -> None:
    posts = [
        {
            "scheduled_at": "2030-05-13 19:00",
            "accounts": ["x:@acme", 7],
            "text": "Hi",
            "thread": ["two"],
            "media": [{"url": "https://example.com/a.png", "alt_text": "A"}],
            "tags": ["t"],
            "campaign": "Q1",
            "variants": [{"network": "x", "text": "Hi X", "options": {"reply_settings": "all"}}],
        }
    ]
    parsed = formats.parse(upload(json.dumps(posts)))
    assert parsed.format == Format.JSON
    [row] = parsed.rows
    assert row.accounts == ["x:@acme", "7"] and row.thread == ["two"]
    assert row.variants["x"].text == "Hi X" and row.media[0].alt_text == "A"
    wrapped = formats.parse(upload(json.dumps({"posts": posts})))
    assert wrapped.rows[0].text == "Hi"


def test_json_items_of_the_wrong_shape_name_the_item_and_the_field() -> None:
    posts = [{"text": "ok"}, {"text": 5, "tagz": []}, "nonsense"]
    parsed = formats.parse(upload(json.dumps(posts)))
    issues = [(i.row, i.field, i.code) for r in parsed.rows for i in r.issues]
    assert issues == [
        (2, "text", "string_type"),
        (2, "tagz", "extra_forbidden"),
        (3, "", "model_attributes_type"),
    ]


def test_broken_json_names_the_line_and_column() -> None:
    parsed = formats.parse(upload('[{"text": "a"},\n {"text": }]', fmt=Format.JSON))
    [issue] = parsed.issues
    assert issue.code == "invalid_json" and "line 2" in issue.message
