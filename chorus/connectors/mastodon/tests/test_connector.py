from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chorus.connectors.contract import Capability, Media, Outgoing, Part
from chorus.connectors.errors import (
    AuthError,
    Permanent,
    RateLimited,
    Retryable,
    UnknownOutcome,
)
from chorus.connectors.mastodon import client as client_module
from chorus.connectors.mastodon.connector import MastodonConnector
from chorus.connectors.mastodon.models import MastodonApp
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.orgs.models import SocialAccount

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _outgoing(
    *texts: str,
    media: Sequence[Media] = (),
    first_comment: str = "",
    link: str = "",
    **options: Any,
) -> Outgoing:
    parts = [Part(texts[0], tuple(media))] + [Part(t) for t in texts[1:]]
    return Outgoing(
        delivery_id=7,
        post_id=3,
        idempotency_key="delivery-7-key",
        parts=parts,
        link=link,
        first_comment=first_comment,
        options=options,
    )


def _media(mime: str = "image/png", name: str = "cat.png") -> Media:
    return Media(
        mime_type=mime,
        alt_text="A cat on a keyboard",
        size_bytes=len(PNG),
        open=lambda: io.BytesIO(PNG),
        name=name,
        focus=(0.5, -0.2),
    )


def test_it_declares_what_it_does() -> None:
    connector = MastodonConnector()
    assert connector.network == "mastodon" and connector.label == "Mastodon"
    for capability in (
        Capability.IDEMPOTENT,
        Capability.POLLS,
        Capability.CONTENT_WARNINGS,
        Capability.VISIBILITY,
        Capability.ALT_TEXT,
        Capability.DIRECT_MESSAGES,
        Capability.THREAD_READ,
        Capability.LISTENING_STREAM,
        Capability.LISTENING_SEARCH,
        Capability.INBOX,
        Capability.LOOKUP,
    ):
        assert capability in connector.capabilities
    assert connector.idempotency_window == 3600


@pytest.mark.django_db
def test_it_posts_text_with_an_idempotency_key(account, replay) -> None:
    replay.replay("test_toot", "POST /api/v1/statuses")
    published = MastodonConnector().publish(account, _outgoing("Toot!"), 0, None)
    assert published.remote_id == "117020585846976096"
    assert published.remote_url == f"{replay.url}/@mastodonpy_test/117020585846976096"
    sent = replay.requests_to("POST", "/api/v1/statuses")[0]
    assert sent.headers["idempotency-key"] == "delivery-7-key-0"
    assert sent.headers["authorization"] == "Bearer __MASTODON_PY_TEST_ACCESS_TOKEN"
    assert sent.form() == {"status": ["Toot!"], "sensitive": ["0"]}
    assert not replay.unexpected


@pytest.mark.django_db
def test_it_sends_content_warning_visibility_language_and_the_link(account, replay) -> None:
    replay.replay("test_status_post_Content_warning_unlisted", "POST /api/v1/statuses")
    MastodonConnector().publish(
        account,
        _outgoing(
            "Spoilers ahead",
            link="https://chorus.example/l/abc",
            spoiler_text="Content warning",
            visibility="unlisted",
            language="en",
            sensitive=True,
        ),
        0,
        None,
    )
    form = replay.requests_to("POST", "/api/v1/statuses")[0].form()
    assert form["status"] == ["Spoilers ahead\n\nhttps://chorus.example/l/abc"]
    assert form["spoiler_text"] == ["Content warning"]
    assert form["visibility"] == ["unlisted"]
    assert form["language"] == ["en"]
    assert form["sensitive"] == ["1"]
    assert "scheduled_at" not in form


@pytest.mark.django_db
def test_it_refuses_an_unknown_visibility(account, replay) -> None:
    with pytest.raises(Permanent, match="visibility"):
        MastodonConnector().publish(account, _outgoing("x", visibility="friends"), 0, None)
    assert not replay.received


