"""Properties of thread splitting, over generated multilingual text.

For any text: every part passes its network's counter (numbering included), the parts
give back the text in order with only whitespace lost at the cuts, and no cut falls inside
a grapheme cluster, a URL, a mention or a hashtag.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorus.publishing.rules import Network, UnsplittableTextError, split_thread
from chorus.publishing.rules.measure import grapheme_spans
from chorus.publishing.rules.splitting import protected_spans
from chorus.publishing.rules.tests.splitting_support import (
    COUNTERS,
    assert_cuts_are_clean,
    assert_parts_fit,
    assert_reconstructs,
)

WORDS = st.sampled_from(
    [
        "publish",
        "everywhere",
        "Chorus",
        "schedule",
        "e.g.",
        "Mr.",
        "don't",
        "co-op",
        "ສະບາຍດີ",
        "ຂ້ອຍຮັກພາສາລາວຫຼາຍ",
        "ກີ່",
        "ປະເທດລາວ",  # Lao, no spaces inside
        "สวัสดีครับทุกคน",
        "ภาษาไทย",
        "ที่",  # Thai
        "故人西辞黄鹤楼",
        "烟花三月下扬州。",
        "日本語のテキスト",
        "한국어",  # CJK
        "नमस्ते",
        "क्षि",
        "é",
        "e\u0301",
        "ﬁ",  # Devanagari conjuncts, combining marks
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # family
        "\U0001f3f3\ufe0f\u200d\U0001f308",
        "\U0001f1f1\U0001f1e6",
        "\U0001f44d\U0001f3fd",
        "1\ufe0f\u20e3",
        "\u2764\ufe0f",
        "©",
        "#hashtag",
        "#ລາວ",
        "@alice.bsky.social",
        "@bob@mastodon.social",
        "$AAPL",
    ]
)
URLS = st.builds(
    lambda scheme, host, path: f"{scheme}{host}{path}",
    st.sampled_from(["https://", "http://", ""]),
    st.sampled_from(["example.com", "www.example.org", "bsky.app", "t.co", "ລາວ.la", "a.b.co.uk"]),
    st.text(alphabet="abcdefghij0123456789/-_.?=&#ສະ", max_size=60).map(
        lambda rest: "/" + rest if rest else ""
    ),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "", ". ", "! ", "? ", ", ", "\n", "\n\n", " — "])
TOKENS = st.one_of(WORDS, WORDS, WORDS, URLS)
# Drawing the length first makes long texts, which need several parts, common.
TEXTS = (
    st.integers(min_value=0, max_value=250)
    .flatmap(lambda size: st.lists(st.tuples(TOKENS, SEPARATORS), min_size=size, max_size=size))
    .map(lambda pairs: "".join(token + separator for token, separator in pairs))
)
NETWORKS = st.sampled_from([Network.X, Network.BLUESKY, Network.MASTODON, Network.THREADS])
SETTINGS = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=TEXTS, network=NETWORKS, numbering=st.booleans())
def test_it_splits_any_text_into_parts_that_fit_and_give_the_text_back(text, network, numbering):
    parts = split_thread(text, network, numbering=numbering)
    assert_parts_fit(network, parts)
    assert_reconstructs(text, parts, numbering=numbering)
    assert_cuts_are_clean(text, parts)


@SETTINGS
@given(text=TEXTS, limit=st.integers(min_value=120, max_value=600), warning=st.text(max_size=20))
def test_it_splits_for_any_mastodon_instance_limit(text, limit, warning):
    parts = split_thread(
        text, Network.MASTODON, mastodon_limit=limit, content_warning=warning, numbering=True
    )
    assert_parts_fit(Network.MASTODON, parts, limit=limit, content_warning=warning)
    assert_reconstructs(text, parts, numbering=True)


ANY_CHARACTER = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\ufffe\ufeff\uffff"
)


@SETTINGS
@given(text=st.text(alphabet=ANY_CHARACTER, max_size=1500), network=NETWORKS)
def test_it_cuts_arbitrary_unicode_or_names_the_piece_that_cannot_be_cut(text, network):
    try:
        parts = split_thread(text, network, numbering=True)
    except UnsplittableTextError as unsplittable:
        error = unsplittable.error
        piece = text[error.start : error.end]
        # Only one grapheme cluster or one protected span may be refused, and only when it
        # alone is too long.
        whole = [(s, e) for s, e in protected_spans(text) if (s, e) == (error.start, error.end)]
        assert whole or len(grapheme_spans(piece)) == 1
        assert not COUNTERS[network](piece).ok
        return
    assert_parts_fit(network, parts)
    assert_reconstructs(text, parts, numbering=True)
    assert_cuts_are_clean(text, parts)
