import logging

from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chorus.notifications import receivers

        receivers.connect()
        # Apprise logs a URL it cannot parse whole, tokens and passwords included. Chorus
        # reads each call's outcome from the call's own log (chorus.notifications.sending),
        # so Apprise's records go nowhere else; the NullHandler keeps Python's last-resort
        # handler from printing them to stderr. Its own level keeps the warnings that say
        # why a send failed, whatever CHORUS_LOG_LEVEL is.
        apprise_log = logging.getLogger("apprise")
        apprise_log.addHandler(logging.NullHandler())
        apprise_log.propagate = False
        apprise_log.setLevel(logging.WARNING)
