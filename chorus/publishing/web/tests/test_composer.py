"""The composer page: what each role sees, the live check with counters, marked spans and
previews, saving, and every kind of bad input coming back beside its field."""

from __future__ import annotations

import re

import pytest

from chorus.media.tests.files import image_bytes
from chorus.orgs.models import SocialAccount
from chorus.publishing.models import Post, PostRevision, PostState
from chorus.publishing.web.tests.helpers import account, form, ws_url


def test_a_manager_gets_every_publishing_button(client, tenants):
    client.force_login(tenants.users["manager"])
    page = client.get(ws_url(tenants, "compose/"))
    assert page.status_code == 200
    for label in ("Save draft", "Schedule", "Add to queue", "Share next", "Publish now"):
        assert f">{label}</button>" in page.text
    assert f'name="accounts" value="{tenants.account.pk}"' in page.text
    assert 'hx-trigger="input changed delay:300ms' in page.text


def test_an_editor_sees_submit_for_approval_instead_of_schedule(client, tenants):
    client.force_login(tenants.users["editor"])
    page = client.get(ws_url(tenants, "compose/"))
    assert ">Submit for approval</button>" in page.text
    assert ">Schedule</button>" not in page.text
    assert ">Publish now</button>" not in page.text


def test_an_account_that_needs_reconnecting_is_shown_disabled(client, tenants):
    broken = account(
        tenants.workspace,
        "bluesky",
        "broken.bsky.social",
        status=SocialAccount.Status.NEEDS_RECONNECT,
    )
    client.force_login(tenants.users["manager"])
    page = client.get(ws_url(tenants, "compose/"))
    chip = re.search(rf'<input[^>]*value="{broken.pk}"[^>]*>', page.text)
    assert chip and "disabled" in chip.group(0)
    assert "Needs reconnect" in page.text
    # Sent anyway (a stale page): refused with the reason, nothing saved.
    response = client.post(ws_url(tenants, "compose/"), form([broken], action="save"))
    assert response.status_code == 422
    assert "broken.bsky.social needs reconnecting" in response.text
    assert not Post.objects.filter(text="Hello").exists()


def test_the_live_check_marks_over_long_x_text_and_turns_its_counter_red(client, tenants):
    x = account(tenants.workspace, "x", "acme_x")
    client.force_login(tenants.users["editor"])
    text = "a" * 270 + "b" * 30
    response = client.post(ws_url(tenants, "compose/check/"), form([x], text))
    assert response.status_code == 200
    counter = re.search(r'<span class="counter counter-over"[^>]*>([^<]*)<', response.text)
    assert counter and counter.group(1).strip() == "300/280 characters"
    # The characters past the limit are marked, beside the field and in the summary.
    assert "<mark>" + "b" * 20 + "</mark>" in response.text
    assert 'id="err-text" class="composer-errors" hx-swap-oob="true"' in response.text
    assert "The text is too long for X: 300 characters, at most 280." in response.text
    assert not Post.objects.filter(text=text).exists()


def test_the_live_check_counts_each_network_and_thread_part_its_own_way(client, tenants):
    x = account(tenants.workspace, "x", "acme_x")
    client.force_login(tenants.users["editor"])
    data = form(
        [x, tenants.account],
        "ສະບາຍດີ 🇱🇦",
        **{"v-x-thread": ["Second part", ""], "v-mastodon-spoiler_text": "Spoilers"},
    )
    response = client.post(ws_url(tenants, "compose/check/"), data)
    text = response.text
    # X weighs Lao and emoji double; Mastodon counts characters (and its content warning).
    assert re.search(r"Part 1: \d+/280 characters", text)
    assert "Part 2: 11/280 characters" in text
    assert re.search(r"Mastodon</span>\s*<span class=\"counter\" data-counter>\d+/500", text)
    assert 'class="preview preview-x"' in text and 'class="preview preview-mastodon"' in text
    # The content warning hides the text until opened, as on Mastodon.
    assert '<details class="preview-cw"><summary><span>Spoilers</span>' in text


