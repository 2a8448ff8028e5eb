from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"
