"""Calendar pages of a workspace, included by chorus/web/urls.py (names resolve as web:...)."""

from django.urls import path

from chorus.publishing.calendar import views

WS = "o/<str:org_slug>/w/<str:ws_slug>/"

urlpatterns = [
    path(WS + "calendar/", views.calendar, name="calendar"),
    path(WS + "calendar/events/", views.calendar_events, name="calendar_events"),
    path(WS + "calendar/posts/<int:post_id>/move/", views.calendar_move, name="calendar_move"),
]
