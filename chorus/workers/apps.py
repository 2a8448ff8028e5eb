from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.workers"
    label = "workers"
    default_auto_field = "django.db.models.BigAutoField"
