"""The steps every writer of annotations shares: the services, restore and re-anchoring.

Each of them names who acts for the history record, locks a claim before its sources and
notes (one lock order, so writers on the same claim queue instead of deadlocking), and
moves a claim's stamps when what it shows changes (annotate.versioning). They are written
once here so that no writer, today's or a new one, can do one of them its own way.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from annotate.changes import recording
from annotate.changes.models import Scope
from annotate.models import Citation, Claim
from articles.models import Article, Paragraph, Revision


def require(allowed: bool, message: str) -> None:
    """Refuse with PermissionDenied unless an access rule (annotate.access) allowed it."""
    if not allowed:
        raise PermissionDenied(message)


def acted_by(obj: Any, user: AbstractBaseUser, reason: str | None = None) -> Any:
    """Name who acts (and why) for the history record the next save or delete writes."""
    obj._history_user = user
    obj._change_reason = reason
    return obj


def hold_text_still(paragraph_id: int) -> None:
    """Share-lock the article of the paragraph before adding or removing a span on it.

    A revision import locks the article exclusively while it anchors every span into the
    new text (annotate.reanchoring.revision_import). Holding the article's share lock, a
    writer of spans waits for an import under way (and then finds its paragraph is no
    longer current), and an import waits for writers already under way (and then anchors
    the span just made, and not the one just deleted). Writers of spans don't wait for
    each other. SQLite's writers take turns anyway. Taken first, before any row lock of
    the writer (claim_delete's span, claim, children), so that locks are always taken in
    one order.
    """
    if connection.vendor != "postgresql":
        return
    article, revision, paragraph = (
        model._meta.db_table for model in (Article, Revision, Paragraph)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {article} a JOIN {revision} r ON r.article_id = a.id"  # noqa: S608 (table names)
            f" JOIN {paragraph} p ON p.revision_id = r.id WHERE p.id = %s FOR SHARE OF a",
            [paragraph_id],
        )


def lock_claim(claim_id: int) -> None:
    """Lock the claim before its sources or notes, as claim_delete does (claim first,
    then its children): one lock order for every writer, so writers on the same claim
    queue instead of deadlocking."""
    Claim.objects.select_for_update().filter(pk=claim_id).values_list("pk").first()


def touch_claims(claims: QuerySet[Claim], user: AbstractBaseUser | None) -> None:
    """Claims show their citations, links and placement: move their versions when those
    change, and tell the changes feed (annotate.changes) that they look different now."""
    recording.record_claims(claims, user)
    claims.update(updated_at=timezone.now())


def touch_claim(claim_id: int, user: AbstractBaseUser | None) -> None:
    """A claim's version covers its citations: move it when they change."""
    touch_claims(Claim.objects.filter(pk=claim_id), user)


def touch_citing_claims(source_id: int, user: AbstractBaseUser | None) -> None:
    """Every claim shows the sources it cites (reliability included): move their versions
    when a source changes."""
    citing = Citation.objects.filter(source_id=source_id).values("claim_id")
    touch_claims(Claim.objects.filter(pk__in=citing), user)


def touch_claim_notes(claim_id: int, user: AbstractBaseUser | None) -> None:
    """Its notes move their own stamp: under independent review not everyone sees them,
    and who doesn't must not see the claim change (annotate.versioning), in the feed
    neither (Scope.NOTES)."""
    claims = Claim.objects.filter(pk=claim_id)
    recording.record_claims(claims, user, scope=Scope.NOTES)
    claims.update(notes_updated_at=timezone.now())
