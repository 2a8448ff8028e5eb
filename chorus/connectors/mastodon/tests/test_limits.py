"""The limits an instance announced reach the composer's checks."""

from __future__ import annotations

from typing import Any

import pytest

from chorus.connectors.mastodon.instance import summary
from chorus.connectors.mastodon.limits import instance_limits
from chorus.connectors.mastodon.tests.conftest import recorded_instance
from chorus.media.models import MediaAsset, MediaKind
from chorus.orgs.models import SocialAccount
from chorus.publishing.compose.checks import check_post
from chorus.publishing.compose.inputs import MediaInput, PostInput

pytestmark = pytest.mark.django_db


def _account(
    tenants: Any, name: str, *, max_characters: int, image_size_limit: int
) -> SocialAccount:
    data = recorded_instance()
    data["configuration"]["statuses"]["max_characters"] = max_characters
    data["configuration"]["media_attachments"]["image_size_limit"] = image_size_limit
    return SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="mastodon",
        remote_id=f"1@{name}",
        handle=f"@me@{name}",
        credentials={
            "instance_url": f"https://{name}",
            "access_token": "t",
            "instance": summary(data, f"https://{name}"),
        },
    )


def test_a_600_character_post_fits_a_1000_character_instance_only(tenants) -> None:
    roomy = _account(tenants, "roomy.example", max_characters=1000, image_size_limit=16_777_216)
    strict = _account(tenants, "strict.example", max_characters=500, image_size_limit=16_777_216)
    data = PostInput(text="a" * 600)
    fits = check_post(data, [roomy], {})
    assert fits.ok and fits.counters[0].limit == 1000
    refused = check_post(data, [strict], {})
    assert [(p.field, p.code) for p in refused.problems] == [("text", "too_long")]
    assert refused.counters[0].limit == 500


def test_a_post_for_two_instances_is_held_to_the_stricter_one(tenants) -> None:
    roomy = _account(tenants, "roomy.example", max_characters=1000, image_size_limit=16_777_216)
    strict = _account(tenants, "strict.example", max_characters=500, image_size_limit=16_777_216)
    for order in ([roomy, strict], [strict, roomy]):
        report = check_post(PostInput(text="a" * 600), order, {})
        assert [(p.field, p.code) for p in report.problems] == [("text", "too_long")]


def test_media_is_checked_against_the_instance_sizes(tenants) -> None:
    big = _account(tenants, "big.example", max_characters=500, image_size_limit=40_000_000)
    small = _account(tenants, "small.example", max_characters=500, image_size_limit=8_000_000)
    photo = MediaAsset(
        kind=MediaKind.IMAGE,
        mime_type="image/jpeg",
        size_bytes=20_000_000,
        width=2000,
        height=1500,
        alt_text="A harbour at dusk",
    )
    data = PostInput(text="Look", media=[MediaInput(asset_id=1)])
    assert check_post(data, [big], {1: photo}).ok
    problems = check_post(data, [small], {1: photo}).problems
    assert problems and all(p.field == "media" for p in problems)


def test_instance_limits_are_read_from_the_stored_configuration(tenants) -> None:
    account = _account(tenants, "x.example", max_characters=500, image_size_limit=1234)
    limits = instance_limits(account)
    assert limits is not None and limits.image_size_limit == 1234
    assert limits.description_limit == 10000  # the recorded instance's own figure
    account.credentials = {"access_token": "t"}
    assert instance_limits(account) is None
