from __future__ import annotations

import pytest

from chorus.orgs.models import SocialAccount
from chorus.publishing.compose.checks import check_post
from chorus.publishing.compose.inputs import PostInput, VariantInput

pytestmark = pytest.mark.django_db


def _account(tenants, network: str, **credentials) -> SocialAccount:  # type: ignore[no-untyped-def]
    return SocialAccount.objects.create(
        workspace=tenants.workspace,
        network=network,
        remote_id=f"{network}-1",
        handle=f"@{network}",
        credentials=credentials or None,
    )


def _codes(report) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(p.field, p.code) for p in report.problems}


def test_a_thread_on_a_network_without_threads_is_refused(tenants) -> None:
    account = _account(tenants, "linkedin")
    data = PostInput(text="one", variants=[VariantInput("linkedin", thread=["two"])])
    assert ("variants.linkedin.thread", "threads_unsupported") in _codes(
        check_post(data, [account], {})
    )


def test_every_thread_part_is_counted_on_its_own(tenants) -> None:
    account = _account(tenants, "bluesky")
    data = PostInput(text="ok", variants=[VariantInput("bluesky", thread=["fine", "😀" * 301])])
    problems = check_post(data, [account], {}).problems
    assert [(p.field, p.code) for p in problems] == [("variants.bluesky.thread.2", "too_long")]


def test_mastodon_uses_the_instance_limit_and_the_content_warning(tenants) -> None:
    account = _account(tenants, "mastodon", instance={"max_characters": 20})
    data = PostInput(
        text="a" * 15, variants=[VariantInput("mastodon", options={"spoiler_text": "spoiler!"})]
    )
    report = check_post(data, [account], {})
    assert report.counters[0].limit == 20
    assert report.problems and report.problems[0].network == "mastodon"


def test_youtube_needs_a_title_and_instagram_needs_media(tenants) -> None:
    youtube, instagram = _account(tenants, "youtube"), _account(tenants, "instagram")
    codes = _codes(check_post(PostInput(text="Watch"), [youtube, instagram], {}))
    assert ("variants.youtube.options.title", "required") in codes
    assert any(field == "media" and code for field, code in codes)


def test_a_first_comment_where_the_network_has_none(tenants) -> None:
    tiktok = _account(tenants, "tiktok")
    codes = _codes(check_post(PostInput(text="Hi", first_comment="More"), [tiktok], {}))
    assert ("first_comment", "first_comment_unsupported") in codes


def test_no_accounts_and_no_content(tenants) -> None:
    assert ("accounts", "required") in _codes(check_post(PostInput(text="x"), [], {}))
    account = _account(tenants, "x")
    assert ("text", "required") in _codes(check_post(PostInput(text="  "), [account], {}))


def test_mastodon_counts_the_link_the_connector_appends(tenants) -> None:
    # Sent as text + "\n\n" + link; any URL counts as 23 characters, so 2 + 23 more.
    account = _account(tenants, "mastodon", instance={"max_characters": 500})
    link = "https://example.com/" + "a" * 100
    fits = check_post(PostInput(text="a" * 475, link=link), [account], {})
    assert fits.ok
    assert [(c.network, c.count) for c in fits.counters] == [("mastodon", 500)]
    over = check_post(PostInput(text="a" * 476, link=link), [account], {})
    assert [(p.field, p.code) for p in over.problems] == [("text", "too_long")]
    assert all(p.end is None or p.end <= 476 for p in over.problems)


def test_mastodon_does_not_count_a_link_already_in_the_text_twice(tenants) -> None:
    account = _account(tenants, "mastodon", instance={"max_characters": 500})
    link = "https://example.com/page"
    data = PostInput(text="a" * 470 + " " + link, link=link)
    report = check_post(data, [account], {})
    assert report.ok and report.counters[0].count == 494


def test_a_variants_own_link_is_counted_for_mastodon(tenants) -> None:
    account = _account(tenants, "mastodon", instance={"max_characters": 500})
    data = PostInput(
        text="a" * 476,
        variants=[VariantInput("mastodon", link="https://example.com/only-here")],
    )
    assert not check_post(data, [account], {}).ok
    # Only the first part carries the link.
    thread = PostInput(
        text="a" * 10,
        link="https://example.com/x",
        variants=[VariantInput("mastodon", thread=["b" * 500])],
    )
    assert check_post(thread, [account], {}).ok