@pytest.mark.django_db
def test_threads_and_first_comments_reply_to_the_previous_status(account, replay) -> None:
    replay.replay("test_status_reply", "POST /api/v1/statuses")
    connector = MastodonConnector()
    outgoing = _outgoing("Toot, finally!", "@mastodonpy_test_2 same!", first_comment="And more")
    first = connector.publish(account, outgoing, 0, None)
    second = connector.publish(account, outgoing, 1, first)
    connector.comment(account, outgoing, second)
    posts = replay.requests_to("POST", "/api/v1/statuses")
    assert "in_reply_to_id" not in posts[0].form()
    assert posts[1].form()["in_reply_to_id"] == [first.remote_id] == ["117020583245459824"]
    assert posts[2].form()["in_reply_to_id"] == [second.remote_id]
    assert posts[2].form()["status"] == ["And more"]
    keys = [p.headers["idempotency-key"] for p in posts]
    assert keys == ["delivery-7-key-0", "delivery-7-key-1", "delivery-7-key-comment"]


@pytest.mark.django_db
def test_it_posts_a_poll(account, replay) -> None:
    replay.replay("test_polls", "POST /api/v1/statuses")
    MastodonConnector().publish(
        account,
        _outgoing(
            "nice",
            poll_options="four twenty\nsixty-nine\n",
            poll_expires_in=300,
            poll_multiple=True,
        ),
        0,
        None,
    )
    body = replay.requests_to("POST", "/api/v1/statuses")[0].json()
    assert body["status"] == "nice"
    assert body["poll"] == {
        "options": ["four twenty", "sixty-nine"],
        "expires_in": 300,
        "multiple": True,
        "hide_totals": False,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"poll_options": "only one"}, "at least two"),
        ({"poll_options": "a\nb\nc\nd\ne"}, "at most 4 poll options"),
        ({"poll_options": "a\n" + "b" * 51}, "longer than the instance's 50"),
        ({"poll_options": "a\nb", "poll_expires_in": 60}, "between 300 and 2629746 seconds"),
        ({"poll_options": "a\nb", "poll_expires_in": "soon"}, "number of seconds"),
    ],
)
def test_polls_are_checked_against_the_instance_limits(account, replay, options, message) -> None:
    with pytest.raises(Permanent, match=message):
        MastodonConnector().publish(account, _outgoing("poll", **options), 0, None)
    assert not replay.received


@pytest.mark.django_db
def test_a_poll_and_media_cannot_go_together(account, replay) -> None:
    with pytest.raises(Permanent, match="both a poll and media"):
        MastodonConnector().publish(
            account, _outgoing("x", media=[_media()], poll_options="a\nb"), 0, None
        )


@pytest.mark.django_db
def test_it_uploads_images_with_alt_text_and_focus(account, replay) -> None:
    replay.replay("test_media_post_file")
    replay.replay("test_toot", "POST /api/v1/statuses")
    MastodonConnector().publish(account, _outgoing("Toot!", media=[_media()]), 0, None)
    upload = replay.requests_to("POST", "/api/v2/media")[0]
    assert upload.multipart_fields() == {"description": "A cat on a keyboard", "focus": "0.5,-0.2"}
    assert PNG in upload.body and b'filename="cat.png"' in upload.body
    form = replay.requests_to("POST", "/api/v1/statuses")[0].form()
    assert form["media_ids[]"] == ["117020576894251992"]
    assert not replay.requests_to("GET", "/api/v1/media/117020576894251992")


@pytest.mark.django_db
def test_it_waits_for_a_video_to_be_processed(account, replay) -> None:
    replay.replay("test_media_post_True")
    connector = MastodonConnector()
    connector.media_poll_seconds = 0
    connector.publish(
        account, _outgoing("LOL check this out", media=[_media("video/mp4", "cat.mp4")]), 0, None
    )
    assert len(replay.requests_to("GET", "/api/v1/media/117020575776246986")) == 1
    form = replay.requests_to("POST", "/api/v1/statuses")[0].form()
    assert form["media_ids[]"] == ["117020575776246986"]


