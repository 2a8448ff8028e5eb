"""Where a workspace's notifications go (Apprise URLs), and what became of each one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Organisation, Workspace
from chorus.vault.fields import EncryptedTextField


class Event(models.TextChoices):
    POST_FAILED = "post_failed", _("A post failed to publish")
    ACCOUNT_RECONNECT = "account_reconnect", _("An account needs reconnecting")
    DAILY_SUMMARY = "daily_summary", _("Daily summary at 08:00")
    POST_PUBLISHED = "post_published", _("A post was published")


class NotificationTarget(models.Model):
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="notification_targets"
    )
    name = models.CharField(_("name"), max_length=120)
    # Apprise URLs carry tokens and passwords (slack://T/B/C, mailto://user:pass@...).
    url = EncryptedTextField(_("Apprise URL"))
    # Event values (see Event); a list rather than one column per event so that a new
    # event needs no schema change.
    events = models.JSONField(_("events"), default=list)
    enabled = models.BooleanField(_("enabled"), default=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation

    @property
    def scheme(self) -> str:
        scheme, sep, _rest = (self.url or "").partition("://")
        return scheme.lower() if sep else ""

    @property
    def masked_url(self) -> str:
        """What may be shown of the URL once saved: the scheme only. Everything after it
        can be a token, a password or a private address."""
        return f"{self.scheme}://…" if self.scheme else "…"

    def wants(self, event: str) -> bool:
        return self.enabled and event in (self.events or [])

    def event_labels(self) -> list[Any]:
        return [Event(e).label for e in self.events if e in Event.values]


class NotificationLog(models.Model):
    """One try at sending one notification, kept so people can see what was sent."""

    target = models.ForeignKey(NotificationTarget, on_delete=models.CASCADE, related_name="log")
    event = models.CharField(max_length=30)
    title = models.CharField(max_length=250, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-sent_at", "-pk")

    def __str__(self) -> str:
        return f"{self.event} → {self.target_id} ({'ok' if self.ok else 'failed'})"

    @property
    def workspace(self) -> Workspace:
        return self.target.workspace


class DailySummaryRun(models.Model):
    """The day (in the workspace's zone) whose summary has been sent: at most once each."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="daily_summary_runs"
    )
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-day",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "day"], name="one_summary_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.workspace_id} {self.day}"
