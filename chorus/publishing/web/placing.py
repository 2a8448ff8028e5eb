"""Where each problem shows: in the slot beside the field it is about, with the offending
characters marked in the text exactly as it was checked (the service's offsets are code
points into that text, which is the trimmed text, not the raw textarea value)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from chorus.publishing.compose.inputs import PostInput
from chorus.publishing.compose.problems import Problem
from chorus.publishing.web.draft import Draft, network_label

CONTEXT = 80  # characters shown around a marked span
LONGEST_MARK = 300
# Service and scheduling field names → the composer's slots.
_SLOTS = {
    "accounts": "accounts",
    "media": "media",
    "campaign_id": "campaign",
    "link": "link",
    "scheduled_at": "schedule",
    "fold": "schedule",
    "date": "schedule",
    "time_zone": "time_zone",
    "recurrence": "repeat",
    "freq": "repeat",
    "interval": "repeat",
    "weekdays": "repeat",
    "count": "repeat",
}
FORM = "form"  # problems about the post as a whole (a newer version, its state)


@dataclass(frozen=True)
class Placed:
    slot: str
    message: str
    network: str = ""  # the network's name, when the problem is about one
    excerpt: SafeString | None = None


def place(problems: Iterable[Problem], data: PostInput, draft: Draft) -> list[Placed]:
    placed = []
    for problem in problems:
        text, slot = _locate(problem, data, draft)
        excerpt = None
        start, end = problem.start, problem.end
        if (
            text is not None
            and start is not None
            and end is not None
            and 0 <= start <= end <= len(text)
        ):
            excerpt = marked(text, start, end)
        label = network_label(problem.network) if problem.network else ""
        placed.append(Placed(slot, problem.message, label, excerpt))
    return placed


def from_errors(errors: dict[str, list[str]]) -> list[Placed]:
    return [Placed(slot, message) for slot, messages in errors.items() for message in messages]


def marked(text: str, start: int, end: int) -> SafeString:
    """`text` around [start, end) with that span in <mark>, escaped."""
    lead = "…" if start > CONTEXT else ""
    trail = "…" if end + CONTEXT < len(text) else ""
    span = text[start:end]
    if len(span) > LONGEST_MARK:
        span = span[:LONGEST_MARK] + "…"
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        lead,
        text[max(0, start - CONTEXT) : start],
        span,
        text[end : end + CONTEXT],
        trail,
    )


def _locate(problem: Problem, data: PostInput, draft: Draft) -> tuple[str | None, str]:
    """(the text the problem's offsets point into, or None; the slot it shows in)."""
    name = problem.field
    if name == "text":
        return data.text, "text"
    if name.startswith("variants."):
        return _locate_variant(name, data, draft)
    if name == "first_comment":
        variant = data.variant(problem.network) if problem.network else None
        if variant is not None and variant.first_comment:
            return variant.first_comment, f"v-{problem.network}-first_comment"
        return data.first_comment, "first_comment"
    if name.startswith("media."):
        return None, name.replace(".", "-")
    if name == "tags" or name.startswith("tags."):
        return None, "tags"
    return None, _SLOTS.get(name, FORM)


def _locate_variant(name: str, data: PostInput, draft: Draft) -> tuple[str | None, str]:
    _variants, network, rest = [*name.split(".", 2), "", ""][:3]
    variant = data.variant(network)
    fields = draft.variants.get(network)
    if variant is None or fields is None:
        return None, FORM
    if rest == "text":
        return variant.text, f"v-{network}-text"
    if rest.startswith("thread."):
        index = rest.removeprefix("thread.")
        parts = fields.parts()  # the service numbers the parts it was given: no blanks
        if index.isdigit() and 1 <= int(index) <= len(parts):
            place_in_form, text = parts[int(index) - 1]
            return text, f"v-{network}-thread-{place_in_form}"
        return None, f"v-{network}-thread"
    if rest == "thread":
        return None, f"v-{network}-thread"
    if rest.startswith("options."):
        option = rest.removeprefix("options.")
        value = variant.options.get(option)
        slot = f"v-{network}-{option}"
        return (value.strip() if isinstance(value, str) else None), slot
    return None, FORM
