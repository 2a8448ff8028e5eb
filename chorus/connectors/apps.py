from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.connectors"
    label = "connectors"
    default_auto_field = "django.db.models.BigAutoField"
