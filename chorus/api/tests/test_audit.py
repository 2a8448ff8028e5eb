"""The audit trail over the API."""

from datetime import timedelta

from django.utils import timezone

from chorus.audit.models import AuditEvent


def _actions(client, tenants, **params):
    response = client.get(f"/orgs/{tenants.org.pk}/audit", **params)
    assert response.status_code == 200, response.content
    return [e["action"] for e in response.json()["items"]]


def test_it_lists_the_organisations_events_newest_first(tenants, owner):
    owner.patch(f"/workspaces/{tenants.workspace.pk}", {"name": "Acme Brand II"})
    owner.patch(f"/workspaces/{tenants.other_workspace.pk}", {"name": "Not mine"})
    actions = _actions(owner, tenants)
    assert actions[0] == "orgs.workspace.update"
    ids = [e["id"] for e in owner.get(f"/orgs/{tenants.org.pk}/audit").json()["items"]]
    assert ids == sorted(ids, reverse=True)
    org_ids = set(AuditEvent.objects.filter(pk__in=ids).values_list("organisation_id", flat=True))
    assert org_ids == {tenants.org.pk}


def test_it_filters_by_action_actor_and_time(tenants, owner):
    owner.patch(f"/workspaces/{tenants.workspace.pk}", {"name": "Acme Brand II"})
    assert _actions(owner, tenants, action="orgs.workspace.update") == ["orgs.workspace.update"]
    assert set(_actions(owner, tenants, action="orgs.workspace.*")) == {
        "orgs.workspace.create",
        "orgs.workspace.update",
    }
    by_id = _actions(owner, tenants, actor=str(owner.user.pk))
    by_email = _actions(owner, tenants, actor="OWNER@acme.test")
    assert by_id == by_email == ["orgs.workspace.update"]
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert _actions(owner, tenants, since=later) == []
    assert len(_actions(owner, tenants, until=later)) > 1


def test_it_refuses_a_time_range_that_ends_before_it_starts(tenants, owner):
    now = timezone.now()
    response = owner.get(
        f"/orgs/{tenants.org.pk}/audit",
        since=now.isoformat(),
        until=(now - timedelta(hours=1)).isoformat(),
    )
    assert response.status_code == 422
    assert "until" in response.json()["errors"]


def test_it_refuses_a_date_that_is_not_one(tenants, owner):
    response = owner.get(f"/orgs/{tenants.org.pk}/audit", since="yesterday")
    assert response.status_code == 422
    assert "since" in response.json()["errors"]


def test_it_is_for_owners_and_admins(tenants, as_role):
    assert as_role("admin").get(f"/orgs/{tenants.org.pk}/audit").status_code == 200
    assert as_role("manager").get(f"/orgs/{tenants.org.pk}/audit").status_code == 403
    assert as_role("owner").get(f"/orgs/{tenants.other_org.pk}/audit").status_code == 404
