"""Bringing deleted annotations back: a lead restores a deleted claim (with the citations,
notes, span and placements deleted with it), or a citation or note deleted on its own.

A capability of its own beside annotate.services, which write everyday changes: deletes
there are real and leave each row's last state in history (see services.claim_delete),
and a restore re-inserts the rows from those history records, each with its old id and
creation time. Rules as in the services: leads only, only what is deleted, never into a
deleted claim; the same lock order (span, claim, children); and the claim's version moves
(writing.touch_claim), so sync, conditional requests and open pages see the restore.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from annotate import access
from annotate.models import Citation, Claim, ClaimRelation, ConfidenceNote, Span, SpanAnchor
from annotate.reanchoring.reanchor import span_catch_up
from annotate.services import DELETION_PREFIX
from annotate.writing import (
    acted_by,
    hold_text_still,
    lock_claim,
    require,
    touch_claim,
    touch_claim_notes,
)

RESTORED = "restored"


def last_deletion(model: type, object_id: int) -> Any:
    """The history record of the object's latest deletion, or None if it was never deleted."""
    return (
        model.history.filter(id=object_id, history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )


def _recreate(record: Any, user: AbstractBaseUser) -> Any:
    """Insert the row a history record describes, with its id and creation time."""
    obj = record.instance
    acted_by(obj, user, RESTORED).save(force_insert=True)
    # auto_now_add stamped the insert with now; the row was made when it was made.
    type(obj).objects.filter(pk=obj.pk).update(created_at=record.created_at)
    obj.created_at = record.created_at
    return obj


def _recreate_deleted_with(model: type, reason: str, user: AbstractBaseUser, **parent: int) -> None:
    """Bring back the parent's rows of `model` that one deletion (its reason) removed."""
    records = model.history.filter(history_type="-", history_change_reason=reason, **parent)
    for record in records.order_by("history_id"):
        _recreate(record, user)


@transaction.atomic
def claim_restore(*, claim_id: int, user: AbstractBaseUser) -> Claim:
    """Bring back a deleted claim with the citations, notes and span deleted with it (and the
    span's placements in later revisions), each with its old id. History records the
    restore as "restored" (a "+" with that reason)."""
    require(access.can_restore(user), "Only leads restore deleted claims.")
    if Claim.objects.filter(pk=claim_id).exists():
        raise ValidationError({"claim": "Is not deleted."})
    deletion = last_deletion(Claim, claim_id)
    if deletion is None:
        raise Claim.DoesNotExist(f"No deleted claim {claim_id}.")
    reason = deletion.history_change_reason
    # Lock order as in claim_delete: article (shared), span, claim, children. The span's
    # paragraph outlives it (spans protect paragraphs, history keeps the id).
    hold_text_still(_paragraph_of_span(deletion.span_id))
    span = Span.objects.select_for_update().filter(pk=deletion.span_id).first()
    if span is None:
        # Deleted with this claim, or later with another claim on it: its last state.
        span_record = last_deletion(Span, deletion.span_id)
        span = _recreate(span_record, user)
        if (span_record.history_change_reason or "").startswith(DELETION_PREFIX):
            _recreate_deleted_with(
                SpanAnchor, span_record.history_change_reason, user, span_id=span.pk
            )
        # Revisions imported while it was deleted never placed it: place it now.
        span_catch_up(span=span, user=user)
    claim = _recreate(deletion, user)
    if reason and reason.startswith(DELETION_PREFIX):
        for model in (Citation, ConfidenceNote):
            _recreate_deleted_with(model, reason, user, claim_id=claim_id)
    _restore_relations(claim_id, user)
    # Restoring is a change: the claim's version moves, so sync and open pages see it.
    touch_claim(claim.pk, user)
    return Claim.objects.get(pk=claim.pk)


def _paragraph_of_span(span_id: int) -> int:
    """The paragraph a span was made on, whether it is there or deleted (its last state)."""
    live = Span.objects.filter(pk=span_id).values_list("paragraph_id", flat=True).first()
    return live if live is not None else last_deletion(Span, span_id).paragraph_id


def _restore_relations(claim_id: int, user: AbstractBaseUser) -> None:
    """The claim's links deleted with a claim (this one, or the other end, deleted since)
    come back once both ends are there again; a link removed on its own stays removed."""
    ends = Q(from_claim_id=claim_id) | Q(to_claim_id=claim_id)
    ids = ClaimRelation.history.filter(ends, history_type="-").values_list("id", flat=True)
    for relation_id in sorted(set(ids)):
        record = last_deletion(ClaimRelation, relation_id)
        removed_with_claim = (record.history_change_reason or "").startswith(DELETION_PREFIX)
        later = ClaimRelation.history.filter(id=relation_id, history_date__gt=record.history_date)
        other = record.to_claim_id if record.from_claim_id == claim_id else record.from_claim_id
        if (
            removed_with_claim
            and not later.exists()
            and not ClaimRelation.objects.filter(pk=relation_id).exists()
            and Claim.objects.filter(pk=other).exists()
        ):
            _recreate(record, user)
            touch_claim(other, user)


def _deletion_of_evidence(model: type, object_id: int, user: AbstractBaseUser) -> Any:
    """The deletion record of a citation or note that may be restored on its own, its claim
    locked: the rules citation_restore and confidence_note_restore share with claim_restore
    (leads only, only what is deleted, never into a deleted claim)."""
    name = model._meta.verbose_name
    require(access.can_restore(user), f"Only leads restore deleted {name}s.")
    field = "note" if model is ConfidenceNote else "citation"
    deletion = last_deletion(model, object_id)
    if deletion is None:
        if model.objects.filter(pk=object_id).exists():
            raise ValidationError({field: "Is not deleted."})
        raise model.DoesNotExist(f"No deleted {name} {object_id}.")
    lock_claim(deletion.claim_id)  # lock order as everywhere: claim, then its children
    if model.objects.filter(pk=object_id).exists():
        raise ValidationError({field: "Is not deleted."})
    if not Claim.objects.filter(pk=deletion.claim_id).exists():
        raise ValidationError(
            {"claim": f"Is deleted: restore claim {deletion.claim_id}, and its {name}s with it."}
        )
    return deletion


@transaction.atomic
def citation_restore(*, citation_id: int, user: AbstractBaseUser) -> Citation:
    """A lead brings back a citation deleted on its own, with its old id (its source is
    still there: a source ever cited is never deleted, see services.source_delete)."""
    citation = _recreate(_deletion_of_evidence(Citation, citation_id, user), user)
    touch_claim(citation.claim_id, user)
    return Citation.objects.get(pk=citation.pk)


@transaction.atomic
def confidence_note_restore(*, note_id: int, user: AbstractBaseUser) -> ConfidenceNote:
    """A lead brings back a reviewer's deleted note, with its old id, unless the reviewer
    has recorded another on the claim since: one note per reviewer, and the newer
    judgement is theirs to keep."""
    deletion = _deletion_of_evidence(ConfidenceNote, note_id, user)
    if ConfidenceNote.objects.filter(
        claim_id=deletion.claim_id, reviewer_id=deletion.reviewer_id
    ).exists():
        raise ValidationError(
            {
                "reviewer": "Has recorded another note on this claim since; it stays, this one "
                "cannot come back."
            }
        )
    note = _recreate(deletion, user)
    touch_claim_notes(note.claim_id, user)
    return ConfidenceNote.objects.get(pk=note.pk)
