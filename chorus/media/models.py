"""Uploaded media and the per-network copies made from them.

Files live behind Django's storage API: local disk under var/ by default, an
S3-compatible store when workers run on several machines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Organisation, Workspace


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    GIF = "gif", _("Animated GIF")
    VIDEO = "video", _("Video")


class MediaAsset(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(max_length=500)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    # Read from the file's content, never from its name.
    mime_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    video_codec = models.CharField(max_length=40, blank=True)
    audio_codec = models.CharField(max_length=40, blank=True)
    frame_rate = models.FloatField(null=True, blank=True)
    alt_text = models.TextField(_("alt text"), blank=True)
    # A small still (first frame for videos and GIFs) for the library and the composer.
    thumbnail = models.FileField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "pk")
        constraints = [
            # The same file uploaded twice to a workspace is one asset.
            models.UniqueConstraint(fields=["workspace", "sha256"], name="one_asset_per_content")
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation

    @property
    def aspect_ratio(self) -> float | None:
        if not self.width or not self.height:
            return None
        return self.width / self.height


class MediaDerivative(models.Model):
    """A copy of an asset resized or re-encoded to fit one network's rules."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="derivatives")
    network = models.CharField(max_length=30)
    # A short hash of the limits the copy was made to fit, where they differ between
    # servers of one network (each Mastodon instance sets its own); blank elsewhere.
    fitted_to = models.CharField(max_length=16, blank=True, default="")
    file = models.FileField(max_length=500)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "network", "fitted_to"], name="one_derivative_per_limits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset} ({self.network})"

    @property
    def workspace(self) -> Workspace:
        return self.asset.workspace
