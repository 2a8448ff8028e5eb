"""What the accounts page tells about stored credentials. The Bluesky session is a real
one, made by connecting to the local AT Protocol network."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.bluesky.tests import network
from chorus.connectors.mastodon.models import MastodonApp
from chorus.connectors.web.credential_state import (
    BlueskySession,
    bluesky_session,
    mastodon_scopes,
)
from chorus.orgs.models import SocialAccount

pytestmark = pytest.mark.django_db


def test_a_connected_bluesky_account_has_a_session_renewed_when_it_signed_in(tenants) -> None:
    person = network.create_account("state")
    before = timezone.now().replace(microsecond=0) - timedelta(seconds=1)
    account = connect_bluesky(
        tenants.users["manager"],
        tenants.workspace,
        identifier=person.handle,
        app_password=person.app_password,
        service_url=network.PDS,
    )

    session = bluesky_session(account)

    assert session is not None and session.stored
    assert session.renewed_at is not None and session.renewed_at >= before


def test_a_bluesky_account_without_a_session_says_so(tenants) -> None:
    account = SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="bluesky",
        remote_id="did:plc:nosession",
        handle="nosession.test",
        credentials={"did": "did:plc:nosession", "app_password": "aaaa-bbbb-cccc-dddd"},
    )
    assert bluesky_session(account) == BlueskySession(stored=False, renewed_at=None)


def test_a_damaged_session_counts_as_stored_without_a_date(tenants) -> None:
    account = SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="bluesky",
        remote_id="did:plc:damaged",
        handle="damaged.test",
        credentials={"session": "not a session"},
    )
    assert bluesky_session(account) == BlueskySession(stored=True, renewed_at=None)


def test_accounts_without_credentials_or_of_other_networks_have_no_session(tenants) -> None:
    gone = SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="bluesky",
        remote_id="did:plc:gone",
        handle="gone.test",
        status=SocialAccount.Status.DISCONNECTED,
    )
    assert bluesky_session(gone) is None
    assert bluesky_session(tenants.account) is None


def test_mastodon_scopes_come_from_the_token_else_from_its_app(tenants) -> None:
    app = MastodonApp.objects.create(
        instance_url="https://social.example.test",
        redirect_uri="https://chorus.example.test/accounts/mastodon/callback/",
        client_id="id",
        client_secret="secret",
        scopes="profile read:statuses write:statuses write:media",
    )
    through_app = tenants.account
    SocialAccount.objects.filter(pk=through_app.pk).update(
        credentials={"access_token": "t", "app_id": app.pk}
    )
    through_app.refresh_from_db()
    granted = SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="mastodon",
        remote_id="7@social.example.test",
        handle="@granted",
        credentials={"access_token": "t", "app_id": app.pk, "scopes": "read write"},
    )
    gone = SocialAccount.objects.create(
        workspace=tenants.workspace, network="mastodon", remote_id="8@x.test", handle="@gone"
    )

    scopes = mastodon_scopes([through_app, granted, gone])

    assert scopes == {
        through_app.pk: ("profile", "read:statuses", "write:statuses", "write:media"),
        granted.pk: ("read", "write"),
    }
