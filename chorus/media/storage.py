"""Where media files live and what they are called there.

Settings import ``media_storage`` before Django is set up, so this module imports nothing
from Django's app machinery.

Files are named by what they hold, never by the name the person gave them: an original is
``media/<workspace id>/<sha256>.<ext>``, its copies (thumbnails, per-network derivatives)
get random names beside it. A name from the uploader could carry a path, a script
extension or a private detail; a hash carries none of that, and the workspace prefix keeps
tenants apart in a shared bucket.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def media_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for the environment.

    Local disk under MEDIA_ROOT unless ``CHORUS_S3_BUCKET`` names a bucket; then any
    S3-compatible store (AWS, MinIO, Garage, Ceph...) through django-storages.
    """
    bucket = environ.get("CHORUS_S3_BUCKET", "").strip()
    if not bucket:
        # No OPTIONS: FileSystemStorage then follows settings.MEDIA_ROOT, also when a test
        # overrides it.
        return {"BACKEND": environ.get("CHORUS_STORAGE_BACKEND", FILESYSTEM)}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Objects stay private: files are served through Chorus, which checks the policy.
        "default_acl": None,
        "querystring_auth": True,
        # Names are content hashes; never overwrite an existing object silently.
        "file_overwrite": False,
        "location": environ.get("CHORUS_S3_PREFIX", "").strip("/"),
    }
    optional = {
        "endpoint_url": "CHORUS_S3_ENDPOINT_URL",
        "access_key": "CHORUS_S3_ACCESS_KEY",
        "secret_key": "CHORUS_S3_SECRET_KEY",
        "region_name": "CHORUS_S3_REGION",
    }
    for option, variable in optional.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    if environ.get("CHORUS_S3_PATH_STYLE", "").strip().lower() in {"1", "true", "yes", "on"}:
        # MinIO and most self-hosted stores want bucket names in the path.
        options["addressing_style"] = "path"
    return {"BACKEND": S3, "OPTIONS": options}


def original_name(workspace_id: int, sha256: str, extension: str) -> str:
    return f"media/{workspace_id}/{sha256}{extension}"


def copy_name(workspace_id: int, folder: str, extension: str) -> str:
    return f"media/{workspace_id}/{folder}/{secrets.token_hex(16)}{extension}"
