"""Writing the changes feed: a Change row in the same transaction as each write.

Two ways in, so that no writer can forget one:
- every write of an annotation already passes through django-simple-history (the services
  name who acts with writing.acted_by), and its `post_create_historical_record` signal,
  sent inside the writer's transaction, records the change here. A new service, or a new
  model with history, is in the feed without a line of its own;
- the writes history does not see record theirs by calling this module: a claim's stamp
  moving because its evidence, notes or placement changed (writing.touch_*), placements
  made in bulk by a revision import, and articles and revisions (the articles app knows
  nothing of annotations, so their saves are heard here).

Independent review adds one more kind of change. Recording their own note shows a
reviewer everyone else's notes on that claim, and losing it hides them again; nothing
about those notes changed, so no ordinary change would tell that reviewer's feed. Changes
addressed to them alone (`audience`) say so: `revealed` and `hidden`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.signals import post_save
from django.dispatch import Signal
from simple_history.signals import post_create_historical_record

from annotate import access
from annotate.changes.models import Change, Scope
from annotate.models import (
    Citation,
    Claim,
    ClaimRelation,
    ConfidenceNote,
    Source,
    Span,
    SpanAnchor,
)
from articles.models import Article, Paragraph, Revision

CREATED, UPDATED, DELETED, RESTORED = "created", "updated", "deleted", "restored"
ADJUDICATED = "adjudicated"
REVEALED, HIDDEN = "revealed", "hidden"
ACTIONS = (CREATED, UPDATED, DELETED, RESTORED, ADJUDICATED, REVEALED, HIDDEN)

# The feed's name for each model it reports (the API's resource names).
RESOURCES: dict[type[Model], str] = {
    Article: "article",
    Revision: "revision",
    Span: "span",
    SpanAnchor: "placement",
    Claim: "claim",
    Source: "source",
    Citation: "citation",
    ConfidenceNote: "confidence-note",
    ClaimRelation: "relation",
}

# Sent inside the writer's transaction whenever changes are recorded: webhooks wake their
# deliveries when it commits (annotate.webhooks.triggering).
changes_recorded = Signal()

# Who acts, for writes that don't name anyone themselves (a revision saved by the
# articles app on behalf of annotate.reanchoring.revision_import).
_acting: contextvars.ContextVar[Any] = contextvars.ContextVar("changes_acting", default=None)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def _user_id(user: Any) -> int | None:
    user = user if user is not None else _acting.get()
    return getattr(user, "pk", None)


# Where each kind of row belongs: its article and claim, from the relations the writer
# has already loaded (the services load them to check the text is current), else with
# one query.


def _loaded(obj: Any, *path: str) -> Any:
    """Follow relations already loaded on `obj` (no query); None where one is not."""
    for name in path:
        cache = getattr(getattr(obj, "_state", None), "fields_cache", {})
        if name not in cache:
            return None
        obj = cache[name]
    return obj


def _article_of_paragraph(paragraph: Any, paragraph_id: int) -> int | None:
    revision = _loaded(paragraph, "revision")
    if revision is not None:
        return revision.article_id
    return (
        Paragraph.objects.filter(pk=paragraph_id).values_list("revision__article_id", flat=True)
    ).first()


def _article_of_span(span: Any, span_id: int) -> int | None:
    paragraph = _loaded(span, "paragraph")
    if paragraph is not None:
        return _article_of_paragraph(paragraph, paragraph.pk)
    return (
        Span.objects.filter(pk=span_id).values_list("paragraph__revision__article_id", flat=True)
    ).first()


def _article_of_claim(claim: Any, claim_id: int) -> int | None:
    span = _loaded(claim, "span")
    if span is not None:
        return _article_of_span(span, span.pk)
    return (
        Claim.objects.filter(pk=claim_id).values_list(
            "span__paragraph__revision__article_id", flat=True
        )
    ).first()


def _place(obj: Model) -> dict[str, Any]:
    """The article, claim, scope and owner of a change to `obj`."""
    if isinstance(obj, Claim):
        return {
            "article_id": _article_of_span(_loaded(obj, "span"), obj.span_id),
            "claim_id": obj.pk,
        }
    if isinstance(obj, ConfidenceNote):
        return {
            "article_id": _article_of_claim(_loaded(obj, "claim"), obj.claim_id),
            "claim_id": obj.claim_id,
            "scope": Scope.NOTES,
            "owner_id": obj.reviewer_id,
        }
    if isinstance(obj, Citation):
        article = _article_of_claim(_loaded(obj, "claim"), obj.claim_id)
        return {"article_id": article, "claim_id": obj.claim_id}
    if isinstance(obj, ClaimRelation):
        article = _article_of_claim(_loaded(obj, "from_claim"), obj.from_claim_id)
        return {"article_id": article or _article_of_claim(None, obj.to_claim_id)}
    if isinstance(obj, Span):
        return {"article_id": _article_of_paragraph(_loaded(obj, "paragraph"), obj.paragraph_id)}
    if isinstance(obj, SpanAnchor):
        revision = _loaded(obj, "revision")
        if revision is None:
            revision = Revision.objects.only("article_id").get(pk=obj.revision_id)
        return {"article_id": revision.article_id}
    if isinstance(obj, Revision):
        return {"article_id": obj.article_id}
    if isinstance(obj, Article):
        return {"article_id": obj.pk}
    return {}  # a shared source belongs to no one article


# Changes recorded inside `batched()`, written when it ends.
_pending: contextvars.ContextVar[list[Change] | None] = contextvars.ContextVar(
    "changes_pending", default=None
)


@contextmanager
def batched() -> Iterator[None]:
    """Write the changes recorded inside in one insert as the block ends, instead of one
    each: a claim made with its span records two (history records one per row). Use it
    inside the writer's transaction, around writes that read no change back; if the
    block raises, nothing is written (the transaction is rolled back anyway)."""
    if _pending.get() is not None:
        yield  # an outer batch writes them
        return
    pending: list[Change] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _insert(pending)


def _insert(changes: Iterable[Change]) -> list[Change]:
    """The one way changes are written: in bulk, then one `changes_recorded` for the lot
    (webhooks wake on it when the transaction commits)."""
    pending = _pending.get()
    if pending is not None:
        changes = list(changes)
        pending.extend(changes)
        return changes
    made = Change.objects.bulk_create(changes, batch_size=1000)
    if made:
        changes_recorded.send(sender=Change)
    return made


def record(obj: Model, action: str, user: Any = None, **place: Any) -> Change:
    """Record one change of `obj` (inside the caller's transaction)."""
    change = Change(
        resource=RESOURCES[type(obj)],
        action=action,
        object_id=obj.pk,
        actor_id=_user_id(user),
        **{**_place(obj), **place},
    )
    return _insert([change])[0]


def record_claims(
    claims: QuerySet[Claim] | Iterable[int],
    user: Any,
    *,
    scope: str = Scope.EVERYONE,
    audience_id: int | None = None,
) -> None:
    """Claims whose representation changed without a save of their own (their evidence,
    notes or placement did): one `claim.updated` each."""
    ids = claims if isinstance(claims, QuerySet) else Claim.objects.filter(pk__in=list(claims))
    rows = ids.values_list("pk", "span__paragraph__revision__article_id").order_by("pk")
    actor = _user_id(user)
    _insert(
        Change(
            resource="claim",
            action=UPDATED,
            object_id=pk,
            article_id=article,
            claim_id=pk,
            scope=scope,
            audience_id=audience_id,
            actor_id=actor,
        )
        for pk, article in rows.iterator(chunk_size=2000)
    )


def record_placements(anchors: list[SpanAnchor], article_id: int, user: Any) -> None:
    """Placements made in bulk (a revision import), which history does not see."""
    actor = _user_id(user)
    _insert(
        Change(
            resource="placement",
            action=CREATED,
            object_id=anchor.pk,
            article_id=article_id,
            actor_id=actor,
        )
        for anchor in anchors
    )


def _note_visibility(note: ConfidenceNote, change: Change, action: str, user: Any) -> None:
    """The note's reviewer sees others' notes on the claim exactly while they have a note
    there (independent review): tell their feed what appeared or disappeared. `change` is
    the note's own, which knows its article."""
    independent = Article.objects.filter(pk=change.article_id, independent_review=True)
    if not independent.exists():
        return
    reviewer = note.reviewer if note.reviewer_id else None
    if reviewer is None or not access.judges_blind(reviewer):
        return
    others = ConfidenceNote.objects.filter(claim_id=note.claim_id).exclude(
        reviewer_id=note.reviewer_id
    )
    actor = _user_id(user)
    _insert(
        Change(
            resource="confidence-note",
            action=action,
            object_id=pk,
            article_id=change.article_id,
            claim_id=note.claim_id,
            owner_id=owner,
            audience_id=note.reviewer_id,
            actor_id=actor,
        )
        for pk, owner in others.values_list("pk", "reviewer_id").order_by("pk")
    )
    if action == HIDDEN:
        # The claim as they see it loses the summary and the others' notes; the ordinary
        # change of the claim is for those who see its notes, which they no longer do.
        record_claims([note.claim_id], user, audience_id=note.reviewer_id)


# Signal receivers (connected in AnnotateConfig.ready).

_HISTORY_ACTIONS = {"+": CREATED, "~": UPDATED, "-": DELETED}


def on_history_record(sender: Any, instance: Model, history_instance: Any, **kwargs: Any) -> None:
    if type(instance) not in RESOURCES:
        return
    action = _HISTORY_ACTIONS[history_instance.history_type]
    if action == CREATED and history_instance.history_change_reason == RESTORED:
        action = RESTORED
    action = getattr(instance, "_change_action", None) or action
    user = history_instance.history_user
    change = record(instance, action, user)
    if isinstance(instance, ConfidenceNote) and action in (CREATED, RESTORED, DELETED):
        _note_visibility(instance, change, HIDDEN if action == DELETED else REVEALED, user)


def on_article_saved(sender: Any, instance: Model, created: bool, raw: bool, **kwargs: Any) -> None:
    if raw:  # a backup being loaded: a new database, whose feed starts then
        return
    record(instance, CREATED if created else UPDATED, getattr(instance, "_history_user", None))
    if isinstance(instance, Revision) and created:
        # The article now has another revision (its current one, and its list).
        record(instance.article, UPDATED, None)


def connect() -> None:
    post_create_historical_record.connect(on_history_record, dispatch_uid="changes-history")
    for model in (Article, Revision):
        post_save.connect(on_article_saved, sender=model, dispatch_uid=f"changes-{model}")
