"""Reads of annotation history: a claim's timeline and an article's deleted claims.

Services record every write (django-simple-history: one historical row per create,
change and delete of a span, claim, citation, source or confidence note, naming the
acting user). A claim's timeline holds its own records and those of its span, citations,
cited sources and notes; each entry's changes are computed against the previous record of
the same object, in Python, so a timeline costs one query per kind of object however long
it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, Field, OuterRef, Q, QuerySet

from annotate import access
from annotate.judgements import NOT_RECORDED_LABEL
from annotate.models import Citation, Claim, ClaimRelation, ConfidenceNote, Source, Span
from annotate.restore import RESTORED
from articles.models import Article, Paragraph

# Bookkeeping that moves with every change; the timeline reports what a person changed.
# (A claim's notes_updated_at is not even recorded: see Claim.)
UNREPORTED = {"created_at", "updated_at", "notes_updated_at", "prefix", "suffix"}

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
OBJECT_NAMES = {
    Span: "span",
    Claim: "claim",
    Citation: "citation",
    Source: "source",
    ConfidenceNote: "note",
    ClaimRelation: "relation",
}


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any
    label: str = ""  # the field's name for people ("created by" for created_by_id)
    # A readable form of a value that is not readable itself: the username for a user id,
    # the label of a choice, what another link points at. None for plain values.
    old_display: str | None = None
    new_display: str | None = None

    @property
    def shown_old(self) -> Any:
        """For people: the readable form, else the value; None for none or blank."""
        return _shown(self.old, self.old_display)

    @property
    def shown_new(self) -> Any:
        return _shown(self.new, self.new_display)


def _shown(value: Any, display: str | None) -> Any:
    if display is not None:
        return display
    return None if value == "" else value


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str  # username, "" when unknown (a write made outside the services and requests)
    object_type: str  # span, claim, citation, source, note, relation
    object_id: int
    action: str  # created, changed, deleted, restored
    changes: list[Change] = field(default_factory=list)
    history_id: int = 0

    def held(self) -> dict[str, Any]:
        """What a deleted object held, field by field, readable (see Change.shown_old)."""
        return {c.field: c.shown_old for c in self.changes}


def _fields(model: type) -> list[Field]:
    return [f for f in model._meta.concrete_fields if f.attname not in UNREPORTED]


def _related_paths(model: type) -> list[str]:
    """What each record joins to make its links readable, in the same query."""
    paths = ["history_user"]
    for f in model._meta.concrete_fields:
        if f.is_relation:
            paths.append("paragraph__revision" if f.related_model is Paragraph else f.name)
    return paths


def _describe(obj: Any) -> str:
    if isinstance(obj, Paragraph):
        return f"¶{obj.position} of revision {obj.revision.number}"
    if isinstance(obj, Span):
        return f"“{obj.quote}”"
    if isinstance(obj, Claim):
        return obj.statement
    return obj.get_username() if hasattr(obj, "get_username") else str(obj)


def _display(model_field: Field, record: Any) -> str | None:
    """The readable form of the record's value of the field (see Change), without a query:
    links were joined by `_related_paths`; a row that is gone since shows as its id."""
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return None
    if model_field.is_relation:
        related = getattr(record, model_field.name)
        return _describe(related) if related is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return None


def _change(model_field: Field, before: Any, after: Any) -> Change:
    name = model_field.attname
    return Change(
        field=name,
        old=getattr(before, name) if before is not None else None,
        new=getattr(after, name) if after is not None else None,
        label=str(model_field.verbose_name),
        old_display=_display(model_field, before) if before is not None else None,
        new_display=_display(model_field, after) if after is not None else None,
    )


def _action(record: Any) -> str:
    if record.history_type == "+" and record.history_change_reason == RESTORED:
        return RESTORED
    return ACTIONS[record.history_type]


def _entries(model: type, records: QuerySet) -> list[Entry]:
    fields = _fields(model)
    entries: list[Entry] = []
    previous: dict[int, Any] = {}
    records = records.select_related(*_related_paths(model))
    for record in records.order_by("history_date", "history_id"):
        before = previous.get(record.id)
        changes: list[Change] = []
        if record.history_type == "~" and before is not None:
            for f in fields:
                if getattr(before, f.attname) != getattr(record, f.attname):
                    changes.append(_change(f, before, record))
        elif record.history_type in {"+", "-"}:
            # What the object held when it appeared or went.
            gone = record.history_type == "-"
            for f in fields:
                if f.attname != "id" and getattr(record, f.attname) not in (None, ""):
                    changes.append(_change(f, record if gone else None, None if gone else record))
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
    """The claim's changes and those of its span, citations (and the sources they cite),
    notes and links, newest first, as the
    user may see them: under independent review, others' notes stay out of a reviewer's
    timeline until they have judged the claim themselves (annotate.access)."""
    notes = ConfidenceNote.history.filter(claim_id=claim.pk)
    citations = Citation.history.filter(claim_id=claim.pk)
    visible = Claim.objects.filter(pk=claim.pk).filter(access.claims_with_visible_notes_q(user))
    if access.judges_blind(user) and not visible.exists():
        notes = notes.filter(reviewer_id=user.pk)
    entries = [
        *_entries(Claim, Claim.history.filter(id=claim.pk)),
        *_entries(Span, Span.history.filter(id=claim.span_id)),
        *_entries(Citation, citations),
        # The cited sources' own changes (a new reliability letter, by whom) show here too:
        # every claim citing a source shows it, so its changes are the claim's story too.
        *_entries(Source, Source.history.filter(id__in=citations.values("source_id"))),
        *_entries(ConfidenceNote, notes),
        # A link shows on both claims, so both timelines keep it.
        *_entries(
            ClaimRelation,
            ClaimRelation.history.filter(Q(from_claim_id=claim.pk) | Q(to_claim_id=claim.pk)),
        ),
    ]
    return sorted(entries, key=lambda e: (e.at, e.history_id), reverse=True)


@dataclass(frozen=True)
class DeletedEvidence:
    """A citation or note deleted from a claim on its own, as a lead's claim panel lists it."""

    kind: str  # "citations" or "notes", as in their restore URLs
    pk: int
    label: str
    deleted_by: str
    deleted_at: datetime
    superseded: bool  # a note whose reviewer has recorded another since: not restorable


