"""What connecting to Mastodon keeps outside the account: the OAuth app registered on each
instance, and the authorizations a user has started but not yet finished."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from chorus.orgs.models import Workspace
from chorus.vault.fields import EncryptedTextField

# How long the user has to approve Chorus on the instance and come back.
AUTHORIZATION_TTL = timedelta(minutes=15)


class MastodonApp(models.Model):
    """Chorus' OAuth client on one instance. Registered once per instance and callback
    URL, then reused by every workspace that connects an account there."""

    instance_url = models.URLField(max_length=500)
    redirect_uri = models.URLField(max_length=1000)
    client_id = models.CharField(max_length=255)
    client_secret = EncryptedTextField()
    scopes = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instance_url", "redirect_uri"], name="one_mastodon_app_per_callback"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instance_url} ({self.client_id})"


class MastodonAuthorization(models.Model):
    """An authorization the user was sent to approve on the instance. Its `state` travels
    through the instance and back; only its SHA-256 digest is stored, so a database
    reader cannot finish someone else's authorization."""

    state = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE)
    app = models.ForeignKey(MastodonApp, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.app.instance_url} for {self.user_id}"

    @property
    def expired(self) -> bool:
        return timezone.now() - self.created_at > AUTHORIZATION_TTL
