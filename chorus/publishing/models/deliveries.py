"""One delivery per (post, account): its own state, attempts, remote id and errors.

Workers claim deliveries by conditional update with a lease (see
``chorus.publishing.delivery.claim``); the lease, not the process, is the proof of
ownership, so a worker killed mid-request leaves a row that another worker reconciles.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Organisation, SocialAccount, Workspace
from chorus.publishing.models.posts import Post, new_idempotency_key


class DeliveryState(models.TextChoices):
    WAITING = "waiting", _("Waiting")  # the post is not scheduled (draft, in review)
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Retrying")
    # The request may have reached the network; ask it before trying again.
    UNKNOWN = "unknown", _("Checking")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# States a worker may pick up once `due_at` has passed.
CLAIMABLE = (DeliveryState.SCHEDULED, DeliveryState.RETRYING, DeliveryState.UNKNOWN)
FINAL = (DeliveryState.PUBLISHED, DeliveryState.FAILED, DeliveryState.CANCELLED)


class Delivery(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="deliveries")
    network = models.CharField(max_length=30)
    state = models.CharField(
        max_length=20, choices=DeliveryState.choices, default=DeliveryState.WAITING
    )
    # When the post was meant to go out, and when a worker should next act on it (later
    # than scheduled_for while backing off after an error).
    scheduled_for = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Set when an attempt ended without knowing whether the network took the post: the
    # next attempt asks the network first.
    must_check = models.BooleanField(default=False)
    lease_owner = models.CharField(max_length=80, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Sent to networks that accept one (Mastodon's Idempotency-Key, the webhook id), so
    # a retry of the same delivery can never create a second post.
    idempotency_key = models.CharField(max_length=64, default=new_idempotency_key, unique=True)
    remote_id = models.CharField(max_length=255, blank=True)
    remote_url = models.URLField(max_length=2000, blank=True)
    # Remote ids of the thread parts and first comment already published, so a retry
    # resumes a thread instead of starting it again.
    progress = models.JSONField(default=list, blank=True)
    last_error = models.TextField(blank=True)
    last_error_code = models.CharField(max_length=60, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("scheduled_for", "pk")
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="one_delivery_per_account")
        ]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.post_id}→{self.account_id} ({self.state})"

    @property
    def workspace(self) -> Workspace:
        return self.post.workspace

    @property
    def organisation(self) -> Organisation:
        return self.post.workspace.organisation


class AttemptOutcome(models.TextChoices):
    PUBLISHED = "published", _("Published")
    RETRYABLE = "retryable", _("Temporary error")
    RATE_LIMITED = "rate_limited", _("Rate limited")
    PERMANENT = "permanent", _("Refused")
    AUTH = "auth", _("Account needs reconnecting")
    UNKNOWN = "unknown", _("No answer")
    FOUND = "found", _("Found on the network")
    NOT_FOUND = "not_found", _("Not on the network")
    CRASHED = "crashed", _("Worker stopped")


class DeliveryAttempt(models.Model):
    """One try at a delivery (or at finding out what became of an earlier one)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField()
    worker = models.CharField(max_length=80, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    message = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("delivery", "started_at", "pk")

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number} {self.outcome}"

    @property
    def workspace(self) -> Workspace:
        return self.delivery.post.workspace
