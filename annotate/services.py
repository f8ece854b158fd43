"""Writes to annotations: the only way spans, claims, sources and notes change.

Each function validates (raising ValidationError keyed by field, or PermissionDenied),
writes inside one transaction, and returns the saved object. The workspace and the API
both call these, so a rule checked here holds everywhere.

Updates and deletes take `expected_version` (see annotate.versioning): given, a stale
copy raises StaleEdit instead of overwriting someone else's change.

Every write is recorded in history (django-simple-history, see annotate.history) under the
acting user, which each service names itself (`_as`), so the API, the workspace, commands
and tests all record who did it, with or without a request.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotate import access
from annotate.models import (
    Claim,
    ClaimKind,
    ConfidenceNote,
    Source,
    Span,
    SpanAnchor,
    Verdict,
)
from annotate.reanchoring.anchoring import context_around
from annotate.versioning import lock_current
from articles.models import Paragraph
from articles.selectors import paragraph_is_current


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _as(obj: Any, user: AbstractBaseUser, reason: str | None = None) -> Any:
    """Name who acts (and why) for the history record the next save or delete writes."""
    obj._history_user = user
    obj._change_reason = reason
    return obj


def _save(obj: Any, user: AbstractBaseUser) -> Any:
    obj.full_clean()
    _as(obj, user).save()
    return obj


def _apply(obj: Any, fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    for name, value in fields.items():
        setattr(obj, name, value)


def check_quote(*, paragraph: Paragraph, start: Any, end: Any, quote: Any) -> None:
    """The span rule: offsets are code points into the paragraph and select the quote exactly."""
    errors: dict[str, str] = {}
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = "Must be a whole number of characters."
        elif value < 0:
            errors[name] = "Must not be negative."
        elif value > len(paragraph.text):
            errors[name] = (
                f"Is past the end of the paragraph, which has {len(paragraph.text)} characters."
            )
    if errors:
        raise ValidationError(errors)
    if end <= start:
        raise ValidationError({"end": "Must be greater than start."})
    if not isinstance(quote, str) or paragraph.text[start:end] != quote:
        raise ValidationError(
            {"quote": "Does not match the paragraph's text between start and end."}
        )


@transaction.atomic
def span_create(
    *, paragraph: Paragraph, start: int, end: int, quote: str, user: AbstractBaseUser
) -> Span:
    _require(access.can_add(user, Span), "You may not add spans.")
    if not paragraph_is_current(paragraph):
        raise ValidationError(
            {"paragraph": "Belongs to an old revision; annotate the current text."}
        )
    check_quote(paragraph=paragraph, start=start, end=end, quote=quote)
    prefix, suffix = context_around(paragraph.text, start, end)
    span = Span(
        paragraph=paragraph,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        created_by=user,
    )
    return _save(span, user)


@transaction.atomic
def span_delete(*, span: Span, user: AbstractBaseUser) -> None:
    _require(access.can_delete(user, span), "You may only delete spans you made.")
    if span.claims.exists():
        raise ValidationError({"span": "Still has claims; delete them first."})
    _as(span, user).delete()


CLAIM_FIELDS = {"statement", "kind", "attributed_to"}


@transaction.atomic
def claim_create(
    *,
    span: Span,
    statement: str,
    kind: str = ClaimKind.FACTUAL,
    attributed_to: str = "",
    user: AbstractBaseUser,
) -> Claim:
    _require(access.can_add(user, Claim), "You may not add claims.")
    claim = Claim(
        span=span,
        statement=statement.strip(),
        kind=kind,
        attributed_to=attributed_to.strip(),
        created_by=user,
    )
    return _save(claim, user)


@transaction.atomic
def claim_create_with_span(
    *,
    paragraph: Paragraph,
    start: int,
    end: int,
    quote: str,
    statement: str,
    kind: str = ClaimKind.FACTUAL,
    attributed_to: str = "",
    user: AbstractBaseUser,
) -> Claim:
    """Select text and state its claim in one step; nothing is written if either fails."""
    span = span_create(paragraph=paragraph, start=start, end=end, quote=quote, user=user)
    return claim_create(
        span=span, statement=statement, kind=kind, attributed_to=attributed_to, user=user
    )


def _lock_claim(claim_id: int) -> None:
    """Lock the claim before its sources or notes, as claim_delete does (claim first,
    then its children): one lock order for every writer, so writers on the same claim
    queue instead of deadlocking."""
    Claim.objects.select_for_update().filter(pk=claim_id).values_list("pk").first()


def _touch_claim(claim_id: int) -> None:
    """A claim's version covers its sources and notes: move it when they change."""
    Claim.objects.filter(pk=claim_id).update(updated_at=timezone.now())


