"""Taking in, describing, changing and removing media assets.

An upload is all or nothing: the file is checked by its content first, stored, then
recorded; if recording fails, what was stored is removed again, so storage never holds a
file no asset points to (and no asset points to a missing file).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.media.models import MediaAsset
from chorus.media.probe import probe
from chorus.media.signals import remove_files
from chorus.media.storage import copy_name, original_name
from chorus.media.thumbnails import thumbnail_bytes
from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.publishing.rules.media import MediaItem, check_item
from chorus.publishing.rules.networks import Network

# Longer than any network takes (Bluesky's 2,000 graphemes is the most); the rules say
# per network when a text is too long for it.
ALT_TEXT_MAX = 5000
# The networks an upload is checked against right away; webhooks take anything.
NETWORKS = tuple(Network)


class MediaInUse(Exception):
    """The asset is attached to a post and cannot be deleted."""


IN_USE_MESSAGE = gettext_lazy("This file is attached to a post; remove it from the post first.")


def upload(
    workspace: Workspace, user: Any, file: File, *, alt_text: str = "", token: Any = None
) -> MediaAsset:
    """Store `file` as an asset of `workspace`; the same content again is the same asset."""
    policy.authorize(user, "post.create", workspace, token=token)
    _check_alt_text(alt_text)
    size = file.size or 0
    info = probe(
        file,
        size,
        max_bytes=settings.CHORUS_MEDIA_MAX_BYTES,
        max_pixels=settings.CHORUS_MEDIA_MAX_PIXELS,
    )
    digest = _sha256(file)
    existing = MediaAsset.objects.filter(workspace=workspace, sha256=digest).first()
    if existing is not None:
        return existing
    stored: list[str] = []
    try:
        file.seek(0)
        stored.append(
            default_storage.save(original_name(workspace.pk, digest, info.extension), file)
        )
        thumb = thumbnail_bytes(file, info.kind)
        if thumb is not None:
            stored.append(
                default_storage.save(copy_name(workspace.pk, "thumbs", ".webp"), ContentFile(thumb))
            )
        with transaction.atomic():
            return MediaAsset.objects.create(
                workspace=workspace,
                uploaded_by=user,
                file=stored[0],
                thumbnail=stored[1] if len(stored) > 1 else "",
                original_name=_display_name(file.name),
                kind=info.kind,
                mime_type=info.mime_type,
                size_bytes=size,
                sha256=digest,
                width=info.width,
                height=info.height,
                duration_seconds=info.duration_seconds,
                video_codec=info.video_codec,
                audio_codec=info.audio_codec,
                frame_rate=info.frame_rate,
                alt_text=alt_text,
            )
    except IntegrityError:
        # The same file, uploaded at the same moment, was recorded first: use that one.
        remove_files(stored)
        winner = MediaAsset.objects.filter(workspace=workspace, sha256=digest).first()
        if winner is None:
            raise
        return winner
    except BaseException:
        remove_files(stored)
        raise


def update_alt_text(user: Any, asset: MediaAsset, alt_text: str, *, token: Any = None) -> None:
    policy.authorize(user, "post.create", asset, token=token)
    _check_alt_text(alt_text)
    asset.alt_text = alt_text
    asset.save(update_fields=["alt_text"])


def delete(user: Any, asset: MediaAsset, *, token: Any = None) -> None:
    """Delete the asset; its files go once that is committed (chorus.media.signals)."""
    policy.authorize(user, "post.create", asset, token=token)
    try:
        with transaction.atomic():
            if asset.uses.exists():
                raise MediaInUse(IN_USE_MESSAGE)
            asset.delete()
    except (ProtectedError, RestrictedError) as exc:
        # A post took the asset between the check and the delete.
        raise MediaInUse(IN_USE_MESSAGE) from exc


def descriptor(asset: MediaAsset, alt_text: str | None = None) -> MediaItem:
    """The asset as the pure media rules see it."""
    return MediaItem(
        kind=asset.kind,
        mime_type=asset.mime_type,
        size_bytes=asset.size_bytes,
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
        alt_text=asset.alt_text if alt_text is None else alt_text,
    )


def problems(asset: MediaAsset) -> dict[str, list[dict[str, Any]]]:
    """Per network, the rules this asset breaks on its own (empty lists are left out)."""
    found: dict[str, list[dict[str, Any]]] = {}
    item = descriptor(asset)
    for network in NETWORKS:
        errors = check_item(network, item)
        if errors:
            found[network.value] = [
                {"code": e.code.value, "field": e.field.value, "message": e.message} for e in errors
            ]
    return found


def _check_alt_text(alt_text: str) -> None:
    if "\x00" in alt_text:
        # PostgreSQL cannot store it; say so rather than fail at the database.
        raise ValidationError({"alt_text": [_("The alt text must not contain the NUL character.")]})
    if len(alt_text) > ALT_TEXT_MAX:
        raise ValidationError(
            {
                "alt_text": [
                    _("Keep the alt text to %(max)d characters or fewer.") % {"max": ALT_TEXT_MAX}
                ]
            }
        )


def _sha256(file: File) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _display_name(name: str | None) -> str:
    # Kept for people to recognise the file; never used as a path.
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
    return base[-255:] or _("untitled")
