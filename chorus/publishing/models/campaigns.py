"""Campaigns and tags: how a team groups posts for filtering and reporting."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Organisation, Workspace


class Campaign(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=120)
    # The utm_campaign value links get when a post belongs to this campaign.
    utm_campaign = models.CharField(_("UTM campaign"), max_length=120, blank=True)
    color = models.CharField(_("colour"), max_length=7, default="#3b6fd8")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_campaign_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_tag_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation
