from django.urls import include, path

from chorus.api.root import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("chorus.ops.urls")),
    path("", include("chorus.web.urls")),
]
