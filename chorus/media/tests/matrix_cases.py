"""Permission-matrix rows for media (see chorus/orgs/tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from chorus.media.tests.files import image_bytes, upload
from chorus.orgs.tests.matrix import Case

V1 = "/api/v1"


def _ws(t: Any, own: bool) -> str:
    org, workspace = (t.org, t.workspace) if own else (t.other_org, t.other_workspace)
    return f"/o/{org.slug}/w/{workspace.slug}/"


def _asset(t: Any, own: bool) -> Any:
    return t.media_asset if own else t.other_media_asset


def _workspace_id(t: Any, own: bool) -> int:
    return (t.workspace if own else t.other_workspace).pk


def _new_png(t: Any, own: bool) -> dict[str, Any]:
    # New content each time, so an allowed upload creates an asset (201).
    return {"file": upload(image_bytes(color="purple", size=(40, 30)), "new.png")}


CASES: list[Case] = [
    Case("web:media_library", "workspace.view", lambda t, own: _ws(t, own) + "media/"),
    Case(
        "web:media_upload",
        "post.create",
        lambda t, own: _ws(t, own) + "media/upload/",
        method="POST",
        data=_new_png,
        ok=frozenset({201}),
    ),
    Case(
        "web:media_file",
        "workspace.view",
        lambda t, own: _ws(t, own) + f"media/{_asset(t, own).pk}/file/",
    ),
    Case(
        "web:media_thumbnail",
        "workspace.view",
        lambda t, own: _ws(t, own) + f"media/{_asset(t, own).pk}/thumbnail/",
    ),
    # The matrix sends JSON bodies; the upload needs multipart, so an allowed role gets
    # as far as "send the file" (422): the policy let it through. Real uploads are tested
    # in chorus/media/tests/test_api.py.
    Case(
        "POST /api/v1/workspaces/{workspace_id}/media",
        "post.create",
        lambda t, own: f"{V1}/workspaces/{_workspace_id(t, own)}/media",
        method="POST",
        ok=frozenset({422}),
    ),
    Case(
        "GET /api/v1/workspaces/{workspace_id}/media",
        "workspace.view",
        lambda t, own: f"{V1}/workspaces/{_workspace_id(t, own)}/media",
    ),
    Case(
        "GET /api/v1/media/{asset_id}",
        "workspace.view",
        lambda t, own: f"{V1}/media/{_asset(t, own).pk}",
    ),
    Case(
        "PATCH /api/v1/media/{asset_id}",
        "post.create",
        lambda t, own: f"{V1}/media/{_asset(t, own).pk}",
        method="PATCH",
        data=lambda t, own: {"alt_text": "A teal square"},
    ),
    Case(
        "DELETE /api/v1/media/{asset_id}",
        "post.create",
        lambda t, own: f"{V1}/media/{_asset(t, own).pk}",
        method="DELETE",
    ),
]
