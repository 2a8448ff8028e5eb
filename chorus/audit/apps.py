from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chorus.audit import tracking

        tracking.connect()
