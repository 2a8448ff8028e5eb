"""The roles a member can hold, from most to least powerful."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    EDITOR = "editor", _("Editor")
    ANALYST = "analyst", _("Analyst")
    AGENT = "agent", _("Agent")
    EXTERNAL_APPROVER = "external_approver", _("External approver")


ROLE_DESCRIPTIONS = {
    Role.OWNER: _("Everything, including transferring ownership and deleting the organisation."),
    Role.ADMIN: _("Manages members, workspaces, accounts and settings."),
    Role.MANAGER: _("Publishes without approval and manages the workspace's accounts."),
    Role.EDITOR: _("Creates posts; they need approval before publishing."),
    Role.ANALYST: _("Reads everything, including reports; changes nothing."),
    Role.AGENT: _("Works in the inbox only."),
    Role.EXTERNAL_APPROVER: _("Sees and approves the posts assigned to them, nothing else."),
}
