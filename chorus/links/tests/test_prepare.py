"""Preparing post text for a network: tagging and shortening every link in place."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from chorus.links.models import ShortLink, UtmPreset
from chorus.links.prepare import LinkMode, prepare_link, prepare_text
from chorus.publishing.models import Campaign, Post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_public_url")]

PUBLIC = "https://go.acme.test"
SHORT = re.compile(r"https://go\.acme\.test/l/([A-Za-z0-9]{7})")


@pytest.fixture
def _public_url():
    with override_settings(CHORUS_PUBLIC_URL=PUBLIC + "/"):
        yield


@pytest.fixture
def preset(tenants):
    return UtmPreset.objects.create(
        workspace=tenants.workspace,
        name="Default",
        utm_source="{network}",
        utm_medium="social",
        utm_campaign="{campaign}",
        utm_content="{post_id}-{account}",
        is_default=True,
    )


@pytest.fixture
def post(tenants):
    return Post.objects.create(workspace=tenants.workspace, text="")


def _prepare(tenants, post, text, mode, network="x", campaign=None):
    return prepare_text(
        text,
        workspace=tenants.workspace,
        post=post,
        network=network,
        account_handle="@acme",
        campaign=campaign,
        mode=mode,
    )


def test_keep_sends_the_text_as_written(tenants, post, preset):
    text = "See https://example.com/a and https://example.com/b"
    assert _prepare(tenants, post, text, LinkMode.KEEP) == text
    assert not ShortLink.objects.filter(post=post).exists()


def test_utm_only_tags_every_link_in_place(tenants, post, preset):
    text = "ເບິ່ງ https://example.com/a?x=1#top, ແລະ https://example.org/ 🎉"
    expected_tail = f"utm_source=x&utm_medium=social&utm_content={post.pk}-acme"
    assert _prepare(tenants, post, text, "utm_only") == (
        f"ເບິ່ງ https://example.com/a?x=1&{expected_tail}#top, "
        f"ແລະ https://example.org/?{expected_tail} 🎉"
    )


def test_shorten_replaces_each_link_and_keeps_the_text_around_it(tenants, post, preset):
    text = (
        "ຂ່າວດີ🎉https://example.com/news ສະບາຍດີ (https://example.org/page). "
        "สวัสดี https://example.net/ไทย!"
    )
    result = _prepare(tenants, post, text, LinkMode.SHORTEN)
    codes = SHORT.findall(result)
    assert len(codes) == 3
    assert SHORT.sub("<link>", result) == ("ຂ່າວດີ🎉<link> ສະບາຍດີ (<link>). สวัสดี <link>ไทย!")
    links = [ShortLink.objects.get(code=code) for code in codes]
    assert [link.target_url.partition("?")[0] for link in links] == [
        "https://example.com/news",
        "https://example.org/page",
        "https://example.net/",
    ]
    assert all(link.post == post and link.network == "x" for link in links)
    assert all("utm_source=x" in link.target_url for link in links)


def test_mastodon_links_keep_their_unicode_paths(tenants, post, preset):
    text = "สวัสดี https://example.net/ไทย!"
    result = _prepare(tenants, post, text, LinkMode.SHORTEN, network="mastodon")
    [code] = SHORT.findall(result)
    assert result == f"สวัสดี {PUBLIC}/l/{code}!"
    target = ShortLink.objects.get(code=code).target_url
    assert target.startswith("https://example.net/ไทย?utm_source=mastodon&")


def test_preparing_again_reuses_the_codes(tenants, post, preset):
    text = "https://example.com/a https://example.com/a https://example.com/b"
    first = _prepare(tenants, post, text, LinkMode.SHORTEN)
    again = _prepare(tenants, post, text, LinkMode.SHORTEN)
    assert first == again
    codes = SHORT.findall(first)
    assert codes[0] == codes[1] != codes[2]
    assert ShortLink.objects.filter(post=post).count() == 2
    # Another network gets its own links, so clicks are counted per network.
    other = _prepare(tenants, post, text, LinkMode.SHORTEN, network="bluesky")
    assert set(SHORT.findall(other)).isdisjoint(codes)


def test_links_already_shortened_and_bare_hosts_stay(tenants, post, preset):
    existing = f"{PUBLIC}/l/AbCdEf1"
    text = f"Old {existing} and example.com and mailto:x@example.com"
    assert _prepare(tenants, post, text, LinkMode.SHORTEN) == text


def test_parameters_already_on_a_link_are_kept(tenants, post, preset):
    text = "https://example.com/?utm_source=partner&utm_medium=ad"
    result = _prepare(tenants, post, text, LinkMode.UTM_ONLY)
    assert result.startswith("https://example.com/?utm_source=partner&utm_medium=ad&")
    assert result.count("utm_source") == 1


def test_a_campaign_preset_and_placeholders(tenants, post, preset):
    campaign = Campaign.objects.create(
        workspace=tenants.workspace, name="Spring Sale", utm_campaign="spring-2030"
    )
    UtmPreset.objects.create(
        workspace=tenants.workspace,
        campaign=campaign,
        name="Spring",
        utm_source="{workspace}",
        utm_campaign="{campaign}",
    )
    result = _prepare(tenants, post, "https://example.com/", LinkMode.UTM_ONLY, campaign=campaign)
    assert result == (
        f"https://example.com/?utm_source={tenants.workspace.slug}&utm_campaign=spring-2030"
    )


def test_without_a_preset_links_are_only_shortened(tenants, post):
    result = _prepare(tenants, post, "https://example.com/x?a=1", LinkMode.SHORTEN)
    [code] = SHORT.findall(result)
    assert ShortLink.objects.get(code=code).target_url == "https://example.com/x?a=1"


def test_prepare_link_for_the_link_field(tenants, post, preset):
    kwargs = {
        "workspace": tenants.workspace,
        "post": post,
        "network": "linkedin",
        "account_handle": "acme",
    }
    assert prepare_link("", mode="shorten", **kwargs) == ""
    assert prepare_link(" https://example.com/ ", mode="keep", **kwargs) == " https://example.com/ "
    tagged = prepare_link("https://example.com/#a", mode="utm_only", **kwargs)
    assert tagged == (
        f"https://example.com/?utm_source=linkedin&utm_medium=social&utm_content={post.pk}-acme#a"
    )
    short = prepare_link("https://example.com/#a", mode="shorten", **kwargs)
    [code] = SHORT.findall(short)
    assert ShortLink.objects.get(code=code).target_url == tagged


def test_another_workspaces_post_or_campaign_is_refused(tenants, preset):
    theirs = Post.objects.create(workspace=tenants.other_workspace, text="")
    with pytest.raises(ValueError, match="another workspace"):
        _prepare(tenants, theirs, "https://example.com/", LinkMode.SHORTEN)
    campaign = Campaign.objects.create(workspace=tenants.other_workspace, name="Theirs")
    with pytest.raises(ValueError, match="another workspace"):
        _prepare(tenants, None, "https://example.com/", LinkMode.SHORTEN, campaign=campaign)


def test_an_unknown_mode_is_refused(tenants, post):
    with pytest.raises(ValueError, match="shrink"):
        _prepare(tenants, post, "https://example.com/", "shrink")
