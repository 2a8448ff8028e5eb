"""Accounts pages, included by chorus/web/urls.py (names resolve as web:...)."""

from django.urls import path

from chorus.connectors.web import views

ACCOUNTS = "o/<str:org_slug>/w/<str:ws_slug>/accounts/"

urlpatterns = [
    path(ACCOUNTS, views.accounts, name="accounts"),
    path(ACCOUNTS + "bluesky/", views.bluesky, name="account_connect_bluesky"),
    path(ACCOUNTS + "mastodon/", views.mastodon, name="account_connect_mastodon"),
    path(ACCOUNTS + "<int:account_id>/reconnect/", views.reconnect, name="account_reconnect"),
    path(ACCOUNTS + "<int:account_id>/check/", views.check, name="account_check"),
    path(ACCOUNTS + "<int:account_id>/disconnect/", views.disconnect, name="account_disconnect"),
    # Outside any workspace: each Mastodon server knows this one address.
    path("accounts/mastodon/callback/", views.mastodon_callback, name="mastodon_callback"),
]