@transaction.atomic
def claim_update(
    *, claim: Claim, user: AbstractBaseUser, expected_version: str | None = None, **fields: Any
) -> Claim:
    _require(access.can_change(user, claim), "You may only edit claims you made.")
    claim = lock_current(claim, expected_version)
    _apply(claim, fields, CLAIM_FIELDS)
    return _save(claim, user)


DELETION_PREFIX = "deleted with claim "


@transaction.atomic
def claim_delete(
    *, claim: Claim, user: AbstractBaseUser, expected_version: str | None = None
) -> None:
    """Delete a claim with its sources and notes, and its span when no other claim uses it.

    Deletes are real, and recoverable: the rows go, their last state stays in history.
    Each child is deleted explicitly (not by cascade) so that its history record names the
    user and carries the deletion's change reason, shared by every row this call removes;
    claim_restore finds the group by it. We chose this over soft-delete columns because
    every read (selectors, API, exports, counts, the admin, constraints such as one note
    per reviewer) stays as it is, and nothing can forget to exclude deleted rows.
    """
    _require(access.can_delete(user, claim), "You may only delete claims you made.")
    # Lock order span, claim, children: two deletes of claims sharing a span then queue,
    # and the second sees that the first claim is gone and removes the span.
    span = Span.objects.select_for_update().get(pk=claim.span_id)
    claim = lock_current(claim, expected_version)
    reason = f"{DELETION_PREFIX}{claim.pk} ({uuid.uuid4().hex})"
    for child in [*claim.sources.select_for_update(), *claim.notes.select_for_update()]:
        _as(child, user, reason).delete()
    _as(claim, user, reason).delete()
    if not span.claims.exists():
        # Its placements in later revisions go with it, recorded so a restore brings them
        # back (the span is locked, so no import adds one meanwhile).
        for anchor in span.anchors.order_by("pk"):
            _as(anchor, user, reason).delete()
        _as(span, user, reason).delete()


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
    _as(obj, user, RESTORED).save(force_insert=True)
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
    """Bring back a deleted claim with the sources, notes and span deleted with it (and the
    span's placements in later revisions), each with its old id. History records the
    restore as "restored" (a "+" with that reason)."""
    _require(access.can_restore(user), "Only leads restore deleted claims.")
    if Claim.objects.filter(pk=claim_id).exists():
        raise ValidationError({"claim": "Is not deleted."})
    deletion = last_deletion(Claim, claim_id)
    if deletion is None:
        raise Claim.DoesNotExist(f"No deleted claim {claim_id}.")
    reason = deletion.history_change_reason
    # Lock order as in claim_delete: span, claim, children.
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
        from annotate.reanchoring.reanchor import span_catch_up  # reanchor builds on these services

        span_catch_up(span=span)
    claim = _recreate(deletion, user)
    if reason and reason.startswith(DELETION_PREFIX):
        for model in (Source, ConfidenceNote):
            _recreate_deleted_with(model, reason, user, claim_id=claim_id)
    # Restoring is a change: the claim's version moves, so sync and open pages see it.
    _touch_claim(claim.pk)
    return Claim.objects.get(pk=claim.pk)


def _deletion_of_evidence(model: type, object_id: int, user: AbstractBaseUser) -> Any:
    """The deletion record of a source or note that may be restored on its own, its claim
    locked: the rules source_restore and confidence_note_restore share with claim_restore
    (leads only, only what is deleted, never into a deleted claim)."""
    name = model._meta.verbose_name
    _require(access.can_restore(user), f"Only leads restore deleted {name}s.")
    field = "note" if model is ConfidenceNote else "source"
    deletion = last_deletion(model, object_id)
    if deletion is None:
        if model.objects.filter(pk=object_id).exists():
            raise ValidationError({field: "Is not deleted."})
        raise model.DoesNotExist(f"No deleted {name} {object_id}.")
    _lock_claim(deletion.claim_id)  # lock order as everywhere: claim, then its children
    if model.objects.filter(pk=object_id).exists():
        raise ValidationError({field: "Is not deleted."})
    if not Claim.objects.filter(pk=deletion.claim_id).exists():
        raise ValidationError(
            {"claim": f"Is deleted: restore claim {deletion.claim_id}, and its {name}s with it."}
        )
    return deletion


