"""The one place a post changes state.

Every move goes through ``move()``, which checks the transition against ``TRANSITIONS``
and applies it with a conditional UPDATE, so two requests (or a request and a worker)
racing on the same post cannot both win.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.publishing.models import Post, PostState

S = PostState

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.IN_REVIEW, S.SCHEDULED, S.PUBLISHING, S.CANCELLED}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.DRAFT, S.CANCELLED}),
    S.APPROVED: frozenset({S.SCHEDULED, S.PUBLISHING, S.DRAFT, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.PUBLISHING, S.DRAFT, S.CANCELLED}),
    # A post that is partly out can still be cancelled: deliveries not yet sent stop.
    S.PUBLISHING: frozenset({S.PUBLISHED, S.FAILED, S.CANCELLED}),
    S.FAILED: frozenset({S.SCHEDULED, S.PUBLISHING, S.DRAFT, S.CANCELLED}),
    S.PUBLISHED: frozenset(),
    S.CANCELLED: frozenset({S.DRAFT}),
}

# States in which the post's content may still be edited.
EDITABLE = frozenset({S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.FAILED, S.CANCELLED})


class TransitionError(Exception):
    def __init__(self, current: str, target: str) -> None:
        self.current = current
        self.target = target
        super().__init__(
            _("A post that is %(current)s cannot become %(target)s.")
            % {
                "current": str(PostState(current).label).lower(),
                "target": str(PostState(target).label).lower(),
            }
        )


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def move(post: Post, target: str, *, expected: str | None = None) -> None:
    """Move `post` to `target`, or raise TransitionError if it is no longer allowed.

    The update is conditional on the state the caller read (or `expected`): a concurrent
    move that got there first makes this one fail instead of overwriting it.
    """
    current = expected or post.state
    if not can_move(current, target):
        raise TransitionError(current, target)
    changes: dict[str, object] = {"state": target, "updated_at": timezone.now()}
    if target == S.PUBLISHED:
        changes["published_at"] = timezone.now()
    updated = Post.objects.filter(pk=post.pk, state=current).update(
        **changes, version=F("version") + 1
    )
    if not updated:
        post.refresh_from_db(fields=["state", "version"])
        raise TransitionError(post.state, target)
    post.refresh_from_db(fields=["state", "version", "updated_at", "published_at"])
