"""Views that change tracked rows, so the tests can watch audit events made during a real
request (middleware, user, request id) without depending on product views."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from chorus.orgs.models import Organisation


def create(request: HttpRequest) -> JsonResponse:
    org = Organisation.objects.create(name=request.POST["name"])
    return JsonResponse({"id": org.pk})


def rename(request: HttpRequest, pk: int) -> JsonResponse:
    org = Organisation.objects.get(pk=pk)
    org.name = request.POST["name"]
    org.save()
    return JsonResponse({"id": org.pk})


def delete(request: HttpRequest, pk: int) -> JsonResponse:
    Organisation.objects.get(pk=pk).delete()
    return JsonResponse({})


urlpatterns = [
    path("t/orgs/", create),
    path("t/orgs/<int:pk>/rename", rename),
    path("t/orgs/<int:pk>/delete", delete),
]
