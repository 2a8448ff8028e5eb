"""Logging in through the web: password, lockout, second factor, logout, password reset."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from chorus.accounts import services
from chorus.accounts.models import User
from chorus.audit.models import AuditEvent

PASSWORD = "correct-Horse-battery-7"


@pytest.fixture
def person(db) -> User:
    return User.objects.create_user("pat@example.test", PASSWORD, full_name="Pat", language="lo")


@pytest.fixture
def two_factor_person(person: User) -> tuple[User, str]:
    secret = services.new_totp_secret()
    # Enable with the previous step's code, so the current one is still unused.
    services.enable_totp(person, secret, pyotp.TOTP(secret).at(time.time() - 30))
    return person, secret


def _logged_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_it_logs_in_with_email_and_password(client, person):
    response = client.post("/login/", {"email": "Pat@Example.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in(client)
    # The person's language takes over the session.
    assert client.session["language"] == "lo"
    assert AuditEvent.objects.filter(action="auth.login", actor_id=person.pk).exists()


def test_it_follows_a_safe_next_address_only(client, person):
    response = client.post("/login/?next=/settings/", {"email": person.email, "password": PASSWORD})
    assert response["Location"] == "/settings/"
    client.post("/logout/")
    response = client.post(
        "/login/", {"email": person.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_says_clearly_when_the_password_is_wrong(client, person):
    response = client.post("/login/", {"email": person.email, "password": "nope"})
    assert response.status_code == 400
    assert "That e-mail address and password do not match an account" in response.text
    assert not _logged_in(client)
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_it_pauses_logins_after_five_failures(client, person):
    for attempt in range(1, 6):
        response = client.post("/login/", {"email": person.email, "password": f"wrong-{attempt}"})
        if attempt < 5:
            assert response.status_code == 400
    assert response.status_code == 429
    assert "Logging in is paused" in response.text
    assert "Try again in 15 minutes" in response.text
    # Even the right password is refused until the pause is over.
    response = client.post("/login/", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not _logged_in(client)


def test_it_asks_for_the_code_before_logging_in(client, two_factor_person):
    person, secret = two_factor_person
    response = client.post("/login/", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert not _logged_in(client), "the password alone must not log in"
    page = client.get("/login/code/")
    assert "Enter your code" in page.text
    response = client.post("/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in(client)
    assert client.session["language"] == "lo"


def test_it_refuses_a_code_that_was_already_used(client, two_factor_person):
    person, secret = two_factor_person
    code = pyotp.TOTP(secret).now()
    client.post("/login/", {"email": person.email, "password": PASSWORD})
    assert client.post("/login/code/", {"code": code}).status_code == 302
    client.post("/logout/")

    client.post("/login/", {"email": person.email, "password": PASSWORD})
    response = client.post("/login/code/", {"code": code})
    assert response.status_code == 400
    # Pat reads Chorus in Lao, so the refusal comes in Lao once the catalogue is compiled.
    with translation.override(person.language):
        refusal = translation.gettext(
            "That code is not right, or it was already used. Wait "
            "for the next code in your authenticator app and enter it."
        )
    assert escape(refusal) in response.text
    assert not _logged_in(client)


def test_wrong_codes_count_as_failed_logins(client, two_factor_person):
    person, secret = two_factor_person
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    client.post("/login/", {"email": person.email, "password": PASSWORD})
    for _ in range(4):
        assert client.post("/login/code/", {"code": wrong}).status_code == 400
    # The fifth wrong code pauses logging in, like five wrong passwords would...
    response = client.post("/login/code/", {"code": wrong})
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
    # ...and the pending login is gone: even a right code now needs the password first,
    response = client.post("/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/login/"
    # which is refused during the pause.
    response = client.post("/login/", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not _logged_in(client)


def test_it_limits_codes_per_password_entry(client, two_factor_person, settings):
    settings.AXES_FAILURE_LIMIT = 50
    person, secret = two_factor_person
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    client.post("/login/", {"email": person.email, "password": PASSWORD})
    for _ in range(4):
        assert client.post("/login/code/", {"code": wrong}).status_code == 400
    response = client.post("/login/code/", {"code": wrong})
    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/")
    assert "Too many wrong codes" in page.text


def test_it_rejects_a_code_that_is_not_six_digits(client, two_factor_person):
    person, _secret = two_factor_person
    client.post("/login/", {"email": person.email, "password": PASSWORD})
    response = client.post("/login/code/", {"code": "12ab"})
    assert response.status_code == 400
    assert "Enter the 6 digits" in response.text


def test_it_forgets_a_pending_login_after_five_minutes(client, two_factor_person, monkeypatch):
    person, secret = two_factor_person
    client.post("/login/", {"email": person.email, "password": PASSWORD})
    later = time.time() + 301
    monkeypatch.setattr("chorus.accounts.views.time.time", lambda: later)
    response = client.post("/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/login/"
    assert not _logged_in(client)


def test_it_logs_out_only_by_post(client, person):
    client.force_login(person)
    assert client.get("/logout/").status_code == 405
    assert _logged_in(client)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert not _logged_in(client)


def test_it_resets_a_forgotten_password_by_email(client, person):
    response = client.post("/password-reset/", {"email": person.email})
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Choose a new Chorus password"
    link = re.search(r"http://\S+/password-reset/\S+/\S+/", message.body)
    assert link, message.body
    path = link.group(0).split("127.0.0.1:8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-New-secret-42", "new_password2": "brand-New-secret-42"},
    )
    assert response["Location"] == "/password-reset/done/"
    person.refresh_from_db()
    assert person.check_password("brand-New-secret-42")


def test_it_says_nothing_about_unknown_addresses_on_reset(client, db):
    response = client.post("/password-reset/", {"email": "nobody@example.test"})
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_it_explains_a_used_reset_link(client, person):
    response = client.get("/password-reset/MQ/bad-token/")
    assert "This link no longer works" in response.text


def test_it_names_the_missing_field(client, db):
    response = client.post("/login/", {"email": "", "password": "x"})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "do not match" not in response.text
