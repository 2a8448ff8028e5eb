"""UTM preset rules: valid templates, one default, one preset per campaign, audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from chorus.audit.models import AuditEvent
from chorus.links import presets
from chorus.links.models import UtmPreset
from chorus.orgs.policy import Forbidden, NotFound
from chorus.publishing.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenants):
    return tenants.users["manager"]


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict


def test_it_creates_a_preset_with_placeholders(tenants, manager):
    preset = presets.create_preset(
        manager,
        tenants.workspace,
        name="  Social  ",
        utm_source="{network}",
        utm_medium="social",
        utm_content="{post_id}-{account}",
        is_default=True,
    )
    assert (preset.name, preset.is_default, preset.utm_source) == ("Social", True, "{network}")


def test_an_unknown_placeholder_is_refused_naming_its_field(tenants, manager):
    with pytest.raises(ValidationError) as caught:
        presets.create_preset(
            manager,
            tenants.workspace,
            name="Typo",
            utm_source="{network}",
            utm_campaign="{campain}",
            utm_term="{",
        )
    errors = _errors(caught.value)
    assert set(errors) == {"utm_campaign", "utm_term"}
    assert "{campain}" in errors["utm_campaign"][0]
    assert not UtmPreset.objects.filter(name="Typo").exists()


def test_a_source_is_required(tenants, manager):
    with pytest.raises(ValidationError) as caught:
        presets.create_preset(manager, tenants.workspace, name="No source", utm_medium="social")
    assert "utm_source" in _errors(caught.value)


def test_making_a_preset_default_takes_it_from_the_previous_one(tenants, manager):
    first = presets.create_preset(
        manager, tenants.workspace, name="First", utm_source="a", is_default=True
    )
    second = presets.create_preset(
        manager, tenants.workspace, name="Second", utm_source="b", is_default=True
    )
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    # The change to the first one is in the audit trail too.
    assert AuditEvent.objects.filter(
        action="links.utmpreset.update", object_id=str(first.pk)
    ).exists()


def test_the_database_keeps_one_default_per_workspace(tenants):
    UtmPreset.objects.create(workspace=tenants.workspace, name="A", utm_source="a", is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        UtmPreset.objects.create(
            workspace=tenants.workspace, name="B", utm_source="b", is_default=True
        )


def test_campaign_presets(tenants, manager):
    campaign = Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    preset = presets.create_preset(
        manager, tenants.workspace, name="Spring links", utm_source="x", campaign_id=campaign.pk
    )
    assert preset.campaign == campaign
    with pytest.raises(ValidationError) as caught:
        presets.create_preset(
            manager, tenants.workspace, name="Again", utm_source="x", campaign_id=campaign.pk
        )
    assert "Spring links" in _errors(caught.value)["campaign_id"][0]
    with pytest.raises(ValidationError) as caught:
        presets.update_preset(manager, preset, is_default=True)
    assert "is_default" in _errors(caught.value)


def test_another_workspaces_campaign_is_not_found(tenants, manager):
    theirs = Campaign.objects.create(workspace=tenants.other_workspace, name="Theirs")
    with pytest.raises(ValidationError) as caught:
        presets.create_preset(
            manager, tenants.workspace, name="Sneaky", utm_source="x", campaign_id=theirs.pk
        )
    assert set(_errors(caught.value)) == {"campaign_id"}


def test_names_are_unique_in_a_workspace(tenants, manager):
    with pytest.raises(ValidationError) as caught:
        presets.create_preset(manager, tenants.workspace, name="Matrix preset", utm_source="x")
    assert "name" in _errors(caught.value)


def test_update_changes_only_what_is_given(tenants, manager):
    preset = presets.update_preset(manager, tenants.utm_preset, utm_medium="organic")
    assert (preset.name, preset.utm_source, preset.utm_medium) == (
        "Matrix preset",
        "{network}",
        "organic",
    )


def test_the_policy_guards_every_change(tenants):
    editor = tenants.users["editor"]
    with pytest.raises(Forbidden):
        presets.create_preset(editor, tenants.workspace, name="X", utm_source="x")
    with pytest.raises(Forbidden):
        presets.update_preset(editor, tenants.utm_preset, name="X")
    with pytest.raises(Forbidden):
        presets.delete_preset(editor, tenants.utm_preset)
    with pytest.raises(NotFound):
        presets.delete_preset(tenants.users["owner"], tenants.other_utm_preset)
    assert UtmPreset.objects.filter(pk=tenants.other_utm_preset.pk).exists()


def test_the_campaign_preset_beats_the_default(tenants, manager):
    campaign = Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    other = Campaign.objects.create(workspace=tenants.workspace, name="Autumn")
    assert presets.effective_preset(tenants.workspace, campaign) is None
    default = presets.create_preset(
        manager, tenants.workspace, name="Default", utm_source="d", is_default=True
    )
    own = presets.create_preset(
        manager, tenants.workspace, name="Spring's", utm_source="s", campaign_id=campaign.pk
    )
    assert presets.effective_preset(tenants.workspace, campaign) == own
    assert presets.effective_preset(tenants.workspace, other) == default
    assert presets.effective_preset(tenants.workspace, None) == default


def test_preset_changes_are_audited(tenants, manager):
    preset = presets.create_preset(manager, tenants.workspace, name="Audited", utm_source="x")
    presets.delete_preset(manager, preset)
    actions = set(
        AuditEvent.objects.filter(object_type="links.utmpreset").values_list("action", flat=True)
    )
    assert {"links.utmpreset.create", "links.utmpreset.delete"} <= actions
    event = AuditEvent.objects.filter(action="links.utmpreset.create").last()
    assert event is not None and event.organisation_id == tenants.org.pk
