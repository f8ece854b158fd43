"""Reads of annotation history: a claim's timeline and an article's deleted claims.

Services record every write (django-simple-history: one historical row per create,
change and delete of a span, claim, source or confidence note, naming the acting user).
A claim's timeline holds its own records and those of its span, sources and notes; each
entry's changes are computed against the previous record of the same object, in Python,
so a timeline costs one query per kind of object however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from annotate import access
from annotate.models import Claim, ConfidenceNote, Source, Span
from annotate.services import RESTORED
from articles.models import Article

# Bookkeeping that moves with every change; the timeline reports what a person changed.
UNREPORTED = {"created_at", "updated_at", "prefix", "suffix"}

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
OBJECT_NAMES = {Span: "span", Claim: "claim", Source: "source", ConfidenceNote: "note"}


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str  # username, "" when unknown (a write made outside the services and requests)
    object_type: str  # span, claim, source, note
    object_id: int
    action: str  # created, changed, deleted, restored
    changes: list[Change] = field(default_factory=list)
    history_id: int = 0


def _fields(model: type) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in UNREPORTED]


def _action(record: Any) -> str:
    if record.history_type == "+" and record.history_change_reason == RESTORED:
        return RESTORED
    return ACTIONS[record.history_type]


def _entries(model: type, records: QuerySet) -> list[Entry]:
    names = _fields(model)
    entries: list[Entry] = []
    previous: dict[int, Any] = {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(record.id)
        changes: list[Change] = []
        if record.history_type == "~" and before is not None:
            for name in names:
                old, new = getattr(before, name), getattr(record, name)
                if old != new:
                    changes.append(Change(name, old, new))
        elif record.history_type in {"+", "-"}:
            # What the object held when it appeared or went.
            empty = record.history_type == "-"
            for name in names:
                value = getattr(record, name)
                if name != "id" and value not in (None, ""):
                    changes.append(Change(name, value if empty else None, None if empty else value))
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue  # only bookkeeping moved
        user = record.history_user
        entries.append(
            Entry(
                at=record.history_date,
                who=user.get_username() if user else "",
                object_type=OBJECT_NAMES[model],
                object_id=record.id,
                action=_action(record),
                changes=changes,
                history_id=record.history_id,
            )
        )
    return entries


def claim_timeline(claim: Claim, user: Any) -> list[Entry]:
    """The claim's changes and those of its span, sources and notes, newest first, as the
    user may see them: under independent review, others' notes stay out of a reviewer's
    timeline until they have judged the claim themselves (annotate.access)."""
    notes = ConfidenceNote.history.filter(claim_id=claim.pk)
    visible = Claim.objects.filter(pk=claim.pk).filter(access.claims_with_visible_notes_q(user))
    if access.judges_blind(user) and not visible.exists():
        notes = notes.filter(reviewer_id=user.pk)
    entries = [
        *_entries(Claim, Claim.history.filter(id=claim.pk)),
        *_entries(Span, Span.history.filter(id=claim.span_id)),
        *_entries(Source, Source.history.filter(claim_id=claim.pk)),
        *_entries(ConfidenceNote, notes),
    ]
    return sorted(entries, key=lambda e: (e.at, e.history_id), reverse=True)


def _deleted(article: Article) -> QuerySet:
    still_there = Claim.objects.filter(pk=OuterRef("id"))
    later = Claim.history.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date"))
    spans = Span.history.filter(paragraph__revision__article=article).values("id")
    return Claim.history.filter(history_type="-", span_id__in=spans).filter(
        ~Exists(still_there), ~Exists(later)
    )


def deleted_claims(article: Article, *, limit: int = 50) -> QuerySet:
    """The article's claims that are deleted now, each as its last history record (the
    deletion), newest first; one query."""
    return (
        _deleted(article)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )


def is_deleted_claim_of(article: Article, claim_id: int) -> bool:
    return _deleted(article).filter(id=claim_id).exists()
