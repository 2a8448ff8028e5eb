from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.vault"
    label = "vault"
    default_auto_field = "django.db.models.BigAutoField"
