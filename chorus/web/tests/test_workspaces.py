"""Organisations and workspaces: create, view, edit, delete; other tenants stay invisible."""

from __future__ import annotations

from chorus.orgs.models import Membership, Organisation, SocialAccount, Workspace


def test_it_creates_an_organisation_and_makes_me_its_owner(client, tenants):
    client.force_login(tenants.users["analyst"])
    response = client.post("/organisations/new/", {"name": "Initech"})
    org = Organisation.objects.get(name="Initech")
    assert response["Location"] == f"/o/{org.slug}/"
    assert Membership.objects.get(organisation=org).role == "owner"
    page = client.get(response["Location"])
    assert "Organisation “Initech” created." in page.text


def test_it_refuses_an_organisation_without_a_name(client, tenants):
    client.force_login(tenants.users["analyst"])
    response = client.post("/organisations/new/", {"name": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.text


def test_the_overview_lists_the_workspaces_i_can_open(client, tenants):
    Workspace.objects.create(organisation=tenants.org, name="Client Z")
    client.force_login(tenants.users["editor"])
    page = client.get(f"/o/{tenants.org.slug}/")
    assert "Acme Brand" in page.text and "Client Z" in page.text
    assert "New workspace" not in page.text  # editors cannot create workspaces
    client.force_login(tenants.users["external_approver"])
    page = client.get(f"/o/{tenants.org.slug}/")
    assert page.status_code == 200
    assert "Acme Brand" not in page.text
    assert "There is no workspace you can open" in page.text


def test_it_creates_a_workspace(client, tenants):
    client.force_login(tenants.users["admin"])
    response = client.post(
        f"/o/{tenants.org.slug}/workspaces/new/",
        {"name": "Lao Coffee", "kind": "client", "time_zone": "Asia/Vientiane"},
    )
    workspace = Workspace.objects.get(name="Lao Coffee")
    assert response["Location"] == f"/o/{tenants.org.slug}/w/{workspace.slug}/"
    assert workspace.kind == "client" and workspace.time_zone == "Asia/Vientiane"


def test_a_bad_time_zone_is_shown_on_its_field(client, tenants):
    client.force_login(tenants.users["admin"])
    response = client.post(
        f"/o/{tenants.org.slug}/workspaces/new/",
        {"name": "Moon", "kind": "brand", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 400
    assert "“Mars/Olympus” is not an IANA time zone" in response.text
    # The message sits with the time zone field, which is marked invalid.
    assert 'id="id_time_zone_error"' in response.text
    assert not Workspace.objects.filter(name="Moon").exists()


def test_the_workspace_page_lists_its_accounts(client, tenants):
    SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="bluesky",
        remote_id="did:plc:1",
        handle="@acme.bsky.social",
        status=SocialAccount.Status.NEEDS_RECONNECT,
        last_error="Token expired",
    )
    client.force_login(tenants.users["analyst"])
    page = client.get(f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/")
    assert page.status_code == 200
    assert "@acme.bsky.social" in page.text
    assert "Needs reconnect" in page.text and "Token expired" in page.text
    assert "@globex" not in page.text


def test_the_workspace_page_has_an_empty_state(client, tenants):
    empty = Workspace.objects.create(organisation=tenants.org, name="Empty")
    client.force_login(tenants.users["owner"])
    page = client.get(f"/o/{tenants.org.slug}/w/{empty.slug}/")
    assert "No social accounts are connected to this workspace yet." in page.text


def test_an_agent_sees_the_workspace_but_not_its_accounts(client, tenants):
    client.force_login(tenants.users["agent"])
    page = client.get(f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/")
    assert page.status_code == 200
    assert "mastodon" not in page.text.lower()
    assert "does not include seeing its connected accounts" in page.text


def test_it_edits_a_workspace(client, tenants):
    client.force_login(tenants.users["manager"])
    url = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/edit/"
    assert 'value="Acme Brand"' in client.get(url).text
    response = client.post(
        url, {"name": "Acme Global", "kind": "brand", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    tenants.workspace.refresh_from_db()
    assert tenants.workspace.name == "Acme Global"
    assert tenants.workspace.time_zone == "Europe/Paris"


def test_it_deletes_a_workspace_after_confirmation(client, tenants):
    client.force_login(tenants.users["admin"])
    url = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/delete/"
    page = client.get(url)
    assert "Delete “Acme Brand”?" in page.text
    assert "1 connected social account" in page.text
    response = client.post(url)
    assert response["Location"] == f"/o/{tenants.org.slug}/"
    assert not Workspace.objects.filter(pk=tenants.workspace.pk).exists()


def test_another_organisation_looks_exactly_like_nothing(client, tenants):
    client.force_login(tenants.users["owner"])
    theirs = client.get(f"/o/{tenants.other_org.slug}/w/{tenants.other_workspace.slug}/")
    missing = client.get("/o/no-such-org/w/no-such-workspace/")
    assert theirs.status_code == missing.status_code == 404
    assert "Globex" not in theirs.text
    assert "Page not found" in theirs.text and "Page not found" in missing.text


def test_a_refused_page_says_why(client, tenants):
    client.force_login(tenants.users["editor"])
    response = client.get(f"/o/{tenants.org.slug}/workspaces/new/")
    assert response.status_code == 403
    assert "You are not allowed to do this" in response.text
    assert "Your role (Editor) does not allow this" in response.text


def test_it_renames_an_organisation(client, tenants):
    client.force_login(tenants.users["admin"])
    response = client.post(f"/o/{tenants.org.slug}/settings/", {"name": "Acme Corp"})
    assert response.status_code == 302
    tenants.org.refresh_from_db()
    assert tenants.org.name == "Acme Corp"


def test_deleting_an_organisation_needs_its_name(client, tenants):
    client.force_login(tenants.users["owner"])
    url = f"/o/{tenants.org.slug}/delete/"
    response = client.post(url, {"confirm": "acme"})
    assert response.status_code == 400
    assert "Type “Acme” exactly to confirm." in response.text
    assert Organisation.objects.filter(pk=tenants.org.pk).exists()
    response = client.post(url, {"confirm": "Acme"})
    assert response["Location"] == "/"
    assert not Organisation.objects.filter(pk=tenants.org.pk).exists()
    assert Organisation.objects.filter(pk=tenants.other_org.pk).exists()


def test_lao_names_make_working_addresses(client, tenants):
    client.force_login(tenants.users["owner"])
    response = client.post(
        f"/o/{tenants.org.slug}/workspaces/new/",
        {"name": "ຮ້ານກາເຟ ລາວ", "kind": "client", "time_zone": "Asia/Vientiane"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "ຮ້ານກາເຟ ລາວ" in page.text