@pytest.mark.django_db
def test_a_video_still_processing_at_the_deadline_is_retried_later(account, replay) -> None:
    serve(replay, "media_processing", "POST", "/api/v2/media", status=202)
    serve(replay, "media_processing", "GET", "/api/v1/media/22348641", status=206)
    connector = MastodonConnector()
    connector.media_poll_seconds = 0
    connector.media_deadline_seconds = 0
    with pytest.raises(Retryable, match="still processing"):
        connector.publish(account, _outgoing("x", media=[_media("video/mp4", "cat.mp4")]), 0, None)
    assert not replay.requests_to("POST", "/api/v1/statuses")


@pytest.mark.django_db
def test_a_refused_upload_names_the_file_and_the_reason(account, replay) -> None:
    serve(replay, "media_refused", "POST", "/api/v2/media", status=422)
    with pytest.raises(Permanent) as raised:
        MastodonConnector().publish(account, _outgoing("x", media=[_media()]), 0, None)
    assert raised.value.message == (
        "cat.png: Validation failed: File content type is invalid, File is invalid"
    )
    assert raised.value.code == "media_rejected"


@pytest.mark.django_db
def test_error_mapping(account, replay) -> None:
    connector = MastodonConnector()
    serve(replay, "invalid_token", "POST", "/api/v1/statuses", status=401)
    serve(replay, "too_long", "POST", "/api/v1/statuses", status=422)
    serve(replay, "rate_limited", "POST", "/api/v1/statuses", status=429)
    serve(replay, "unavailable", "POST", "/api/v1/statuses", status=503)
    replay.add(
        "POST", "/api/v1/statuses", status=403, json_body={"error": "This action is not allowed"}
    )

    with pytest.raises(AuthError, match="The access token is invalid"):
        connector.publish(account, _outgoing("x"), 0, None)
    with pytest.raises(Permanent) as refused:
        connector.publish(account, _outgoing("x"), 0, None)
    assert refused.value.message == "Validation failed: Text character limit of 500 exceeded"
    assert refused.value.status == 422
    with pytest.raises(RateLimited) as limited:
        connector.publish(account, _outgoing("x"), 0, None)
    # Mastodon.py shifts the reset by the gap between the server's clock and ours.
    assert limited.value.reset_at is not None
    assert abs(limited.value.reset_at - datetime(2030, 1, 1, 0, 5, tzinfo=UTC)) < timedelta(
        seconds=5
    )
    with pytest.raises(Retryable) as unavailable:
        connector.publish(account, _outgoing("x"), 0, None)
    assert not isinstance(unavailable.value, RateLimited) and unavailable.value.status == 503
    with pytest.raises(Permanent, match="not allowed"):
        connector.publish(account, _outgoing("x"), 0, None)


@pytest.mark.django_db
def test_an_unreachable_instance_is_retryable(account) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    account.credentials = {**account.credentials, "instance_url": f"http://127.0.0.1:{port}"}
    with pytest.raises(Retryable) as raised:
        MastodonConnector().publish(account, _outgoing("x"), 0, None)
    assert raised.value.code == "connect_failed"


@pytest.mark.django_db
def test_no_answer_after_posting_is_an_unknown_outcome(account, replay, monkeypatch) -> None:
    monkeypatch.setattr(client_module, "REQUEST_TIMEOUT", 0.5)
    replay.add("POST", "/api/v1/statuses", json_body={}, stall_seconds=30)
    with pytest.raises(UnknownOutcome):
        MastodonConnector().publish(account, _outgoing("x"), 0, None)


