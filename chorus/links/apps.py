from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.links"
    label = "links"
    default_auto_field = "django.db.models.BigAutoField"
