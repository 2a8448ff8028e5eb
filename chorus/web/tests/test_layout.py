"""The base layout: switcher, navigation, language, assets."""

from __future__ import annotations

from chorus.orgs.models import Membership, Organisation, Workspace, WorkspaceRole


def test_the_switcher_lists_my_organisations_and_the_workspaces_i_can_see(client, tenants):
    second = Organisation.objects.create(name="Beta Corp")
    analyst = tenants.users["analyst"]
    Membership.objects.create(organisation=second, user=analyst, role="editor")
    hidden = Workspace.objects.create(organisation=tenants.org, name="Secret Client")
    WorkspaceRole.objects.create(
        membership=analyst.memberships.get(organisation=tenants.org),
        workspace=hidden,
        role="external_approver",
    )
    client.force_login(analyst)
    page = client.get(f"/o/{tenants.org.slug}/")
    switcher = page.text.split('class="switcher"', 1)[1].split("</nav>", 1)[0]
    assert "Acme" in switcher and "Beta Corp" in switcher
    assert "Acme Brand" in switcher
    assert "Secret Client" not in switcher
    assert "Globex" not in page.text


def test_the_org_navigation_follows_the_role(client, tenants):
    client.force_login(tenants.users["owner"])
    page = client.get(f"/o/{tenants.org.slug}/")
    assert f'href="/o/{tenants.org.slug}/audit/"' in page.text
    client.force_login(tenants.users["editor"])
    page = client.get(f"/o/{tenants.org.slug}/")
    assert f'href="/o/{tenants.org.slug}/audit/"' not in page.text
    assert f'href="/o/{tenants.org.slug}/members/"' in page.text


def test_the_page_loads_local_assets_only(client, tenants):
    client.force_login(tenants.users["owner"])
    page = client.get("/").text
    assert '<html lang="en" ' in page
    assert 'src="/static/htmx/htmx.min.js"' in page
    assert 'href="/static/chorus/chorus.css"' in page
    assert "https://" not in page


def test_logging_out_is_a_form_not_a_link(client, tenants):
    client.force_login(tenants.users["owner"])
    page = client.get("/").text
    assert '<form method="post" action="/logout/">' in page


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/settings/"


def test_the_login_page_is_a_complete_page(client, db):
    page = client.get("/login/")
    assert page.status_code == 200
    assert 'name="email"' in page.text and 'name="password"' in page.text
    assert 'href="/password-reset/"' in page.text


def test_times_are_shown_in_my_time_zone(client, tenants):
    from zoneinfo import ZoneInfo

    from django.utils.dateformat import format as date_format

    owner = tenants.users["owner"]
    owner.time_zone = "Asia/Vientiane"
    owner.save()
    client.force_login(owner)
    page = client.get(f"/o/{tenants.org.slug}/audit/")
    from chorus.audit.models import AuditEvent

    newest = AuditEvent.objects.filter(organisation_id=tenants.org.pk).order_by("-id").first()
    local = newest.created_at.astimezone(ZoneInfo("Asia/Vientiane"))
    assert date_format(local, "Y-m-d H:i:s") in page.text
    assert "Times are shown in Asia/Vientiane." in page.text


def test_an_htmx_refusal_is_a_fragment_for_the_status_area(client, tenants):
    client.force_login(tenants.users["analyst"])
    editor = Membership.objects.get(user=tenants.users["editor"])
    response = client.post(
        f"/o/{tenants.org.slug}/members/{editor.pk}/role/",
        {"role": "agent"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert "<html" not in response.text
    assert "data-refusal" in response.text
    assert "Your role (Analyst) does not allow this" in response.text


def test_the_lao_interface_uses_the_catalogue(client, tenants):
    import pytest
    from django.utils import translation

    with translation.override("lo"):
        translated = translation.gettext("Your organisations")
    if translated == "Your organisations":
        pytest.skip("no Lao catalogue compiled yet")
    client.force_login(tenants.users["owner"])
    client.post("/language/", {"language": "lo"})
    assert translated in client.get("/").text
