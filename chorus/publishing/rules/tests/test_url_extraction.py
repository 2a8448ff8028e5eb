"""URL extraction against twitter-text's conformance suite (extract.yml, tlds.yml)."""

from __future__ import annotations

import pytest

from chorus.publishing.rules.measure import utf16_offsets
from chorus.publishing.rules.tests.conformance import cases
from chorus.publishing.rules.urls import PathRules, extract_urls

EXTRACT = "twitter-text/conformance/extract.yml"
TLDS = "twitter-text/conformance/tlds.yml"


def _urls(text):
    return [url.url for url in extract_urls(text)]


def _with_utf16_indices(text):
    offsets = utf16_offsets(text)
    return [
        {"url": url.url, "indices": [offsets[url.start], offsets[url.end]]}
        for url in extract_urls(text)
    ]


@pytest.mark.parametrize("case", cases(EXTRACT, "tests", "urls"))
def test_it_extracts_urls_like_twitter_text(case):
    assert _urls(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases(EXTRACT, "tests", "tco_urls_with_params"))
def test_it_extracts_tco_urls_with_their_query(case):
    assert _urls(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases(EXTRACT, "tests", "urls_with_indices"))
def test_it_reports_url_positions_like_twitter_text(case):
    assert _with_utf16_indices(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases(EXTRACT, "tests", "urls_with_directional_markers"))
def test_it_extracts_urls_between_directional_markers(case):
    assert _with_utf16_indices(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases(TLDS, "tests", "country") + cases(TLDS, "tests", "generic"))
def test_it_knows_every_top_level_domain(case):
    assert _urls(case["text"]) == case["expected"]


def test_it_reports_code_point_offsets():
    text = "😀 https://example.com"
    (url,) = extract_urls(text)
    assert (url.start, url.end) == (2, len(text))


def test_it_needs_a_scheme_when_asked_to():
    assert extract_urls("see example.com", without_scheme=False) == []
    assert _urls("see example.com") == ["example.com"]


def test_it_takes_mastodon_paths_in_any_script():
    text = "https://example.com/ສະບາຍດີ?x=1 ok"
    assert [url.url for url in extract_urls(text, rules=PathRules.MASTODON)] == [
        "https://example.com/ສະບາຍດີ?x=1"
    ]
    assert _urls(text) == ["https://example.com/"]


def test_it_ships_the_tld_list_generated_from_twitter_text():
    from pathlib import Path

    from chorus.publishing.rules import build_tld_data
    from chorus.publishing.rules.tests.conformance import load_yaml

    source = load_yaml("twitter-text/conformance/tld_lib.yml")
    generated = Path(build_tld_data.__file__).with_name("tld_data.py").read_text(encoding="utf-8")
    assert generated == build_tld_data.render(source["country"], source["generic"])
