"""Optimistic concurrency: who edits a stale copy is told, not silently overwritten.

An annotation's version is its last-modified time in microseconds. A claim's version
also moves when its sources or confidence notes change (the services touch it), so a
claim's version covers everything shown with it, and `updated_after` sync finds it.
The API sends the version as its ETag; the workspace's forms carry it in a hidden field.

Not everyone is shown the same claim: under independent review a reviewer sees no other
reviewer's note on it before their own (annotate.access). So a claim keeps two stamps,
`updated_at` for what everyone sees and `notes_updated_at` for its notes, and its version
is as its reader sees it (`updated_at_seen_by`): a note they may not see moves nothing
of theirs, neither the ETag, nor the API's `version` and `updated_at`, nor
`updated_after`, nor the exports' dates, nor the workspace's live stamp. (The price: a
reviewer whose own note is deleted falls back to the older stamp; their ETag changes,
but `updated_after` does not list the claim again.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, Expression, F, Q, When
from django.db.models.functions import Greatest

from annotate import access

SEEN = "seen_updated_at"  # the annotation a claim is read with, for the version its reader sees


class StaleEdit(Exception):
    """The object changed since the client read it; `current` is the fresh copy."""

    def __init__(self, current: Any) -> None:
        super().__init__(f"{current._meta.verbose_name} {current.pk} was changed meanwhile")
        self.current = current


def updated_at_seen_by(user: Any) -> Expression:
    """Annotation for a Claim queryset: when the claim last changed as the user sees it.
    Its notes count only where the user sees others' notes (access.
    claims_with_visible_notes_q); a reviewer's own note is one of them, as recording it
    shows them everyone's."""
    with_notes = Greatest("updated_at", "notes_updated_at")
    condition = access.claims_with_visible_notes_q(user)
    if not condition:
        return with_notes
    return Case(When(condition, then=with_notes), default=F("updated_at"))


def changed_after_q(user: Any, moment: datetime) -> Q:
    """Claims that changed after `moment` as the user sees them: `updated_at_seen_by` >
    moment, said so that each stamp's index serves."""
    notes_changed = Q(notes_updated_at__gt=moment) & access.claims_with_visible_notes_q(user)
    return Q(updated_at__gt=moment) | notes_changed


def version_of(obj: Any) -> str:
    """The object's version; a claim read with `updated_at_seen_by` (as SEEN) has its
    reader's version, one read without it the version everyone sees."""
    return version_at(
        getattr(obj, SEEN, None) or getattr(obj, "updated_at", None) or obj.created_at
    )


def version_at(stamp: datetime) -> str:
    """The version of an object last modified at `stamp` (for rows read without models)."""
    return str(int(stamp.timestamp() * 1_000_000))


def lock_current(
    obj: Any, expected_version: str | frozenset[str] | None, *, seen_by: Any = None
) -> Any:
    """Lock the object's row for this transaction and return its current state.

    Raises StaleEdit when `expected_version` is given and no longer matches: the check
    and the write that follows happen under the same lock, so exactly one of two
    concurrent editors wins. It may be several versions (an If-Match list): any matches.

    For a claim, `seen_by` is the editor: the version they were shown matches, whether it
    was the one everyone sees (a form read without notes) or theirs, notes included. (A
    note changed meanwhile does not conflict with an edit of the claim's own fields.)
    """
    model = type(obj)
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    if expected_version is None or matches(current, expected_version):
        return current
    if seen_by is not None:
        seen = model._default_manager.filter(pk=obj.pk).values_list(
            updated_at_seen_by(seen_by), flat=True
        )
        setattr(current, SEEN, seen.get())  # so a StaleEdit reports the version they see
        if matches(current, expected_version):
            return current
    raise StaleEdit(current)


def matches(obj: Any, expected_version: str | frozenset[str]) -> bool:
    expected = {expected_version} if isinstance(expected_version, str) else expected_version
    return version_of(obj) in expected
