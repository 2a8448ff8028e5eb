"""Stored files go when their rows go, however the rows are deleted (an asset on its own,
or everything of a deleted workspace), and only once the deletion is committed."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from chorus.media.models import MediaAsset, MediaDerivative

logger = logging.getLogger(__name__)


def remove_files(names: list[str]) -> None:
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not remove stored media file %s", name, exc_info=True)


@receiver(post_delete, sender=MediaAsset, dispatch_uid="media-asset-files")
@receiver(post_delete, sender=MediaDerivative, dispatch_uid="media-derivative-files")
def _forget_files(sender: Any, instance: MediaAsset | MediaDerivative, **kwargs: Any) -> None:
    names = [instance.file.name or ""]
    if isinstance(instance, MediaAsset):
        names.append(instance.thumbnail.name or "")
    transaction.on_commit(lambda: remove_files(names))
