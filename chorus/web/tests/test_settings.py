"""Personal settings: language, profile, password, two-factor authentication, API tokens."""

from __future__ import annotations

import hashlib
import re
import time

import pyotp
import pytest
from django.utils import timezone

from chorus.accounts import services
from chorus.accounts.models import ApiToken, User


@pytest.fixture
def me(tenants) -> User:
    return tenants.users["editor"]


def test_it_switches_the_language_for_a_logged_in_person(client, me):
    client.force_login(me)
    response = client.post("/language/", {"language": "lo", "next": "/settings/"})
    assert response.status_code == 302 and response["Location"] == "/settings/"
    assert client.session["language"] == "lo"
    me.refresh_from_db()
    assert me.language == "lo"
    page = client.get("/settings/")
    assert '<html lang="lo" ' in page.text
    assert page["Content-Language"] == "lo"


def test_it_switches_the_language_for_a_visitor(client, db):
    response = client.post("/language/", {"language": "lo", "next": "/login/"})
    assert response["Location"] == "/login/"
    assert client.session["language"] == "lo"
    assert '<html lang="lo" ' in client.get("/login/").text


def test_it_refuses_an_unknown_language_and_a_foreign_next(client, db):
    response = client.post("/language/", {"language": "xx"})
    assert response.status_code == 400
    assert "Unsupported language “xx”" in response.text
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_it_saves_the_profile(client, me):
    client.force_login(me)
    response = client.post(
        "/settings/", {"full_name": "Somsak", "language": "lo", "time_zone": "Asia/Vientiane"}
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.full_name, me.language, me.time_zone) == ("Somsak", "lo", "Asia/Vientiane")
    assert client.session["language"] == "lo"


def test_a_bad_profile_time_zone_is_explained(client, me):
    client.force_login(me)
    response = client.post(
        "/settings/", {"full_name": "", "language": "en", "time_zone": "Nowhere/City"}
    )
    assert response.status_code == 400
    assert "“Nowhere/City” is not an IANA time zone" in response.text
    me.refresh_from_db()
    assert me.time_zone == "UTC"


def test_changing_the_password_keeps_me_logged_in(client, me):
    client.force_login(me)
    response = client.post(
        "/settings/password/",
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "a-fresh-Passphrase-91",
            "new_password2": "a-fresh-Passphrase-91",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    me.refresh_from_db()
    assert me.check_password("a-fresh-Passphrase-91")


def test_a_wrong_old_password_is_explained(client, me):
    client.force_login(me)
    response = client.post(
        "/settings/password/",
        {
            "old_password": "nope",
            "new_password1": "a-fresh-Passphrase-91",
            "new_password2": "a-fresh-Passphrase-91",
        },
    )
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in response.text


def test_it_turns_two_factor_on_and_off(client, me):
    client.force_login(me)
    page = client.get("/settings/two-factor/")
    assert page.status_code == 200
    assert "<svg" in page.text  # the QR code, inline
    secret = client.session["totp_setup_secret"]
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in page.text
    totp = pyotp.TOTP(secret)

    wrong = "000000" if totp.now() != "000000" else "111111"
    response = client.post("/settings/two-factor/", {"code": wrong})
    assert response.status_code == 400
    assert "That code is not right" in response.text

    response = client.post("/settings/two-factor/", {"code": totp.at(time.time() - 30)})
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.totp_enabled
    assert "totp_setup_secret" not in client.session

    response = client.post("/settings/two-factor/", {"code": totp.now()})
    assert response.status_code == 302
    me.refresh_from_db()
    assert not me.totp_enabled


def test_the_setup_secret_stays_the_same_across_reloads(client, me):
    client.force_login(me)
    client.get("/settings/two-factor/")
    first = client.session["totp_setup_secret"]
    client.get("/settings/two-factor/")
    assert client.session["totp_setup_secret"] == first


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client, me):
    client.force_login(me)
    response = client.post(
        "/settings/tokens/",
        {"name": "reporting", "scopes": ["read", "write"], "expires_on": "2999-12-31"},
    )
    assert response.status_code == 200
    raw = re.search(r"chorus_[A-Za-z0-9_-]{20,}", response.text).group(0)
    token = ApiToken.objects.get(user=me)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.scopes == ["read", "write"]
    assert token.expires_at.year == 2999
    assert ApiToken.authenticate(raw) == token
    again = client.get("/settings/tokens/")
    assert raw not in again.text
    assert token.key_prefix in again.text


def test_a_token_needs_a_name_a_scope_and_a_future_expiry(client, me):
    client.force_login(me)
    response = client.post("/settings/tokens/", {"name": "", "scopes": []})
    assert response.status_code == 400
    assert response.text.count("This field is required.") == 2
    response = client.post(
        "/settings/tokens/", {"name": "old", "scopes": ["read"], "expires_on": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "The expiry must be in the future." in response.text
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(client, me):
    token, raw = services.create_token(me, name="ci", scopes=["read"])
    client.force_login(me)
    response = client.post("/settings/tokens/", {"revoke": token.pk})
    assert response.status_code == 302
    assert ApiToken.authenticate(raw) is None
    response = client.post("/settings/tokens/", {"revoke": token.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Revoked" in response.text


def test_someone_elses_token_is_not_found(client, me, tenants):
    theirs, raw = services.create_token(tenants.other_owner, name="theirs", scopes=["read"])
    client.force_login(me)
    response = client.post("/settings/tokens/", {"revoke": theirs.pk})
    assert response.status_code == 404
    assert "theirs" not in response.text
    assert ApiToken.authenticate(raw) == theirs


def test_tokens_show_when_they_were_last_used(client, me):
    token, _raw = services.create_token(me, name="ci", scopes=["read"])
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client.force_login(me)
    page = client.get("/settings/tokens/")
    assert "Never" not in page.text.split(token.key_prefix, 1)[1].split("</tr>", 1)[0]