@transaction.atomic
def source_restore(*, source_id: int, user: AbstractBaseUser) -> Source:
    """A lead brings back a source deleted on its own, with its old id."""
    source = _recreate(_deletion_of_evidence(Source, source_id, user), user)
    _touch_claim(source.claim_id)
    return Source.objects.get(pk=source.pk)


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
    _touch_claim(note.claim_id)
    return ConfidenceNote.objects.get(pk=note.pk)


@transaction.atomic
def claim_set_verdict(
    *,
    claim: Claim,
    verdict: str,
    rationale: str = "",
    user: AbstractBaseUser,
    expected_version: str | None = None,
) -> Claim:
    """A lead's adjudication; a blank verdict withdraws it. Reviewers' notes are untouched.

    Every adjudication is explained: setting a verdict needs a rationale, and changing or
    withdrawing one needs a new rationale (not the one the current verdict was given with),
    so the reason shown always belongs to the decision shown. A withdrawal keeps its
    rationale on the claim; who and when are only kept for a verdict in force.
    """
    _require(access.can_adjudicate(user), "Only leads set verdicts.")
    claim = lock_current(claim, expected_version)
    if verdict and verdict not in Verdict.values:
        raise ValidationError({"verdict": f"Must be one of: {', '.join(Verdict.values)}."})
    if not verdict and not claim.verdict:
        raise ValidationError({"verdict": "There is no verdict to withdraw."})
    rationale = rationale.strip()
    if not rationale:
        action = "withdrawing" if not verdict else "changing" if claim.verdict else "setting"
        raise ValidationError({"rationale": f"Give the reason for {action} the verdict."})
    if claim.verdict and rationale == claim.verdict_rationale.strip():
        raise ValidationError(
            {"rationale": "Give a new reason: this one explains the current verdict."}
        )
    if verdict:
        claim.verdict, claim.verdict_by, claim.verdict_at = verdict, user, timezone.now()
    else:
        claim.verdict, claim.verdict_by, claim.verdict_at = "", None, None
    claim.verdict_rationale = rationale
    return _save(claim, user)


SOURCE_FIELDS = {"url", "title", "publisher", "excerpt", "stance", "reliability"}


@transaction.atomic
def source_create(*, claim: Claim, user: AbstractBaseUser, **fields: Any) -> Source:
    _require(access.can_add(user, Source), "You may not add sources.")
    _lock_claim(claim.pk)
    source = Source(claim=claim, added_by=user)
    _apply(source, fields, SOURCE_FIELDS)
    _save(source, user)
    _touch_claim(source.claim_id)
    return source


@transaction.atomic
def source_update(
    *, source: Source, user: AbstractBaseUser, expected_version: str | None = None, **fields: Any
) -> Source:
    _require(access.can_change(user, source), "You may only edit sources you added.")
    _lock_claim(source.claim_id)
    source = lock_current(source, expected_version)
    _apply(source, fields, SOURCE_FIELDS)
    _save(source, user)
    _touch_claim(source.claim_id)
    return source


@transaction.atomic
def source_delete(
    *, source: Source, user: AbstractBaseUser, expected_version: str | None = None
) -> None:
    _require(access.can_delete(user, source), "You may only delete sources you added.")
    _lock_claim(source.claim_id)
    source = lock_current(source, expected_version)
    _as(source, user).delete()
    _touch_claim(source.claim_id)


@transaction.atomic
def confidence_note_save(
    *,
    claim: Claim,
    likelihood: int,
    rationale: str = "",
    user: AbstractBaseUser,
    expected_version: str | None = None,
) -> ConfidenceNote:
    """Record or revise the user's own judgement of a claim: one note per reviewer."""
    _lock_claim(claim.pk)
    note = ConfidenceNote.objects.select_for_update().filter(claim=claim, reviewer=user).first()
    if note is None:
        _require(access.can_add(user, ConfidenceNote), "You may not record confidence notes.")
        note = ConfidenceNote(claim=claim, reviewer=user)
    else:
        _require(access.can_change(user, note), "You may not change this note.")
        note = lock_current(note, expected_version)
    note.likelihood = likelihood
    note.rationale = rationale.strip()
    _save(note, user)
    _touch_claim(note.claim_id)
    return note


@transaction.atomic
def confidence_note_delete(
    *, note: ConfidenceNote, user: AbstractBaseUser, expected_version: str | None = None
) -> None:
    _require(access.can_delete(user, note), "You may only delete your own note.")
    _lock_claim(note.claim_id)
    note = lock_current(note, expected_version)
    _as(note, user).delete()
    _touch_claim(note.claim_id)
