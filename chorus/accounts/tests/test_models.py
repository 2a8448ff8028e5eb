from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.utils import timezone

from chorus.accounts.models import ApiToken, User


def test_it_hashes_passwords_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.create_user("a@example.test", "correct horse battery")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("correct horse battery")


def test_it_normalises_email_to_lower_case(db):
    user = User.objects.create_user("Mixed@Example.TEST", "x" * 12)
    assert user.email == "mixed@example.test"


def test_it_stores_only_a_hash_of_api_tokens(db):
    user = User.objects.create_user("t@example.test", "x" * 12)
    token, raw = ApiToken.issue(user, "ci", ["read"])
    assert raw.startswith("chorus_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.key_hash, stored.key_prefix)
    assert stored.key_hash == ApiToken.hash(raw)
    assert ApiToken.authenticate(raw) == token


@pytest.mark.parametrize("change", ["revoked", "expired", "inactive"])
def test_it_refuses_unusable_tokens(db, change):
    user = User.objects.create_user("t@example.test", "x" * 12)
    token, raw = ApiToken.issue(user, "ci", ["read"])
    if change == "revoked":
        token.revoked_at = timezone.now()
        token.save()
    elif change == "expired":
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save()
    else:
        user.is_active = False
        user.save()
    assert ApiToken.authenticate(raw) is None


def test_it_refuses_strings_that_are_not_tokens(db):
    assert ApiToken.authenticate("") is None
    assert ApiToken.authenticate("Bearer nonsense") is None


def test_it_records_token_use_at_most_once_a_minute(db):
    user = User.objects.create_user("t@example.test", "x" * 12)
    token, raw = ApiToken.issue(user, "ci", ["read"])
    ApiToken.authenticate(raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    ApiToken.authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    ApiToken.authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(minutes=2)
