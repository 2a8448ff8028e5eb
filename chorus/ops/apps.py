from django.apps import AppConfig


class Config(AppConfig):
    name = "chorus.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from chorus.ops.middleware import clear_request_id

        request_finished.connect(clear_request_id, dispatch_uid="chorus-clear-request-id")
