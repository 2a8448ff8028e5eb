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
