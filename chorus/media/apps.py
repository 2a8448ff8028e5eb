from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.media"
    label = "media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chorus.media import signals  # noqa: F401  (connects the receivers)
