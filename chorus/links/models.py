"""UTM presets, Chorus' own short links and the clicks they count."""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Organisation, Workspace
from chorus.publishing.models import Campaign, Post

CODE_LENGTH = 7
MAX_CODE_LENGTH = 16


class UtmPreset(models.Model):
    """UTM templates for a workspace's links. Values may hold placeholders such as
    {network}; see chorus.links.utm. A preset tied to a campaign is used for that
    campaign's posts instead of the workspace's default."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="utm_presets")
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="utm_presets",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=120)
    utm_source = models.CharField(_("source"), max_length=200, blank=True)
    utm_medium = models.CharField(_("medium"), max_length=200, blank=True)
    utm_campaign = models.CharField(_("campaign name"), max_length=200, blank=True)
    utm_term = models.CharField(_("term"), max_length=200, blank=True)
    utm_content = models.CharField(_("content"), max_length=200, blank=True)
    is_default = models.BooleanField(_("workspace default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-is_default", "name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_utm_preset_name"),
            models.UniqueConstraint(
                fields=["workspace"],
                condition=Q(is_default=True),
                name="one_default_utm_preset",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(campaign__isnull=False),
                name="one_utm_preset_per_campaign",
            ),
            # The default applies to every post without a campaign preset; a campaign's
            # preset applies only to that campaign, so it cannot also be the default.
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(campaign__isnull=True),
                name="campaign_utm_preset_is_not_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation

    def templates(self) -> dict[str, str]:
        return {
            "utm_source": self.utm_source,
            "utm_medium": self.utm_medium,
            "utm_campaign": self.utm_campaign,
            "utm_term": self.utm_term,
            "utm_content": self.utm_content,
        }


def target_hash(url: str) -> str:
    # Target URLs can be longer than a database index entry may be, so the uniqueness
    # of (post, network, target) is kept on a digest of the URL.
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


class ShortLink(models.Model):
    """``<CHORUS_PUBLIC_URL>/l/<code>``: redirects to ``target_url`` and counts clicks.

    One link per post, network and target, so preparing a post again reuses its codes
    and the counts keep adding up.
    """

    code = models.CharField(max_length=MAX_CODE_LENGTH, unique=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="short_links")
    # A deleted post's links stay online: they were published and people still click them.
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="short_links"
    )
    network = models.CharField(_("network"), max_length=30, blank=True)
    target_url = models.TextField(_("target"))
    target_hash = models.CharField(max_length=64)
    click_count = models.PositiveBigIntegerField(_("clicks"), default=0)
    last_clicked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "network", "target_hash"], name="one_short_link_per_target"
            )
        ]
        indexes = [models.Index(fields=["workspace", "network"])]

    def __str__(self) -> str:
        return self.code

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation


class LinkClick(models.Model):
    """One counted click: a person's browser, not a bot or a link preview."""

    link = models.ForeignKey(ShortLink, on_delete=models.CASCADE, related_name="clicks")
    clicked_at = models.DateTimeField()
    # Only the host: full referrer URLs can carry other people's personal data.
    referrer_host = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ("-clicked_at", "-pk")
        indexes = [models.Index(fields=["link", "clicked_at"])]

    def __str__(self) -> str:
        return f"{self.link_id} @ {self.clicked_at:%Y-%m-%d %H:%M}"
