"""What a delivery hands the connector: each media file with its alt text and focus
point, as a copy fitted to the account's own Mastodon instance where the original is
too big for it."""

from __future__ import annotations

import pytest

from chorus.media import services as media_services
from chorus.media.models import MediaDerivative
from chorus.media.tests.files import noisy_jpeg, upload
from chorus.orgs.models import SocialAccount
from chorus.publishing.compose import service
from chorus.publishing.compose.inputs import MediaInput, PostInput
from chorus.publishing.delivery.outgoing import build
from chorus.publishing.models import Delivery, Post, PostMedia

pytestmark = pytest.mark.django_db


def _instance_account(tenants, handle: str, image_size_limit: int) -> SocialAccount:  # type: ignore[no-untyped-def]
    configuration = {"media_attachments": {"image_size_limit": image_size_limit}}
    return SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="mastodon",
        remote_id=f"{handle}@example.test",
        handle=handle,
        credentials={"access_token": "t", "instance": {"configuration": configuration}},
    )


def test_each_media_file_goes_out_with_its_focus_point(tenants) -> None:
    asset = tenants.media_asset.pk
    post = service.create_post(
        tenants.workspace,
        tenants.users["manager"],
        PostInput(
            text="Focused",
            account_ids=[tenants.account.pk],
            media=[MediaInput(asset, "Teal", focus=(-0.5, 0.25)), MediaInput(asset, "Plain")],
        ),
    )
    outgoing = build(post.deliveries.get())
    first, second = outgoing.parts[0].media
    assert (first.alt_text, first.focus) == ("Teal", (-0.5, 0.25))
    assert (second.alt_text, second.focus) == ("Plain", None)


def test_accounts_on_instances_with_different_limits_get_their_own_copies(tenants) -> None:
    photo = media_services.upload(
        tenants.workspace, tenants.users["owner"], upload(noisy_jpeg((1600, 1200)), "big.jpg")
    )
    roomy = _instance_account(tenants, "@roomy", photo.size_bytes - 1)
    tight = _instance_account(tenants, "@tight", photo.size_bytes // 3)
    twin = _instance_account(tenants, "@twin", photo.size_bytes - 1)
    # Written directly: the composer refuses a file too big for the strictest instance,
    # but an instance may lower its limits after a post was checked.
    post = Post.objects.create(workspace=tenants.workspace, text="Big")
    PostMedia.objects.create(post=post, asset=photo, alt_text="Noise", focus_x=0.0, focus_y=1.0)
    for account in (roomy, tight, twin):
        Delivery.objects.create(post=post, account=account, network="mastodon")
    sent = {
        d.account.handle: build(d).parts[0].media[0]
        for d in post.deliveries.select_related("account")
    }
    assert sent["@roomy"].size_bytes < photo.size_bytes
    assert sent["@tight"].size_bytes <= photo.size_bytes // 3 < sent["@roomy"].size_bytes
    assert sent["@twin"].size_bytes == sent["@roomy"].size_bytes
    assert all(m.focus == (0.0, 1.0) for m in sent.values())
    # Same limits share a copy; different limits have their own.
    assert MediaDerivative.objects.filter(asset=photo, network="mastodon").count() == 2
