"""The media library in a real browser: a renamed text file is refused in place, a real
picture appears in the grid with its thumbnail. Screenshots under var/test-artifacts/."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from chorus.media import services
from chorus.media.tests.files import animated_gif, image_bytes, mp4, upload

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_it_uploads_from_the_library_and_refuses_a_renamed_file(
    tenants, browser_steps, live_server
):  # type: ignore[no-untyped-def]
    owner = tenants.users["owner"]
    services.upload(tenants.workspace, owner, upload(mp4(seconds=2, size=(160, 90)), "clip.mp4"))
    services.upload(tenants.workspace, owner, upload(animated_gif(size=(120, 90)), "dance.gif"))
    client = Client()
    client.force_login(tenants.users["editor"])
    page, shot = browser_steps.page, browser_steps.shot
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/media/")
    expect(page.get_by_role("heading", name="Media library")).to_be_visible()
    expect(page.get_by_text("clip.mp4")).to_be_visible()
    shot("library")

    page.get_by_label("File").set_input_files(
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"just some notes"}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("not a supported image or video")
    shot("renamed-file-refused")

    picture = image_bytes(size=(300, 200), color="skyblue")
    page.get_by_label("File").set_input_files(
        files=[{"name": "sky.png", "mimeType": "image/png", "buffer": picture}]
    )
    page.get_by_label("Alt text").fill("A clear sky")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("img", name="A clear sky")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_empty()
    shot("uploaded")