@pytest.mark.django_db
def test_it_deletes_and_a_status_already_gone_is_fine(account, replay) -> None:
    replay.replay("test_status", "DELETE")
    replay.add("DELETE", "/api/v1/statuses/0", status=404, json_body={"error": "Record not found"})
    connector = MastodonConnector()
    connector.delete(account, "117020583223442465")
    connector.delete(account, "0")
    assert [r.path for r in replay.received] == [
        "/api/v1/statuses/117020583223442465",
        "/api/v1/statuses/0",
    ]


@pytest.mark.django_db
def test_check_reports_a_revoked_token(account, replay) -> None:
    serve(replay, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")
    serve(replay, "invalid_token", "GET", "/api/v1/accounts/verify_credentials", status=401)
    connector = MastodonConnector()
    connector.check(account)
    with pytest.raises(AuthError):
        connector.check(account)


@pytest.mark.django_db
def test_disconnect_revokes_the_token(account, instance) -> None:
    app = MastodonApp.objects.create(
        instance_url=instance.url,
        redirect_uri="http://testserver/accounts/mastodon/callback/",
        client_id="the-client",
        client_secret="the-secret",
        scopes="read write",
    )
    account.credentials = {**account.credentials, "app_id": app.pk}
    serve(instance, "revoke", "POST", "/oauth/revoke")
    MastodonConnector().disconnect(account)
    form = instance.requests_to("POST", "/oauth/revoke")[0].form()
    assert form == {
        "client_id": ["the-client"],
        "client_secret": ["the-secret"],
        "token": ["__MASTODON_PY_TEST_ACCESS_TOKEN"],
    }


@pytest.mark.django_db
def test_post_and_profile_metrics(account, replay) -> None:
    replay.replay("test_status", "GET")
    replay.replay("test_status_missing")
    serve(replay, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")
    connector = MastodonConnector()
    metrics = connector.post_metrics(account, ["117020583223442465", "0"])
    assert list(metrics) == ["117020583223442465"]
    found = metrics["117020583223442465"]
    assert (found.likes, found.reposts, found.replies, found.quotes) == (0, 0, 0, 0)
    profile = connector.profile_metrics(account)
    assert (profile.followers, profile.following, profile.posts) == (0, 0, 11)


@pytest.mark.django_db
def test_notifications_from_a_recording(account, replay) -> None:
    replay.replay("test_notifications", "GET /api/v1/notifications")
    page = MastodonConnector().notifications(account)
    mention = page.items[0]
    assert mention.kind == "mention" and mention.remote_id == "117020576916218297"
    assert mention.text == "@mastodonpy_test hello!"
    assert mention.author.handle.startswith("@")
    sent = replay.requests_to("GET", "/api/v1/notifications")[0]
    assert sent.query["types[]"] == ["mention", "quote", "favourite", "reblog", "follow"]


@pytest.mark.django_db
def test_notifications_kinds_and_paging(account, replay) -> None:
    serve(replay, "notifications", "GET", "/api/v1/notifications")
    page = MastodonConnector().notifications(account, cursor="34975900")
    kinds = [(item.kind, item.remote_id, item.in_reply_to) for item in page.items]
    assert kinds == [
        ("reply", "117020600000000009", "117020600000000001"),
        ("like", "notification:34975535", "117020600000000001"),
        ("repost", "notification:34975412", "117020600000000001"),
        ("follow", "notification:34975300", ""),
    ]
    assert page.items[0].author.handle == "@alice@remote.example"
    assert page.cursor == "34975300"
    assert replay.received[0].query["max_id"] == ["34975900"]


@pytest.mark.django_db
def test_conversations_are_direct_messages(account, replay) -> None:
    replay.replay("test_conversations", "GET /api/v1/conversations")
    page = MastodonConnector().direct_messages(account)
    message = page.items[0]
    assert message.kind == "direct_message"
    assert message.conversation_id == "15"
    assert message.remote_id == "117020593780198542"
    assert "ilu bby" in message.text


@pytest.mark.django_db
def test_thread_is_the_status_then_its_replies_parents_first(account, replay) -> None:
    serve(replay, "thread_root", "GET", "/api/v1/statuses/117020600000000001")
    serve(replay, "context", "GET", "/api/v1/statuses/117020600000000001/context")
    posts = MastodonConnector().thread(account, "117020600000000001")
    assert [(p.remote_id, p.in_reply_to) for p in posts] == [
        ("117020600000000001", ""),
        ("117020600000000002", "117020600000000001"),
        ("117020600000000003", "117020600000000002"),
        ("117020600000000004", "117020600000000001"),
    ]
    assert posts[0].text == "Root link\n\nsecond&para"
    assert posts[0].kind == "post" and posts[1].kind == "reply"


@pytest.mark.django_db
def test_a_replys_thread_starts_with_the_statuses_it_answers(account, replay) -> None:
    serve(replay, "thread_reply", "GET", "/api/v1/statuses/117020600000000003")
    serve(replay, "context_of_reply", "GET", "/api/v1/statuses/117020600000000003/context")
    posts = MastodonConnector().thread(account, "117020600000000003")
    assert [(p.remote_id, p.in_reply_to) for p in posts] == [
        ("117020600000000001", ""),
        ("117020600000000002", "117020600000000001"),
        ("117020600000000003", "117020600000000002"),
    ]


def _read_at(account: SocialAccount) -> str:
    account.refresh_from_db()
    return str(account.credentials["instance"]["read_at"])


@pytest.mark.django_db
def test_check_reads_the_instance_limits_again_once_a_day_old(account, instance) -> None:
    serve(instance, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")
    connector = MastodonConnector()
    connector.check(account)
    assert not instance.requests_to("GET", "/api/v2/instance")  # read when connected
    stale = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    credentials = account.credentials
    credentials["instance"] = {**credentials["instance"], "read_at": stale, "max_characters": 9}
    SocialAccount.objects.filter(pk=account.pk).update(credentials=credentials)
    account.refresh_from_db()
    connector.check(account)
    assert len(instance.requests_to("GET", "/api/v2/instance")) == 1
    assert _read_at(account) > stale
    assert account.credentials["instance"]["max_characters"] == 500
    assert account.credentials["access_token"] == "__MASTODON_PY_TEST_ACCESS_TOKEN"


@pytest.mark.django_db
def test_check_keeps_the_old_limits_when_the_instance_cannot_be_read(account, replay) -> None:
    serve(replay, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")
    for path in ("/api/v2/instance", "/api/v1/instance"):
        replay.add("GET", path, status=503, body="Down", headers={"content-type": "text/plain"})
    credentials = account.credentials
    credentials["instance"] = {**credentials["instance"], "read_at": ""}
    SocialAccount.objects.filter(pk=account.pk).update(credentials=credentials)
    account.refresh_from_db()
    MastodonConnector().check(account)  # the account itself is fine
    assert _read_at(account) == ""
    assert account.credentials["instance"]["max_characters"] == 500


@pytest.mark.django_db
def test_a_spent_budget_is_reported_with_the_post(account, replay) -> None:
    data = json.loads(
        replay.localize(
            json.dumps({"id": "1", "url": "http://localhost:3000/@x/1", "content": "<p>x</p>"})
        )
    )
    replay.add(
        "POST",
        "/api/v1/statuses",
        json_body=data,
        headers={
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": "2030-01-01T00:05:00.000Z",
        },
    )
    published = MastodonConnector().publish(account, _outgoing("x"), 0, None)
    assert (published.remote_id, published.remote_url) == ("1", f"{replay.url}/@x/1")
    assert published.budget_resets_at is not None
    assert abs(published.budget_resets_at - datetime(2030, 1, 1, 0, 5, tzinfo=UTC)) < timedelta(
        seconds=5
    )


def test_an_account_without_a_token_needs_connecting_again(tenants) -> None:
    account = SocialAccount(network="mastodon", handle="@gone@example.social", credentials=None)
    with pytest.raises(AuthError, match="connect it again"):
        MastodonConnector().check(account)
