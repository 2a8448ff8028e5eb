"""Review finding: an API token expiring at the end of 9999-12-31 in a time zone behind
UTC falls after the last moment a datetime can hold in UTC."""

from __future__ import annotations

from chorus.accounts.models import ApiToken


def test_it_refuses_an_expiry_past_the_last_storable_moment(client, tenants):
    me = tenants.users["editor"]
    me.time_zone = "Pacific/Honolulu"
    me.save()
    client.force_login(me)
    response = client.post(
        "/settings/tokens/", {"name": "forever", "scopes": ["read"], "expires_on": "9999-12-31"}
    )
    assert response.status_code == 400
    assert "This date is outside the supported range." in response.text
    assert not ApiToken.objects.filter(user=me).exists()
    # The page (and the list of tokens) still works afterwards.
    assert client.get("/settings/tokens/").status_code == 200


def test_it_keeps_the_last_day_of_9999_where_it_fits_in_utc(client, tenants):
    me = tenants.users["editor"]
    client.force_login(me)
    response = client.post(
        "/settings/tokens/", {"name": "long", "scopes": ["read"], "expires_on": "9999-12-31"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=me)
    assert token.expires_at is not None and token.expires_at.year == 9999
    assert client.get("/settings/tokens/").status_code == 200
