"""Bulk import and export pages of a workspace (included by chorus/web/urls.py)."""

from django.urls import path

from chorus.publishing.bulk import views

WS = "o/<str:org_slug>/w/<str:ws_slug>/"

urlpatterns = [
    path(WS + "posts/import/", views.import_posts, name="posts_import"),
    path(WS + "posts/export/", views.export, name="posts_export"),
]
