"""Web pages. Organisation pages live under /o/<org>/, workspace pages under
/o/<org>/w/<workspace>/, so the object every page acts on is named in its URL."""

from django.urls import include, path

from chorus.accounts import views as accounts
from chorus.web.views import audit, home, language, members, orgs, settings, system, workspaces

app_name = "web"

ORG = "o/<str:org_slug>/"
WS = ORG + "w/<str:ws_slug>/"

urlpatterns = [
    # Logging in and out, password reset, invitations: open to visitors.
    path("login/", accounts.login_view, name="login"),
    path("login/code/", accounts.login_code, name="login_code"),
    path("logout/", accounts.logout_view, name="logout"),
    path("password-reset/", accounts.password_reset, name="password_reset"),
    path("password-reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", accounts.password_reset_complete, name="password_reset_complete"),
    path("invite/<str:token>/", accounts.invite_accept, name="invite_accept"),
    path("language/", language.set_language, name="set_language"),
    # The person's own things.
    path("", home.home, name="home"),
    path("organisations/new/", home.org_create, name="org_create"),
    path("settings/", settings.profile, name="settings"),
    path("settings/password/", settings.password, name="settings_password"),
    path("settings/two-factor/", settings.two_factor, name="settings_2fa"),
    path("settings/tokens/", settings.tokens, name="settings_tokens"),
    # The installation.
    path("system/", system.system, name="system"),
    # An organisation.
    path(ORG, orgs.overview, name="org"),
    path(ORG + "settings/", orgs.settings_page, name="org_settings"),
    path(ORG + "delete/", orgs.delete, name="org_delete"),
    path(ORG + "members/", members.members, name="members"),
    path(ORG + "members/<int:member_id>/role/", members.member_role, name="member_role"),
    path(ORG + "members/<int:member_id>/remove/", members.member_remove, name="member_remove"),
    path(
        ORG + "members/<int:member_id>/workspaces/",
        members.member_workspaces,
        name="member_workspaces",
    ),
    path(ORG + "invitations/", members.invitations, name="invitations"),
    path(
        ORG + "invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path(ORG + "audit/", audit.audit_log, name="audit"),
    path(ORG + "workspaces/new/", workspaces.create, name="workspace_create"),
    # A workspace.
    path(WS, workspaces.detail, name="workspace"),
    path(WS + "edit/", workspaces.edit, name="workspace_edit"),
    path(WS + "delete/", workspaces.delete, name="workspace_delete"),
    path("", include("chorus.connectors.webhook.urls")),
    path("", include("chorus.connectors.web.urls")),
    path("", include("chorus.notifications.urls")),
    path("", include("chorus.links.urls")),
    path("", include("chorus.media.urls")),
    path("", include("chorus.publishing.calendar.urls")),
    path("", include("chorus.publishing.web.urls")),
    path("", include("chorus.publishing.bulk.urls")),
]
