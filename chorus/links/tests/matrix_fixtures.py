"""Rows the permission matrix acts on: a UTM preset and a short link on each side.

Kept small and inert (the preset is not the default, the link belongs to no post), since
every test that uses the `tenants` fixture gets them.
"""

from __future__ import annotations

from typing import Any

from chorus.links.models import ShortLink, UtmPreset, target_hash


def _link(workspace: Any, code: str) -> ShortLink:
    url = "https://example.com/landing?utm_source=matrix"
    return ShortLink.objects.create(
        code=code,
        workspace=workspace,
        network="mastodon",
        target_url=url,
        target_hash=target_hash(url),
    )


def build(t: Any) -> None:
    t.utm_preset = UtmPreset.objects.create(
        workspace=t.workspace, name="Matrix preset", utm_source="{network}", utm_medium="social"
    )
    t.other_utm_preset = UtmPreset.objects.create(
        workspace=t.other_workspace,
        name="Matrix preset",
        utm_source="{network}",
        utm_medium="social",
    )
    t.short_link = _link(t.workspace, "AcmeMx1")
    t.other_short_link = _link(t.other_workspace, "GlobxM1")
