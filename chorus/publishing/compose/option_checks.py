"""Checking a variant's network options (language, who may reply, quotes, polls) as the
network will judge them, so a bad choice is caught while composing, not at publish time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from chorus.connectors.bluesky.references import REPLY_RULES, post_reference
from chorus.connectors.mastodon.instance import VISIBILITIES, poll_limits
from chorus.connectors.mastodon.limits import stored_instance
from chorus.orgs.models import SocialAccount
from chorus.publishing.compose.problems import Problem
from chorus.publishing.rules import Network

LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# app.bsky.feed.post "langs": maxLength 3.
BLUESKY_MAX_LANGUAGES = 3


def check_options(
    network: str, options: Mapping[str, Any], account: SocialAccount | None, *, has_media: bool
) -> list[Problem]:
    if network == Network.BLUESKY:
        return _bluesky(options)
    if network == Network.MASTODON:
        return _mastodon(options, account, has_media=has_media)
    return []


def _problem(network: str, option: str, message: str) -> Problem:
    return Problem(f"variants.{network}.options.{option}", "invalid_option", message, network)


def _languages(network: str, value: Any, most: int) -> list[Problem]:
    if value in (None, ""):
        return []
    codes = [c.strip() for c in str(value).split(",")]
    if not all(LANGUAGE.fullmatch(c) for c in codes):
        return [
            _problem(
                network,
                "language",
                _("Give language codes such as “en” or “lo”, separated by commas."),
            )
        ]
    if len(codes) > most:
        return [
            _problem(
                network,
                "language",
                _("This network takes at most %(count)d language(s).") % {"count": most},
            )
        ]
    return []


def _bluesky(options: Mapping[str, Any]) -> list[Problem]:
    net = Network.BLUESKY
    problems = _languages(net, options.get("language"), BLUESKY_MAX_LANGUAGES)
    control = str(options.get("reply_control") or "")
    if control:
        rules = {r.strip() for r in control.split(",")}
        alone = control in ("everyone", "nobody")
        if not alone and not rules <= REPLY_RULES.keys():
            problems.append(
                _problem(
                    net,
                    "reply_control",
                    _(
                        "Choose who may reply: everyone, nobody, or any of mentioned, "
                        "following and followers."
                    ),
                )
            )
    quote = str(options.get("quote") or "").strip()
    if quote and not post_reference(quote):
        problems.append(
            _problem(
                net,
                "quote",
                _("Give the address of a Bluesky post (https://bsky.app/profile/…/post/…)."),
            )
        )
    return problems


def _poll_limits(account: SocialAccount | None) -> dict[str, int]:
    return poll_limits(stored_instance(account))


def _mastodon(
    options: Mapping[str, Any], account: SocialAccount | None, *, has_media: bool
) -> list[Problem]:
    net = Network.MASTODON
    # A status has one language (ISO 639).
    problems = _languages(net, options.get("language"), 1)
    visibility = options.get("visibility")
    if visibility and visibility not in VISIBILITIES:
        problems.append(
            _problem(
                net,
                "visibility",
                _("Choose public, unlisted, private or direct."),
            )
        )
    raw = str(options.get("poll_options") or "").strip()
    if not raw:
        return problems
    choices = [line.strip() for line in raw.splitlines() if line.strip()]
    limits = _poll_limits(account)
    if has_media:
        problems.append(
            _problem(net, "poll_options", _("A Mastodon post holds a poll or media, not both."))
        )
    if not 2 <= len(choices) <= limits["max_options"]:
        problems.append(
            _problem(
                net,
                "poll_options",
                _("A poll on this server has 2 to %(most)d choices, one per line.")
                % {"most": limits["max_options"]},
            )
        )
    longest = limits["max_characters_per_option"]
    if any(len(c) > longest for c in choices):
        problems.append(
            _problem(
                net,
                "poll_options",
                _("Each poll choice on this server is at most %(most)d characters long.")
                % {"most": longest},
            )
        )
    if len(set(choices)) != len(choices):
        problems.append(_problem(net, "poll_options", _("Each poll choice must be different.")))
    try:
        expires = int(options.get("poll_expires_in") or 86400)
    except (TypeError, ValueError):
        expires = -1
    if not limits["min_expiration"] <= expires <= limits["max_expiration"]:
        problems.append(
            _problem(
                net,
                "poll_expires_in",
                _("A poll on this server stays open for %(least)d to %(most)d seconds.")
                % {"least": limits["min_expiration"], "most": limits["max_expiration"]},
            )
        )
    return problems
