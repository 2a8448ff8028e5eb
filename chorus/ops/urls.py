from django.urls import path

from chorus.ops import views

app_name = "ops"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.prometheus, name="metrics"),
]
