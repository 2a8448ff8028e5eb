import time

import pyotp
import pytest
from django.core.exceptions import ValidationError

from chorus.accounts import services
from chorus.accounts.models import User


@pytest.fixture
def user(db):
    return User.objects.create_user("two@example.test", "x" * 12)


def test_it_enables_totp_only_with_a_correct_code(user):
    secret = services.new_totp_secret()
    with pytest.raises(ValidationError):
        services.enable_totp(
            user, secret, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
        )
    services.enable_totp(user, secret, pyotp.TOTP(secret).now())
    user.refresh_from_db()
    assert user.totp_enabled


def test_it_refuses_a_code_used_twice(user):
    secret = services.new_totp_secret()
    now = time.time()
    services.enable_totp(user, secret, pyotp.TOTP(secret).at(now - 30))
    code = pyotp.TOTP(secret).at(now)
    assert services.verify_totp(user, code, at=now)
    assert not services.verify_totp(user, code, at=now)


def test_it_refuses_a_code_older_than_the_last_one_used(user):
    secret = services.new_totp_secret()
    now = time.time()
    services.enable_totp(user, secret, pyotp.TOTP(secret).at(now))
    assert not services.verify_totp(user, pyotp.TOTP(secret).at(now - 30), at=now)


def test_it_rejects_malformed_codes(user):
    secret = services.new_totp_secret()
    services.enable_totp(user, secret, pyotp.TOTP(secret).now())
    for code in ["", "12345", "abcdef", "1234567"]:
        assert not services.verify_totp(user, code)


def test_it_keeps_the_secret_encrypted_in_the_row(user):
    from django.db import connection

    secret = services.new_totp_secret()
    services.enable_totp(user, secret, pyotp.TOTP(secret).now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [user.pk])
        raw = cursor.fetchone()[0]
    assert secret not in raw and raw.startswith("fernet:")
