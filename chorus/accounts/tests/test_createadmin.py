from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chorus.accounts.models import User
from chorus.orgs.models import Membership


def test_it_creates_an_owner_and_prints_how_to_log_in(db):
    out = StringIO()
    call_command("createadmin", "--email", "Boss@Example.test", stdout=out)
    user = User.objects.get()
    assert user.email == "boss@example.test" and user.is_superuser
    assert Membership.objects.get(user=user).role == "owner"
    text = out.getvalue()
    password = text.split("password: ")[1].split()[0]
    assert user.check_password(password)
    assert "/login/" in text


def test_it_does_nothing_with_if_none_when_users_exist(db):
    call_command("createadmin", stdout=StringIO())
    out = StringIO()
    call_command("createadmin", "--if-none", stdout=out)
    assert User.objects.count() == 1
    assert "password:" not in out.getvalue()


def test_it_refuses_an_existing_email(db):
    call_command("createadmin", "--email", "a@example.test", stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("createadmin", "--email", "a@example.test", stdout=StringIO())
