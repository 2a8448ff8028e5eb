"""Composer, post and queue pages of a workspace, included by chorus/web/urls.py (names
resolve as web:...)."""

from django.urls import path

from chorus.publishing.web.views import compose, post_actions, posts, queue

WS = "o/<str:org_slug>/w/<str:ws_slug>/"
POST = WS + "posts/<int:post_id>/"
QUEUE = WS + "accounts/<int:account_id>/queue/"

urlpatterns = [
    path(WS + "compose/", compose.compose, name="compose"),
    path(WS + "compose/check/", compose.check, name="compose_check"),
    path(WS + "compose/split/", compose.split, name="compose_split"),
    path(WS + "posts/", posts.post_list, name="posts"),
    path(POST, posts.detail, name="post"),
    path(POST + "edit/", compose.edit, name="post_edit"),
    path(POST + "deliveries/", posts.deliveries, name="post_deliveries"),
    path(POST + "publish-now/", post_actions.publish_now, name="post_publish_now"),
    path(POST + "unschedule/", post_actions.unschedule, name="post_unschedule"),
    path(POST + "cancel/", post_actions.cancel, name="post_cancel"),
    path(POST + "submit/", post_actions.submit, name="post_submit"),
    path(POST + "approve/", post_actions.approve, name="post_approve"),
    path(POST + "reject/", post_actions.reject, name="post_reject"),
    path(
        POST + "deliveries/<int:delivery_id>/retry/",
        post_actions.retry,
        name="post_delivery_retry",
    ),
    path(QUEUE, queue.queue, name="account_queue"),
    path(QUEUE + "slots/", queue.add_slot, name="account_queue_add_slot"),
    path(
        QUEUE + "slots/<int:slot_id>/remove/",
        queue.remove_slot,
        name="account_queue_remove_slot",
    ),
    path(QUEUE + "pause/", queue.pause, name="account_queue_pause"),
    path(QUEUE + "limit/", queue.daily_limit, name="account_queue_limit"),
]
