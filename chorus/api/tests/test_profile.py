"""GET/PATCH /me."""


def test_it_shows_the_profile(owner):
    body = owner.get("/me").json()
    assert body["email"] == "owner@acme.test"
    assert body["time_zone"] == "UTC"
    assert body["totp_enabled"] is False
    assert "password" not in body and "totp_secret" not in body


def test_it_changes_only_the_fields_sent(owner):
    response = owner.patch("/me", {"full_name": "Olive Owner", "language": "lo"})
    assert response.status_code == 200
    assert response.json()["full_name"] == "Olive Owner"
    owner.user.refresh_from_db()
    assert (owner.user.full_name, owner.user.language, owner.user.time_zone) == (
        "Olive Owner",
        "lo",
        "UTC",
    )


def test_it_refuses_a_time_zone_that_does_not_exist_and_writes_nothing(owner):
    response = owner.patch("/me", {"full_name": "Changed", "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 422
    assert "Mars/Olympus_Mons" in response.json()["errors"]["time_zone"][0]
    owner.user.refresh_from_db()
    assert owner.user.full_name == ""


def test_it_refuses_an_unsupported_language(owner):
    response = owner.patch("/me", {"language": "xx"})
    assert response.status_code == 422
    assert "language" in response.json()["errors"]


def test_it_refuses_a_name_that_is_too_long(owner):
    response = owner.patch("/me", {"full_name": "x" * 151})
    assert response.status_code == 422
    assert response.json()["errors"]["full_name"] == ["Keep this to 150 characters or fewer."]
