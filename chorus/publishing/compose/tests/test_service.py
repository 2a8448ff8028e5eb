"""Saving composed media: the focus point is kept, checked and recorded in revisions."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from chorus.publishing.compose import service
from chorus.publishing.compose.inputs import MediaInput, PostInput, focus_as_text, focus_from_text
from chorus.publishing.compose.problems import InvalidPost
from chorus.publishing.models import Post, PostMedia

pytestmark = pytest.mark.django_db


def _input(tenants, *media: MediaInput) -> PostInput:  # type: ignore[no-untyped-def]
    return PostInput(text="Focus", account_ids=[tenants.account.pk], media=list(media))


def test_the_focus_point_is_saved_and_kept_in_the_revision(tenants) -> None:
    asset = tenants.media_asset.pk
    post = service.create_post(
        tenants.workspace,
        tenants.users["manager"],
        _input(tenants, MediaInput(asset, "Teal", focus=(0.5, -1.0)), MediaInput(asset)),
    )
    assert [m.focus for m in post.media.order_by("position")] == [(0.5, -1.0), None]
    media = post.revisions.get().content["media"]
    assert [m["focus"] for m in media] == [[0.5, -1.0], None]


@pytest.mark.parametrize("focus", [(1.5, 0.0), (0.0, -1.01), (float("nan"), 0.0)])
def test_a_focus_point_off_the_picture_is_refused_and_nothing_saved(tenants, focus) -> None:
    before = Post.objects.count()
    with pytest.raises(InvalidPost) as caught:
        service.create_post(
            tenants.workspace,
            tenants.users["manager"],
            _input(tenants, MediaInput(tenants.media_asset.pk, focus=focus)),
        )
    (problem,) = caught.value.problems
    assert (problem.field, problem.code) == ("media.0.focus", "invalid_focus")
    assert "-1 to 1" in problem.message
    assert Post.objects.count() == before


def test_the_database_refuses_half_a_point_or_one_off_the_picture(tenants) -> None:
    for x, y in ((0.5, None), (None, 0.5), (2.0, 0.0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            PostMedia.objects.create(
                post=tenants.post, asset=tenants.media_asset, focus_x=x, focus_y=y
            )


@pytest.mark.parametrize(
    "text, focus",
    [("", None), ("0, 0", (0.0, 0.0)), (" -1,1 ", (-1.0, 1.0)), ("0.123456789, -0.5", None)],
)
def test_focus_text_reads_back_exactly(text: str, focus) -> None:  # type: ignore[no-untyped-def]
    read = focus_from_text(text)
    if focus is not None or not text:
        assert read == focus
    assert focus_from_text(focus_as_text(read)) == read


@pytest.mark.parametrize("text", ["0", "0,0,0", "left, top", "1.5, 0", "nan, 0", "inf, 0"])
def test_focus_text_that_is_not_a_point_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        focus_from_text(text)
