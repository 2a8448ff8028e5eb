"""Notification settings of a workspace; included by chorus.web.urls (names are web:…)."""

from django.urls import path

from chorus.notifications import views

WS = "o/<str:org_slug>/w/<str:ws_slug>/notifications/"

urlpatterns = [
    path(WS, views.target_list, name="notifications"),
    path(WS + "new/", views.target_create, name="notification_create"),
    path(WS + "<int:target_id>/", views.target_edit, name="notification_edit"),
    path(WS + "<int:target_id>/delete/", views.target_delete, name="notification_delete"),
    path(WS + "<int:target_id>/test/", views.target_test, name="notification_test"),
]
