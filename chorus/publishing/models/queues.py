"""Per-account publishing settings: posting slots, pause, daily limit, rate-limit state."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Organisation, SocialAccount, Workspace


class AccountQueue(models.Model):
    account = models.OneToOneField(SocialAccount, on_delete=models.CASCADE, related_name="queue")
    paused = models.BooleanField(_("paused"), default=False)
    daily_limit = models.PositiveSmallIntegerField(
        _("posts per day at most"), null=True, blank=True
    )
    # Set from a network's rate-limit answer; workers leave the account alone until then.
    throttled_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"queue of {self.account}"

    @property
    def workspace(self) -> Workspace:
        return self.account.workspace

    @property
    def organisation(self) -> Organisation:
        return self.account.workspace.organisation


class PostingSlot(models.Model):
    """A weekday and wall-clock time, in the workspace's zone, when queued posts go out."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    time = models.TimeField(_("time"))

    class Meta:
        ordering = ("weekday", "time")
        constraints = [
            models.UniqueConstraint(fields=["account", "weekday", "time"], name="one_slot")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.time:%H:%M}"

    @property
    def workspace(self) -> Workspace:
        return self.account.workspace
