"""``/l/<code>``: the public side of a short link. It sends the visitor on and counts the
click; it must answer every request with a redirect or a "not found" page, never an error.
"""

from __future__ import annotations

import logging

from django.core.exceptions import DisallowedRedirect
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from chorus.links.clicks import counts, record_click, referrer_host
from chorus.links.models import ShortLink
from chorus.links.shortlinks import is_code
from chorus.orgs.policy import public

logger = logging.getLogger(__name__)


def _not_found(request: HttpRequest) -> HttpResponse:
    response = render(request, "links/not_found.html", status=404)
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@never_cache  # every visit must reach us to be counted
@require_safe
def follow(request: HttpRequest, code: str) -> HttpResponse:
    link = ShortLink.objects.filter(code=code).first() if is_code(code) else None
    if link is None:
        return _not_found(request)
    try:
        response = HttpResponseRedirect(link.target_url)
    except DisallowedRedirect:
        # Targets are checked when links are made; one that slipped through goes nowhere.
        logger.error("Short link %s has a target that cannot be redirected to", link.pk)
        return _not_found(request)
    if counts(request):
        try:
            record_click(link, referrer=referrer_host(request))
        except DatabaseError:
            # A visitor still gets where they were going when a click cannot be stored.
            logger.exception("Could not record a click on short link %s", link.pk)
    response["X-Robots-Tag"] = "noindex"
    return response
