"""Review findings on the two-step login: the lockout covers the code step too, and the
session is renewed as soon as the password is accepted."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client

from chorus.accounts import services
from chorus.accounts.models import User

PASSWORD = "correct-Horse-battery-7"


@pytest.fixture
def two_factor_person(db) -> tuple[User, str]:
    person = User.objects.create_user("pat@example.test", PASSWORD)
    secret = services.new_totp_secret()
    services.enable_totp(person, secret, pyotp.TOTP(secret).at(time.time() - 30))
    return person, secret


def _wrong(secret: str) -> str:
    return "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"


def test_it_refuses_codes_from_other_pending_logins_once_locked_out(two_factor_person):
    """Every password entry allows five codes; without checking the lockout at the code
    step, an attacker who knows the password opens many pending logins first and gets
    five guesses in each, lockout or not."""
    person, secret = two_factor_person
    first, second = Client(), Client()
    for client in (first, second):
        response = client.post("/login/", {"email": person.email, "password": PASSWORD})
        assert response["Location"] == "/login/code/"
    for _ in range(5):
        response = first.post("/login/code/", {"code": _wrong(secret)})
    assert response.status_code == 429

    response = second.post("/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 429
    assert second.get("/").status_code == 302, "a locked-out account must not log in"
    # The pending login is spent; after the pause the password is needed again.
    assert second.post("/login/code/", {"code": _wrong(secret)})["Location"] == "/login/"


def test_it_still_logs_in_with_a_right_code_before_any_lockout(two_factor_person):
    person, secret = two_factor_person
    client = Client()
    client.post("/login/", {"email": person.email, "password": PASSWORD})
    assert client.post("/login/code/", {"code": _wrong(secret)}).status_code == 400
    response = client.post("/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_renews_the_session_when_the_password_is_accepted(two_factor_person):
    """A session id planted before the login must not be the one holding the pending
    login (session fixation against the second step)."""
    person, secret = two_factor_person
    client = Client()
    client.post("/language/", {"language": "en", "next": "/login/"})
    planted = client.session.session_key
    assert planted
    client.post("/login/", {"email": person.email, "password": PASSWORD})
    pending = client.session.session_key
    assert pending != planted
    # The language chosen before logging in survives the renewal.
    assert client.session["language"] == "en"
    client.post("/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert client.session.session_key not in (planted, pending)
