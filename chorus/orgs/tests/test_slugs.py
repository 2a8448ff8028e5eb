from chorus.orgs import models
from chorus.orgs.models import Organisation, Workspace


def test_it_makes_slugs_from_names_in_any_script(db):
    assert Organisation.objects.create(name="Acme Co").slug == "acme-co"
    lao = Organisation.objects.create(name="ບໍລິສັດ ລາວ")
    assert lao.slug and " " not in lao.slug
    assert Organisation.objects.create(name="!!!").slug == "x"
    assert Organisation.objects.create(name="Acme Co").slug == "acme-co-2"


def test_it_takes_the_next_slug_when_another_save_won_the_race(db, monkeypatch):
    org = Organisation.objects.create(name="Acme")
    Workspace.objects.create(organisation=org, name="Main")
    real = models.unique_slug
    calls = []

    def stale_then_real(model, name, **scope):  # type: ignore[no-untyped-def]
        calls.append(name)
        # The first look-up saw "main" free, as a concurrent request would have.
        return "main" if len(calls) == 1 else real(model, name, **scope)

    monkeypatch.setattr(models, "unique_slug", stale_then_real)
    second = Workspace.objects.create(organisation=org, name="Main")
    assert second.slug == "main-2"
    assert len(calls) == 2


def test_it_scopes_workspace_slugs_to_their_organisation(db):
    one = Organisation.objects.create(name="One")
    two = Organisation.objects.create(name="Two")
    assert Workspace.objects.create(organisation=one, name="Brand").slug == "brand"
    assert Workspace.objects.create(organisation=two, name="Brand").slug == "brand"
