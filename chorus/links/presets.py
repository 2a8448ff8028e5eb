"""Creating, changing and choosing UTM presets, shared by the web pages and the API.

Each change checks the policy, validates every field (a template with an unknown
placeholder names its field) and writes inside one transaction. Audit events come from
chorus.audit.tracking as rows change.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.links.models import UtmPreset
from chorus.links.utm import UTM_KEYS, TemplateError, check_template
from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.publishing.models import Campaign

# Unset marks a field a partial update leaves as it is.
UNSET: Any = object()
FIELDS = ("name", "campaign_id", *UTM_KEYS, "is_default")


def effective_preset(workspace: Workspace, campaign: Campaign | None) -> UtmPreset | None:
    """The campaign's own preset, else the workspace's default, else none."""
    if campaign is not None:
        own = UtmPreset.objects.filter(workspace=workspace, campaign=campaign).first()
        if own is not None:
            return own
    return UtmPreset.objects.filter(workspace=workspace, is_default=True).first()


def _campaign(workspace: Workspace, campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    campaign = Campaign.objects.filter(workspace=workspace, pk=campaign_id).first()
    if campaign is None:
        # Another workspace's campaign is reported like a missing one.
        raise ValidationError(
            {
                "campaign_id": _("There is no campaign %(id)s in this workspace.")
                % {"id": campaign_id}
            }
        )
    return campaign


def _validate(preset: UtmPreset) -> None:
    errors: dict[str, list[str]] = {}
    preset.name = (preset.name or "").strip()
    if not preset.name:
        errors.setdefault("name", []).append(_("A name is required."))
    elif len(preset.name) > 120:
        errors.setdefault("name", []).append(_("Keep the name to 120 characters or fewer."))
    for key in UTM_KEYS:
        value = (getattr(preset, key) or "").strip()
        setattr(preset, key, value)
        try:
            check_template(value)
        except TemplateError as exc:
            errors.setdefault(key, []).append(str(exc))
    if not preset.utm_source and "utm_source" not in errors:
        # Analytics tools drop the other utm_* values of a visit that has no source.
        errors.setdefault("utm_source", []).append(
            _("A source is required; without it analytics tools ignore the other values.")
        )
    if preset.is_default and preset.campaign_id is not None:
        errors.setdefault("is_default", []).append(
            _(
                "A campaign's preset applies only to that campaign, so it cannot also be "
                "the workspace default."
            )
        )
    others = UtmPreset.objects.filter(workspace=preset.workspace).exclude(pk=preset.pk)
    if preset.name and others.filter(name=preset.name).exists():
        errors.setdefault("name", []).append(
            _("Another preset is already called “%(name)s”.") % {"name": preset.name}
        )
    if preset.campaign_id is not None:
        taken = others.filter(campaign_id=preset.campaign_id).first()
        if taken is not None:
            errors.setdefault("campaign_id", []).append(
                _("This campaign already has a preset: “%(name)s”. Change that one instead.")
                % {"name": taken.name}
            )
    if errors:
        raise ValidationError(errors)


def _save(preset: UtmPreset) -> UtmPreset:
    _validate(preset)
    if preset.is_default:
        # Saved one by one (not update()) so the audit trail records each change.
        for old in (
            UtmPreset.objects.select_for_update()
            .filter(workspace=preset.workspace, is_default=True)
            .exclude(pk=preset.pk)
        ):
            old.is_default = False
            old.save(update_fields=["is_default", "updated_at"])
    preset.save()
    return preset


@transaction.atomic
def create_preset(
    user: User,
    workspace: Workspace,
    *,
    name: str,
    campaign_id: int | None = None,
    is_default: bool = False,
    token: Any = None,
    **templates: str,
) -> UtmPreset:
    policy.authorize(user, "workspace.update", workspace, token=token)
    unknown = set(templates) - set(UTM_KEYS)
    if unknown:
        raise TypeError(f"Unknown UTM fields: {sorted(unknown)}")
    preset = UtmPreset(
        workspace=workspace,
        name=name,
        campaign=_campaign(workspace, campaign_id),
        is_default=is_default,
        **{key: templates.get(key, "") for key in UTM_KEYS},
    )
    return _save(preset)


@transaction.atomic
def update_preset(user: User, preset: UtmPreset, *, token: Any = None, **changes: Any) -> UtmPreset:
    """Change the fields given; a field passed as UNSET (or left out) stays as it is."""
    policy.authorize(user, "workspace.update", preset, token=token)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown preset fields: {sorted(unknown)}")
    preset = UtmPreset.objects.select_for_update().get(pk=preset.pk)
    for field, value in changes.items():
        if value is UNSET:
            continue
        if field == "campaign_id":
            preset.campaign = _campaign(preset.workspace, value)
        else:
            setattr(preset, field, value)
    return _save(preset)


@transaction.atomic
def delete_preset(user: User, preset: UtmPreset, *, token: Any = None) -> None:
    policy.authorize(user, "workspace.update", preset, token=token)
    preset.delete()
