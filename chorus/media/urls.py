"""Media pages of a workspace, included by chorus/web/urls.py (names resolve as web:...)."""

from django.urls import path

from chorus.media import views

WS = "o/<str:org_slug>/w/<str:ws_slug>/"

urlpatterns = [
    path(WS + "media/", views.library, name="media_library"),
    path(WS + "media/upload/", views.upload, name="media_upload"),
    path(WS + "media/<int:asset_id>/file/", views.file, name="media_file"),
    path(WS + "media/<int:asset_id>/thumbnail/", views.thumbnail, name="media_thumbnail"),
]
