"""An upload between its dry run and the confirmation, so it need not be sent twice.

The file goes to the storage API (disk or S3, whatever media uses) under a random name;
the session remembers only that name and the choices made, for its own workspace. One
upload waits per session; a new one replaces it, and leftovers older than a day are
removed whenever someone uploads to the workspace.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

from chorus.orgs.models import Workspace

KEY = "bulk_import"
MAX_AGE = timedelta(days=1)


def _folder(workspace: Workspace) -> str:
    return f"imports/{workspace.pk}"


def save(
    request: HttpRequest, workspace: Workspace, content: bytes, options: dict[str, Any]
) -> str:
    discard(request)
    _purge(workspace)
    token = secrets.token_urlsafe(24)
    name = default_storage.save(f"{_folder(workspace)}/{token}.upload", ContentFile(content))
    request.session[KEY] = {
        "token": token,
        "workspace": workspace.pk,
        "name": name,
        "options": options,
        "saved": time.time(),
    }
    return token


def load(
    request: HttpRequest, workspace: Workspace, token: str
) -> tuple[bytes, dict[str, Any]] | None:
    data = request.session.get(KEY)
    if not isinstance(data, dict) or data.get("workspace") != workspace.pk:
        return None
    if not secrets.compare_digest(str(data.get("token", "")), token):
        return None
    if time.time() - float(data.get("saved", 0)) > MAX_AGE.total_seconds():
        discard(request)
        return None
    try:
        with default_storage.open(data["name"], "rb") as stored:
            return stored.read(), dict(data["options"])
    except OSError:
        return None


def discard(request: HttpRequest) -> None:
    data = request.session.pop(KEY, None)
    if isinstance(data, dict) and data.get("name"):
        with contextlib.suppress(OSError):
            default_storage.delete(data["name"])


def _purge(workspace: Workspace) -> None:
    folder = _folder(workspace)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (OSError, NotImplementedError):
        return
    limit = timezone.now() - MAX_AGE
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue
