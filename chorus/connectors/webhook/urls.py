from django.urls import path

from chorus.connectors.webhook import views

urlpatterns = [
    path(
        "o/<str:org_slug>/w/<str:ws_slug>/accounts/webhook/new/",
        views.connect,
        name="webhook_connect",
    ),
]