def deleted_evidence(timeline: list[Entry], notes: list[ConfidenceNote]) -> list[DeletedEvidence]:
    """The claim's citations and notes that are deleted now, newest first, read from its
    timeline and its current notes (no query). What was deleted with the claim came back
    with it, so these were deleted on their own."""
    latest: dict[tuple[str, int], Entry] = {}
    for entry in timeline:  # newest first
        if entry.object_type in {"citation", "note"}:
            latest.setdefault((entry.object_type, entry.object_id), entry)
    noted = {note.reviewer_id for note in notes}
    items = []
    for entry in latest.values():
        if entry.action != "deleted":
            continue
        held = entry.held()
        if entry.object_type == "citation":
            label = f"Citation of “{held.get('source_id', '')}”"
        else:
            # A note recorded before analytic confidence existed held none (NULL).
            confidence = held.get("analytic_confidence", NOT_RECORDED_LABEL).lower()
            label = (
                f"{held.get('reviewer_id', 'someone')}’s note: {held.get('likelihood', '')}, "
                f"analytic confidence {confidence}"
            )
        reviewer = next((c.old for c in entry.changes if c.field == "reviewer_id"), None)
        items.append(
            DeletedEvidence(
                kind=f"{entry.object_type}s",
                pk=entry.object_id,
                label=label,
                deleted_by=entry.who,
                deleted_at=entry.at,
                superseded=reviewer in noted,
            )
        )
    return items


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
