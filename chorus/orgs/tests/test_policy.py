from chorus.orgs import policy
from chorus.orgs.models import WorkspaceRole


def test_it_allows_roles_listed_for_an_action(tenants):
    assert policy.can(tenants.users["admin"], "workspace.create", tenants.org)
    assert not policy.can(tenants.users["editor"], "workspace.create", tenants.org)


def test_it_hides_other_organisations(tenants):
    import pytest

    with pytest.raises(policy.NotFound):
        policy.authorize(tenants.users["owner"], "workspace.view", tenants.other_workspace)


def test_it_lets_a_workspace_narrow_and_widen_a_role(tenants):
    editor = tenants.users["editor"]
    analyst = tenants.users["analyst"]
    assert not policy.can(editor, "post.publish", tenants.workspace)
    WorkspaceRole.objects.create(
        membership=editor.memberships.get(), workspace=tenants.workspace, role="manager"
    )
    assert policy.can(editor, "post.publish", tenants.workspace)
    WorkspaceRole.objects.create(
        membership=analyst.memberships.get(), workspace=tenants.workspace, role="agent"
    )
    assert not policy.can(analyst, "report.view", tenants.workspace)
    assert list(policy.workspaces_for(analyst, tenants.org, "report.view")) == []
    assert list(policy.workspaces_for(editor, tenants.org, "post.publish")) == [tenants.workspace]