def test_it_saves_a_draft_with_variants_tags_campaign_and_link_mode(client, tenants):
    client.force_login(tenants.users["editor"])
    data = form(
        [tenants.account],
        "Launch day",
        action="save",
        link="https://example.com/launch",
        link_mode="utm_only",
        campaign=str(tenants.campaign.pk),
        tags="launch, spring ,",
        evergreen="1",
        repeat="weekly",
        repeat_interval="2",
        **{"v-mastodon-text": "Launch day on the fediverse", "v-mastodon-visibility": "unlisted"},
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    post = Post.objects.get(text="Launch day")
    assert response.status_code == 302
    assert response["Location"] == ws_url(tenants, f"posts/{post.pk}/")
    assert post.state == PostState.DRAFT and post.author == tenants.users["editor"]
    assert post.link_mode == "utm_only" and post.campaign == tenants.campaign
    assert sorted(post.tags.values_list("name", flat=True)) == ["launch", "spring"]
    assert post.evergreen and post.recurrence == "FREQ=WEEKLY;INTERVAL=2"
    variant = post.variants.get()
    assert variant.text == "Launch day on the fediverse"
    assert variant.options == {"visibility": "unlisted"}
    assert PostRevision.objects.filter(post=post).count() == 1
    page = client.get(response["Location"])
    assert "Draft saved" in page.text or "Saved." in page.text


def test_bad_input_comes_back_beside_each_field_with_what_was_typed(client, tenants):
    client.force_login(tenants.users["manager"])
    data = form(
        [tenants.account],
        "",
        action="save",
        link="not a link",
        campaign="abc",
        first_comment="Kept as typed",
        repeat="daily",
        repeat_until="someday",
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    assert response.status_code == 422
    text = response.text
    assert re.search(r'id="err-link"[^>]*>.*Enter a full web address', text)
    assert re.search(r'id="err-campaign"[^>]*>.*Choose a campaign from the list', text)
    assert re.search(r'id="err-repeat"[^>]*>.*Enter the end date as a date', text)
    assert 'value="not a link"' in text and ">Kept as typed</textarea>" in text
    assert Post.objects.filter(first_comment="Kept as typed").count() == 0


def test_a_problem_found_by_the_service_shows_beside_its_field(client, tenants):
    client.force_login(tenants.users["manager"])
    response = client.post(ws_url(tenants, "compose/"), form([tenants.account], "", action="save"))
    assert response.status_code == 422
    assert re.search(
        r'id="err-text"[^>]*><p class="field-error"><strong>Mastodon:</strong> Write something',
        response.text,
    )
    no_accounts = client.post(ws_url(tenants, "compose/"), form([], "Hi", action="save"))
    assert re.search(r'id="err-accounts"[^>]*>.*Choose at least one account', no_accounts.text)


def test_another_organisations_account_reads_as_unknown(client, tenants):
    client.force_login(tenants.users["manager"])
    response = client.post(
        ws_url(tenants, "compose/"), form([tenants.other_account], action="save")
    )
    assert response.status_code == 422
    assert f"There is no account {tenants.other_account.pk} in this workspace." in response.text
    assert "Globex" not in response.text and "@globex" not in response.text


def test_a_nul_character_is_refused_not_stored(client, tenants):
    client.force_login(tenants.users["manager"])
    response = client.post(
        ws_url(tenants, "compose/"), form([tenants.account], "Hi\x00there", action="save")
    )
    assert response.status_code == 422
    assert "cannot be stored" in response.text


def test_editing_keeps_the_version_and_refuses_a_stale_save(client, tenants):
    client.force_login(tenants.users["manager"])
    post = tenants.post
    page = client.get(ws_url(tenants, f"posts/{post.pk}/edit/"))
    assert f'name="version" value="{post.version}"' in page.text
    assert "Matrix post</textarea>" in page.text
    data = form([tenants.account], "Edited", action="save", version=str(post.version))
    assert client.post(ws_url(tenants, f"posts/{post.pk}/edit/"), data).status_code == 302
    post.refresh_from_db()
    assert post.text == "Edited"
    stale = client.post(ws_url(tenants, f"posts/{post.pk}/edit/"), {**data, "text": "Lost?"})
    assert stale.status_code == 422
    assert "Someone else saved this post since you opened it" in stale.text
    post.refresh_from_db()
    assert post.text == "Edited"


def test_another_tenants_post_is_not_found_through_my_workspace(client, tenants):
    client.force_login(tenants.users["owner"])
    other = tenants.other_post
    for suffix in ("", "edit/", "deliveries/"):
        response = client.get(ws_url(tenants, f"posts/{other.pk}/{suffix}"))
        assert response.status_code == 404
        assert "Globex" not in response.text
    response = client.post(ws_url(tenants, f"posts/{other.pk}/cancel/"))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == PostState.DRAFT


def test_a_published_post_cannot_be_edited(client, tenants):
    Post.objects.filter(pk=tenants.post.pk).update(state=PostState.PUBLISHED)
    client.force_login(tenants.users["manager"])
    response = client.get(ws_url(tenants, f"posts/{tenants.post.pk}/edit/"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "A post that is published can no longer be edited." in page.text


def test_attached_media_keeps_its_alt_text_and_shows_in_previews(client, tenants):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(tenants.users["editor"])
    upload = client.post(
        ws_url(tenants, "media/upload/"),
        {"file": SimpleUploadedFile("sunrise.png", image_bytes(), "image/png")},
        HTTP_ACCEPT="application/json",
    )
    assert upload.status_code == 201
    asset = upload.json()
    data = form(
        [tenants.account],
        "With a picture",
        media_id=[str(asset["id"])],
        media_alt=["A sunrise over the Mekong"],
    )
    check = client.post(ws_url(tenants, "compose/check/"), data)
    assert f'src="{asset["thumbnail_url"]}" alt="A sunrise over the Mekong"' in check.text
    response = client.post(ws_url(tenants, "compose/"), {**data, "action": "save"})
    assert response.status_code == 302
    media = Post.objects.get(text="With a picture").media.get()
    assert media.asset_id == asset["id"] and media.alt_text == "A sunrise over the Mekong"
    edit = client.get(ws_url(tenants, f"posts/{media.post_id}/edit/"))
    assert ">A sunrise over the Mekong</textarea>" in edit.text


JUNK = {
    "accounts": ["1" * 18, "²", "-1", ""],
    "text": "x" * 100_001,
    "link": "javascript:alert(1)",
    "campaign": "9" * 18,
    "tags": "a" * 61 + ",\x00,ok",
    "repeat": "weekly",
    "repeat_interval": "100000",
    "repeat_until": "9999-12-31",
    "media_id": ["9" * 18, "x"],
    "media_alt": ["\x00"],
    "media_network": ["nowhere"],
    "date": "9999-12-31",
    "time": "23:59",
    "time_zone": "../../etc/passwd",
    "fold": "7",
    "version": "9" * 18,
    "post": "9" * 18,
    "v-x-thread": ["y"] * 150,
    "v-mastodon-visibility": "everyone",
    "v-webhook-split_as": "fax",
}


@pytest.mark.parametrize(
    "action",
    [
        "save",
        "schedule",
        "submit",
        "split:x",
        "remove-part:x:99",
        "add-part:nowhere",
        "remove-media:7",
        "split:nowhere",
    ],
)
def test_junk_input_is_answered_never_with_a_server_error(client, tenants, action):
    client.force_login(tenants.users["owner"])
    data = {**JUNK, "action": action}
    for url in ("compose/", "compose/check/", f"posts/{tenants.post.pk}/edit/"):
        response = client.post(ws_url(tenants, url), data)
        assert response.status_code in (200, 422), (url, response.status_code)
    split = client.post(ws_url(tenants, "compose/split/"), data)
    assert split.status_code in (200, 400)
    assert Post.objects.filter(text__startswith="xxx").count() == 0


def test_each_attachment_takes_a_focus_point_for_mastodon(client, tenants):
    client.force_login(tenants.users["editor"])
    asset = tenants.media_asset
    data = form(
        [tenants.account],
        "Focused",
        media_id=[str(asset.pk), str(asset.pk)],
        media_alt=["Teal", "Teal again"],
        media_focus=["-0.5, 0.25", ""],
    )
    page = client.get(ws_url(tenants, "compose/"))
    assert "Mastodon crops previews around this point" in page.text
    response = client.post(ws_url(tenants, "compose/"), {**data, "action": "save"})
    assert response.status_code == 302
    post = Post.objects.get(text="Focused")
    assert [m.focus for m in post.media.order_by("position")] == [(-0.5, 0.25), None]
    edit = client.get(ws_url(tenants, f"posts/{post.pk}/edit/"))
    assert 'id="f-media-0-focus" name="media_focus" value="-0.5, 0.25"' in edit.text
    assert 'id="f-media-1-focus" name="media_focus" value=""' in edit.text


@pytest.mark.parametrize("typed", ["2, 0", "centre", "0.5"])
def test_a_focus_point_that_is_not_on_the_picture_comes_back_beside_its_field(
    client, tenants, typed
):
    client.force_login(tenants.users["editor"])
    data = form(
        [tenants.account],
        "Off the edge",
        media_id=[str(tenants.media_asset.pk)],
        media_alt=["Teal"],
        media_focus=[typed],
    )
    response = client.post(ws_url(tenants, "compose/"), {**data, "action": "save"})
    assert response.status_code == 422
    assert not Post.objects.filter(text="Off the edge").exists()
    errors = re.search(r'id="err-media-0-focus"[^>]*>(.*?)</div>', response.text, re.S)
    assert errors and "two numbers from -1 to 1" in errors.group(1)
    assert f'name="media_focus" value="{typed}"' in response.text
