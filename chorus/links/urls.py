"""Link pages, included at the site root by chorus/web/urls.py (names resolve as web:...)."""

from django.urls import path

from chorus.links.views import presets, redirect, report

WS = "o/<str:org_slug>/w/<str:ws_slug>/"

urlpatterns = [
    # The public short links Chorus puts in posts.
    path("l/<str:code>", redirect.follow, name="short_link"),
    # A workspace's link clicks and UTM presets.
    path(WS + "links/", report.clicks_report, name="links_report"),
    path(WS + "links/utm/", presets.preset_list, name="links_utm"),
    path(WS + "links/utm/new/", presets.preset_create, name="links_utm_create"),
    path(WS + "links/utm/<int:preset_id>/", presets.preset_edit, name="links_utm_edit"),
    path(WS + "links/utm/<int:preset_id>/delete/", presets.preset_delete, name="links_utm_delete"),
]
