"""Permission-matrix rows for the composer, post and queue pages (chorus/orgs/tests/matrix.py).

Targets are the publishing fixtures on `tenants` (chorus/publishing/tests/matrix_fixtures.py):
a draft, a post in review, a scheduled post, a failed delivery, posting slots at 09:30.
Every POST carries data that succeeds for a role the policy allows.
"""

from __future__ import annotations

from typing import Any

from chorus.orgs.tests.matrix import Case
from chorus.publishing.models import PostingSlot

OK_PAGE = frozenset({200})
OK_REDIRECT = frozenset({302})


def _ws(t: Any, own: bool) -> str:
    org = t.org if own else t.other_org
    workspace = t.workspace if own else t.other_workspace
    return f"/o/{org.slug}/w/{workspace.slug}/"


def _post(name: str, suffix: str = "") -> Any:
    def url(t: Any, own: bool) -> str:
        post = getattr(t, name if own else f"other_{name}")
        return f"{_ws(t, own)}posts/{post.pk}/{suffix}"

    return url


def _queue(suffix: str = "") -> Any:
    def url(t: Any, own: bool) -> str:
        account = t.account if own else t.other_account
        return f"{_ws(t, own)}accounts/{account.pk}/queue/{suffix}"

    return url


def _composed(t: Any, own: bool) -> dict[str, Any]:
    account = t.account if own else t.other_account
    return {"accounts": [account.pk], "text": "Hello from the matrix", "action": "save"}


def _split(t: Any, own: bool) -> dict[str, Any]:
    account = t.account if own else t.other_account
    return {"accounts": [account.pk], "text": "Hello. " * 120, "action": "split:mastodon"}


def _retry(t: Any, own: bool) -> str:
    delivery = t.failed_delivery if own else t.other_failed_delivery
    return f"{_ws(t, own)}posts/{delivery.post_id}/deliveries/{delivery.pk}/retry/"


def _remove_slot(t: Any, own: bool) -> str:
    account = t.account if own else t.other_account
    slot = PostingSlot.objects.filter(account=account).order_by("pk").first()
    assert slot is not None
    return f"{_queue()(t, own)}slots/{slot.pk}/remove/"


def _post_case(name: str, action: str, target: str, suffix: str, **extra: Any) -> Case:
    return Case(
        f"web:{name}", action, _post(target, suffix), method="POST", ok=OK_REDIRECT, **extra
    )


CASES: list[Case] = [
    Case("web:compose", "post.create", lambda t, own: f"{_ws(t, own)}compose/", ok=OK_PAGE),
    Case(
        "web:compose_check",
        "post.create",
        lambda t, own: f"{_ws(t, own)}compose/check/",
        method="POST",
        data=_composed,
        ok=OK_PAGE,
    ),
    Case(
        "web:compose_split",
        "post.create",
        lambda t, own: f"{_ws(t, own)}compose/split/",
        method="POST",
        data=_split,
        ok=OK_PAGE,
    ),
    Case("web:posts", "post.view", lambda t, own: f"{_ws(t, own)}posts/", ok=OK_PAGE),
    Case("web:post", "post.view", _post("post"), ok=OK_PAGE),
    Case("web:post_deliveries", "post.view", _post("post_scheduled", "deliveries/"), ok=OK_PAGE),
    Case(
        "web:post_edit",
        "post.create",
        _post("post", "edit/"),
        method="POST",
        data=_composed,
        ok=OK_REDIRECT,
    ),
    _post_case("post_publish_now", "post.publish", "post_scheduled", "publish-now/"),
    _post_case("post_unschedule", "post.publish", "post_scheduled", "unschedule/"),
    _post_case("post_cancel", "post.publish", "post_scheduled", "cancel/"),
    _post_case("post_submit", "post.create", "post", "submit/"),
    _post_case("post_approve", "post.approve", "post_in_review", "approve/"),
    _post_case("post_reject", "post.approve", "post_in_review", "reject/"),
    Case("web:post_delivery_retry", "post.publish", _retry, method="POST", ok=OK_REDIRECT),
    Case("web:account_queue", "post.view", _queue(), ok=OK_PAGE),
    Case(
        "web:account_queue_add_slot",
        "post.publish",
        _queue("slots/"),
        method="POST",
        data=lambda t, own: {"time": "14:15", "weekday": ["0", "2"]},
        ok=OK_REDIRECT,
    ),
    Case(
        "web:account_queue_remove_slot",
        "post.publish",
        _remove_slot,
        method="POST",
        ok=OK_REDIRECT,
    ),
    Case(
        "web:account_queue_pause",
        "post.publish",
        _queue("pause/"),
        method="POST",
        data=lambda t, own: {"paused": "1"},
        ok=OK_REDIRECT,
    ),
    Case(
        "web:account_queue_limit",
        "post.publish",
        _queue("limit/"),
        method="POST",
        data=lambda t, own: {"daily_limit": "3"},
        ok=OK_REDIRECT,
    ),
]
