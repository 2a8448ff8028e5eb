"""Network options in the composer: Bluesky's language, reply control and quote, and
Mastodon's language and poll, saved as the variant's options and checked live."""

from __future__ import annotations

from chorus.publishing.models import Post
from chorus.publishing.web.tests.helpers import account, form, ws_url


def test_bluesky_and_mastodon_options_are_saved_with_their_variants(client, tenants):
    bluesky = account(tenants.workspace, "bluesky", "acme.bsky.social")
    client.force_login(tenants.users["editor"])
    data = form(
        [tenants.account, bluesky],
        "Which one?",
        action="save",
        **{
            "v-bluesky-language": "en, lo",
            "v-bluesky-reply_control": "mentioned,following",
            "v-bluesky-quote": "https://bsky.app/profile/acme.bsky.social/post/3kabc2defgh2x",
            "v-mastodon-language": "lo",
            "v-mastodon-poll_options": "Tea\nCoffee\n",
            "v-mastodon-poll_expires_in": "3600",
            "v-mastodon-poll_multiple": "1",
        },
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    assert response.status_code == 302, response.text
    post = Post.objects.get(text="Which one?")
    assert post.variants.get(network="bluesky").options == {
        "language": "en, lo",
        "reply_control": "mentioned,following",
        "quote": "https://bsky.app/profile/acme.bsky.social/post/3kabc2defgh2x",
    }
    assert post.variants.get(network="mastodon").options == {
        "language": "lo",
        "poll_options": "Tea\nCoffee",
        "poll_expires_in": 3600,
        "poll_multiple": True,
    }
    # And they come back into the form when the post is opened again.
    page = client.get(ws_url(tenants, f"posts/{post.pk}/edit/"))
    assert 'name="v-bluesky-language" type="text" value="en, lo"' in page.text
    assert '<option value="mentioned,following" selected>' in page.text
    assert "Tea\nCoffee</textarea>" in page.text


def test_a_bad_poll_and_a_foreign_quote_come_back_beside_their_fields(client, tenants):
    bluesky = account(tenants.workspace, "bluesky", "acme.bsky.social")
    client.force_login(tenants.users["editor"])
    data = form(
        [tenants.account, bluesky],
        "Vote",
        **{
            "v-bluesky-quote": "https://example.com/not-bluesky",
            "v-mastodon-poll_options": "Only one choice",
        },
    )
    response = client.post(ws_url(tenants, "compose/check/"), data)
    assert "Give the address of a Bluesky post" in response.text
    assert "A poll on this server has 2 to 4 choices, one per line." in response.text
    assert 'id="err-v-mastodon-poll_options"' in response.text


def test_account_chips_show_the_accounts_picture(client, tenants):
    bluesky = account(tenants.workspace, "bluesky", "acme.bsky.social")
    bluesky.avatar_url = "https://cdn.bsky.app/img/avatar/plain/did:plc:acme/abc@jpeg"
    bluesky.save()
    client.force_login(tenants.users["editor"])
    page = client.get(ws_url(tenants, "compose/"))
    assert (
        '<img class="chip-avatar" src="https://cdn.bsky.app/img/avatar/plain/did:plc:acme/abc@jpeg"'
        in page.text
    )
