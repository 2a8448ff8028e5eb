"""Chorus' own short links: random codes, their public address, and reuse per post."""

from __future__ import annotations

import re
import secrets
import string

from django.conf import settings
from django.db import IntegrityError, transaction

from chorus.links.models import CODE_LENGTH, MAX_CODE_LENGTH, ShortLink, target_hash
from chorus.links.utm import is_web_url
from chorus.orgs.models import Workspace
from chorus.publishing.models import Post

# Letters and digits only: a code survives being read aloud, typed, or wrapped in a
# sentence where "-" or "_" at its end would be taken for punctuation. 62**7 codes make a
# guessed code almost never hit a real link.
ALPHABET = string.ascii_letters + string.digits
CODE_PATTERN = re.compile(f"^[A-Za-z0-9]{{1,{MAX_CODE_LENGTH}}}$")
# A clash of random codes is astronomically rare; a handful of draws is plenty.
MAX_DRAWS = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def is_code(value: str) -> bool:
    return CODE_PATTERN.match(value) is not None


def public_prefix() -> str:
    """``<CHORUS_PUBLIC_URL>/l/``: what every short link starts with."""
    return f"{settings.CHORUS_PUBLIC_URL.rstrip('/')}/l/"


def public_url(link: ShortLink) -> str:
    return public_prefix() + link.code


def absolute(url: str) -> str:
    """A web URL a browser can be redirected to: bare hosts get ``http://`` as the
    networks themselves give them when they link ``example.com``."""
    if url.startswith("//"):
        return "https:" + url
    if url.lower().startswith(("http://", "https://")):
        return url
    return "http://" + url


def short_link_for(
    *, workspace: Workspace, post: Post | None, network: str, target_url: str
) -> ShortLink:
    """The short link of this post, network and target, created on first use."""
    if not is_web_url(target_url):
        raise ValueError(f"Only web URLs can be shortened, not {target_url[:40]!r}")
    target_url = absolute(target_url)
    digest = target_hash(target_url)
    same = ShortLink.objects.filter(
        workspace=workspace, post=post, network=network, target_hash=digest
    )
    for _draw in range(MAX_DRAWS):
        existing = same.first()
        if existing is not None:
            return existing
        try:
            # A savepoint, so a clash leaves the caller's transaction usable.
            with transaction.atomic():
                return ShortLink.objects.create(
                    code=new_code(),
                    workspace=workspace,
                    post=post,
                    network=network,
                    target_url=target_url,
                    target_hash=digest,
                )
        except IntegrityError:
            # Either the code was taken or another request created this very link;
            # the next round finds the latter, or draws a new code for the former.
            continue
    raise RuntimeError("Could not find a free short-link code")
