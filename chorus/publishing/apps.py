from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chorus.publishing import receivers, signals

        signals.post_published.connect(
            receivers.schedule_next_repeat, dispatch_uid="publishing-next-repeat"
        )
