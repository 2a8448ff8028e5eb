"""The media files an import names, looked up or fetched once each, whatever the number
of rows that use them.

A source is an http(s) URL (fetched, checked by content, stored only by a real import)
or "sha256:<hash>" of a file already in the workspace's media library (what the export
writes, since uploaded files have no public address).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.utils.translation import gettext as _

from chorus.media import services
from chorus.media.models import MediaAsset
from chorus.orgs.models import Workspace
from chorus.publishing.bulk.media_fetch import Fetched, FetchError, fetch

# Fetching is slow and heavy; more files than this belong in the media library first.
MAX_FETCHES = 100
_HASH = re.compile(r"^sha256:([0-9a-fA-F]{64})$")


class MediaBatch:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        # source → the asset (saved, or an unsaved stand-in for a file only fetched)
        self.assets: dict[str, MediaAsset] = {}
        # source → (code, message)
        self.errors: dict[str, tuple[str, str]] = {}
        self.fetched: dict[str, Fetched] = {}
        # Files written to storage by store(), for removal if the import is rolled back.
        self.stored_names: list[str] = []
        self._ids: dict[str, int] = {}

    def resolve(self, sources: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(sources))
        hashes = {s: m.group(1).lower() for s in wanted if (m := _HASH.match(s))}
        known = {
            a.sha256: a
            for a in MediaAsset.objects.filter(
                workspace=self.workspace, sha256__in=set(hashes.values())
            )
        }
        urls = []
        for source in wanted:
            if source in hashes:
                asset = known.get(hashes[source])
                if asset is None:
                    self.errors[source] = (
                        "unknown_media",
                        _(
                            "The media library of this workspace has no file %(ref)s. Upload it "
                            "first, or give its URL instead."
                        )
                        % {"ref": source[:19] + "…"},
                    )
                else:
                    self.assets[source] = asset
            elif source.lower().startswith(("http://", "https://")):
                urls.append(source)
            else:
                self.errors[source] = (
                    "invalid_media_url",
                    _(
                        "“%(source)s” is neither an http(s) URL nor sha256:<hash> of a file in "
                        "the media library."
                    )
                    % {"source": source[:80]},
                )
        for index, url in enumerate(urls):
            if index >= MAX_FETCHES:
                self.errors[url] = (
                    "too_many_media_urls",
                    _(
                        "An import fetches at most %(limit)s files by URL; add the others to the "
                        "media library and name them by sha256:<hash>."
                    )
                    % {"limit": MAX_FETCHES},
                )
                continue
            try:
                fetched = fetch(url)
            except FetchError as exc:
                self.errors[url] = (exc.code, exc.message)
                continue
            self.fetched[url] = fetched
            self.assets[url] = self._stand_in(fetched)

    def _stand_in(self, fetched: Fetched) -> MediaAsset:
        existing = MediaAsset.objects.filter(
            workspace=self.workspace, sha256=fetched.sha256
        ).first()
        if existing is not None:
            return existing
        info = fetched.info
        return MediaAsset(
            workspace=self.workspace,
            original_name=fetched.name,
            kind=info.kind,
            mime_type=info.mime_type,
            size_bytes=fetched.size,
            sha256=fetched.sha256,
            width=info.width,
            height=info.height,
            duration_seconds=info.duration_seconds,
            video_codec=info.video_codec,
            audio_codec=info.audio_codec,
            frame_rate=info.frame_rate,
        )

    def check_id(self, source: str) -> int:
        """An id to name the source by in a compose check; unsaved files get negative ones."""
        asset = self.assets[source]
        if asset.pk is not None:
            return asset.pk
        return self._ids.setdefault(source, -(len(self._ids) + 1))

    def by_check_id(self) -> dict[int, MediaAsset]:
        return {self.check_id(s): a for s, a in self.assets.items()}

    def store(self, user: Any, token: Any = None) -> dict[str, MediaAsset]:
        """Save every fetched file as an asset (inside the caller's transaction); source →
        saved asset. What was written to storage is listed in `stored_names`."""
        saved: dict[str, MediaAsset] = {}
        for source, asset in self.assets.items():
            if asset.pk is not None:
                saved[source] = asset
                continue
            fetched = self.fetched[source]
            existing = MediaAsset.objects.filter(
                workspace=self.workspace, sha256=fetched.sha256
            ).first()
            if existing is not None:
                saved[source] = existing
                continue
            fetched.file.seek(0)
            stored = services.upload(
                self.workspace, user, File(fetched.file, name=fetched.name), token=token
            )
            self.stored_names += [stored.file.name or "", stored.thumbnail.name or ""]
            saved[source] = stored
        return saved

    def close(self) -> None:
        for fetched in self.fetched.values():
            fetched.close()
