"""A post: base content, per-network variants, targets, schedule and revisions.

The post's state moves only through ``chorus.publishing.states``; nothing else assigns
``Post.state``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Organisation, SocialAccount, Workspace
from chorus.publishing.models.campaigns import Campaign, Tag


class PostState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Post(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=PostState.choices, default=PostState.DRAFT
    )
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=2000, blank=True)
    first_comment = models.TextField(_("first comment"), blank=True)
    # What happens to links when the post goes out (chorus.links.prepare.LinkMode).
    link_mode = models.CharField(
        _("links"),
        max_length=10,
        choices=[
            ("shorten", _("Shorten and count clicks")),
            ("utm_only", _("Add UTM tags only")),
            ("keep", _("Leave as written")),
        ],
        default="shorten",
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    accounts = models.ManyToManyField(
        SocialAccount, through="publishing.Delivery", related_name="posts"
    )
    # The instant, in UTC, and the zone the author meant it in: "09:00 in Berlin" must
    # stay 09:00 in Berlin when the post is moved to a day on the other side of a DST change.
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Set when the post went into a queue slot rather than at a time the author chose.
    queued = models.BooleanField(default=False)
    # Evergreen posts go back to the end of their accounts' queues after publishing.
    evergreen = models.BooleanField(_("evergreen"), default=False)
    # RFC 5545 recurrence (FREQ=DAILY;INTERVAL=1...) read in `time_zone`'s wall time.
    recurrence = models.CharField(_("repeats"), max_length=200, blank=True)
    # The post this one was repeated or re-queued from.
    series_origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    # Optimistic locking: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("scheduled_at", "pk")
        indexes = [models.Index(fields=["workspace", "state", "scheduled_at"])]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first_line[:60] or f"Post {self.pk}"

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation


class PostVariant(models.Model):
    """What one network gets instead of the base content. Blank fields fall back to it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    network = models.CharField(_("network"), max_length=30)
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=2000, blank=True)
    first_comment = models.TextField(_("first comment"), blank=True)
    # The replies that follow the first part, in order, when the post is a thread.
    thread = models.JSONField(default=list, blank=True)
    # Network options: visibility, content warning (spoiler_text), title, language, ...
    options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("network",)
        constraints = [
            models.UniqueConstraint(fields=["post", "network"], name="one_variant_per_network")
        ]

    def __str__(self) -> str:
        return f"{self.post_id}/{self.network}"

    @property
    def workspace(self) -> Workspace:
        return self.post.workspace


class PostMedia(models.Model):
    """A media file attached to the post, for every network or for one variant."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    # Blank: every network; otherwise only this network's variant.
    network = models.CharField(max_length=30, blank=True)
    asset = models.ForeignKey("media.MediaAsset", on_delete=models.RESTRICT, related_name="uses")
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.TextField(_("alt text"), blank=True)
    # Where the picture's subject is, so networks that crop previews (Mastodon) keep it
    # in view: x from -1 (left) to 1 (right), y from -1 (bottom) to 1 (top). Both or neither.
    focus_x = models.FloatField(_("focus x"), null=True, blank=True)
    focus_y = models.FloatField(_("focus y"), null=True, blank=True)

    class Meta:
        ordering = ("network", "position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(focus_x__isnull=True, focus_y__isnull=True)
                    # A NULL comparison would pass a CHECK: name both as set.
                    | models.Q(
                        focus_x__isnull=False,
                        focus_y__isnull=False,
                        focus_x__gte=-1,
                        focus_x__lte=1,
                        focus_y__gte=-1,
                        focus_y__lte=1,
                    )
                ),
                name="focus_both_or_neither_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.asset_id}"

    @property
    def focus(self) -> tuple[float, float] | None:
        if self.focus_x is None or self.focus_y is None:
            return None
        return (self.focus_x, self.focus_y)

    @property
    def workspace(self) -> Workspace:
        return self.post.workspace


class PostRevision(models.Model):
    """A snapshot of the post as it was saved, kept for history and restore."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-version",)
        constraints = [
            models.UniqueConstraint(fields=["post", "version"], name="one_revision_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.version}"

    @property
    def workspace(self) -> Workspace:
        return self.post.workspace


def new_idempotency_key() -> str:
    return uuid.uuid4().hex
