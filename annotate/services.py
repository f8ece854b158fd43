"""Writes to annotations: the only way spans, claims, sources, citations and notes change.

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
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Q
from django.utils import timezone

from annotate import access
from annotate.changes import recording
from annotate.changes.recording import ADJUDICATED
from annotate.models import (
    Citation,
    Claim,
    ClaimKind,
    ClaimRelation,
    ConfidenceNote,
    Source,
    Span,
    Verdict,
)
from annotate.reanchoring.anchoring import context_around
from annotate.selectors import source_ever_cited
from annotate.sources import normalise_url
from annotate.versioning import lock_current
from annotate.writing import (
    Condition,
    acted_by,
    full_clean,
    hold_text_still,
    lock_claim,
    require,
    touch_citing_claims,
    touch_claim,
    touch_claim_notes,
    touch_claims,
)
from articles.models import Article, Paragraph
from articles.selectors import later_revisions, paragraph_is_current


def _save(
    *objs: Any,
    user: AbstractBaseUser,
    conditions: tuple[Condition, ...] = (),
    validate_unique: bool = True,
) -> Any:
    """Validate (writing.full_clean: every object, and `conditions`, before any is written),
    then save each in turn under the user's name; the last object."""
    full_clean(*objs, conditions=conditions, validate_unique=validate_unique)
    for obj in objs:
        acted_by(obj, user).save()
    return objs[-1]


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


OLD_TEXT = "Belongs to an old revision; annotate the current text."


def require_current_text(paragraph: Paragraph, *, field: str) -> None:
    """New annotations go on the current revision's text only: an old revision is the record
    of what was read then, and a span made there would never be re-anchored into the text
    people read now. Checked for a new span and for a claim on an existing span alike."""
    if not paragraph_is_current(paragraph):
        raise ValidationError({field: OLD_TEXT})


def _text_is_current(paragraph: Paragraph, *, field: str) -> Condition:
    """require_current_text as a condition of writing.full_clean, asked in the query of the
    constraints (after hold_text_still, as the rule asks) instead of in one of its own."""
    return (field, OLD_TEXT, ~Exists(later_revisions(paragraph)))


@transaction.atomic
def span_create(
    *, paragraph: Paragraph, start: int, end: int, quote: str, user: AbstractBaseUser
) -> Span:
    require(access.can_add(user, Span), "You may not add spans.")
    hold_text_still(paragraph.pk)
    span = _new_span(paragraph, start=start, end=end, quote=quote, user=user)
    return _save(span, user=user, conditions=(_text_is_current(paragraph, field="paragraph"),))


def _new_span(
    paragraph: Paragraph, *, start: int, end: int, quote: str, user: AbstractBaseUser
) -> Span:
    """A span (not saved yet) whose quote is the paragraph's text between its offsets."""
    check_quote(paragraph=paragraph, start=start, end=end, quote=quote)
    prefix, suffix = context_around(paragraph.text, start, end)
    return Span(
        paragraph=paragraph,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        created_by=user,
    )


@transaction.atomic
def span_delete(
    *, span: Span, user: AbstractBaseUser, expected_version: str | frozenset[str] | None = None
) -> None:
    require(access.can_delete(user, span), "You may only delete spans you made.")
    hold_text_still(span.paragraph_id)
    span = lock_current(span, expected_version)
    if span.claims.exists():
        raise ValidationError({"span": "Still has claims; delete them first."})
    acted_by(span, user).delete()


CLAIM_FIELDS = {"statement", "kind", "attributed_to"}


@transaction.atomic
def claim_create(
    *,
    span: Span,
    statement: str,
    kind: str = ClaimKind.FACTUAL,
    attributed_to: str = "",
    imported_creator: str = "",
    user: AbstractBaseUser,
) -> Claim:
    """`imported_creator`: the original author's name, when a bulk import
    (annotate.imports) records the claim under the importing user instead."""
    require(access.can_add(user, Claim), "You may not add claims.")
    hold_text_still(span.paragraph_id)
    claim = _new_claim(
        span,
        statement=statement,
        kind=kind,
        attributed_to=attributed_to,
        imported_creator=imported_creator,
        user=user,
    )
    return _save(claim, user=user, conditions=(_text_is_current(span.paragraph, field="span"),))


def _new_claim(
    span: Span,
    *,
    statement: str,
    kind: str,
    attributed_to: str,
    user: AbstractBaseUser,
    imported_creator: str = "",
) -> Claim:
    """The claim (not saved yet), on a span whose text the caller holds still."""
    return Claim(
        span=span,
        statement=statement.strip(),
        kind=kind,
        attributed_to=attributed_to.strip(),
        imported_creator=imported_creator.strip(),
        created_by=user,
    )


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
    imported_creator: str = "",
    user: AbstractBaseUser,
) -> Claim:
    """Select text and state its claim in one step; nothing is written if either fails.
    Both are validated before either is written, in one query with the current-text
    check, and the feed's two entries go in one insert. `imported_creator` as for
    claim_create."""
    require(access.can_add(user, Span), "You may not add spans.")
    require(access.can_add(user, Claim), "You may not add claims.")
    hold_text_still(paragraph.pk)
    span = _new_span(paragraph, start=start, end=end, quote=quote, user=user)
    claim = _new_claim(
        span,
        statement=statement,
        kind=kind,
        attributed_to=attributed_to,
        imported_creator=imported_creator,
        user=user,
    )
    with recording.batched():
        _save(span, claim, user=user, conditions=(_text_is_current(paragraph, field="paragraph"),))
    return claim


@transaction.atomic
def claim_update(
    *, claim: Claim, user: AbstractBaseUser, expected_version: str | None = None, **fields: Any
) -> Claim:
    require(access.can_change(user, claim), "You may only edit claims you made.")
    claim = lock_current(claim, expected_version, seen_by=user)
    _apply(claim, fields, CLAIM_FIELDS)
    return _save(claim, user=user)


DELETION_PREFIX = "deleted with claim "


@transaction.atomic
def claim_delete(
    *, claim: Claim, user: AbstractBaseUser, expected_version: str | None = None
) -> None:
    """Delete a claim with its citations and notes, and its span when no other claim uses it.

    Deletes are real, and recoverable: the rows go, their last state stays in history.
    Each child is deleted explicitly (not by cascade) so that its history record names the
    user and carries the deletion's change reason, shared by every row this call removes;
    restore.claim_restore finds the group by it. We chose this over soft-delete columns because
    every read (selectors, API, exports, counts, the admin, constraints such as one note
    per reviewer) stays as it is, and nothing can forget to exclude deleted rows.
    """
    require(access.can_delete(user, claim), "You may only delete claims you made.")
    # Lock order article (shared), span, claim, children: two deletes of claims sharing a
    # span then queue, and the second sees that the first claim is gone and removes the
    # span; a revision import waits for the span to go, or the delete for the import.
    hold_text_still(Span.objects.values_list("paragraph_id", flat=True).get(pk=claim.span_id))
    span = Span.objects.select_for_update().get(pk=claim.span_id)
    claim = lock_current(claim, expected_version, seen_by=user)
    reason = f"{DELETION_PREFIX}{claim.pk} ({uuid.uuid4().hex})"
    for child in [*claim.citations.select_for_update(), *claim.notes.select_for_update()]:
        acted_by(child, user, reason).delete()
    # Its links to other claims go with it (restored with it), and each other claim no
    # longer shows the link: its version moves.
    links = ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
    for relation in links.select_for_update().order_by("pk"):
        acted_by(relation, user, reason).delete()
        other = (
            relation.to_claim_id if relation.from_claim_id == claim.pk else relation.from_claim_id
        )
        touch_claim(other, user)
    acted_by(claim, user, reason).delete()
    if not span.claims.exists():
        # Its placements in later revisions go with it, recorded so a restore brings them
        # back (the span is locked, so no import adds one meanwhile).
        for anchor in span.anchors.order_by("pk"):
            acted_by(anchor, user, reason).delete()
        acted_by(span, user, reason).delete()


ARTICLE_FIELDS = {"title", "publisher", "url", "published_on", "language", "independent_review"}


@transaction.atomic
def article_update(*, article: Article, user: AbstractBaseUser, **fields: Any) -> Article:
    """A lead edits an article's details. Independent review decides what reviewers see of
    every claim on the article (others' notes, the summary), so switching it moves those
    claims' versions: ETags, `updated_after` and open pages then show the change."""
    require(access.can_edit_article(user), "You may not edit articles.")
    article = lock_current(article, None)
    switched = fields.get("independent_review", article.independent_review) != (
        article.independent_review
    )
    _apply(article, fields, ARTICLE_FIELDS)
    _save(article, user=user)
    if switched:
        # The feed hands every claim over again, as each reader now sees it.
        touch_claims(Claim.objects.filter(span__paragraph__revision__article=article), user)
    return article


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
    require(access.can_adjudicate(user), "Only leads set verdicts.")
    claim = lock_current(claim, expected_version, seen_by=user)
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
    claim._change_action = ADJUDICATED  # the feed's name for this update (annotate.changes)
    return _save(claim, user=user)


SOURCE_FIELDS = {"url", "title", "publisher", "published_on", "archive_url", "reliability"}


def _normalised(fields: dict[str, Any]) -> dict[str, Any]:
    """A source's URL as stored: normalised (annotate.sources), the error naming `url`."""
    if isinstance(fields.get("url"), str):
        try:
            fields = {**fields, "url": normalise_url(fields["url"])}
        except ValueError as error:  # url-normalize raises what urllib does (bad port, IDNA)
            raise ValidationError({"url": "Is not a web address."}) from error
    return fields


def _set_reliability(source: Source, user: AbstractBaseUser) -> None:
    source.reliability_set_by, source.reliability_set_at = user, timezone.now()


def source_find_or_create(*, user: AbstractBaseUser, **fields: Any) -> Source:
    """The source at the URL (after normalisation: a trivially different address finds
    the one already recorded, whose own fields then stand), or a new one. Not atomic on
    its own: citation_create and source_create wrap it."""
    fields = _normalised(fields)
    unknown = set(fields) - SOURCE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    url = fields.get("url")
    if url:
        existing = Source.objects.filter(url=url).first()
        if existing is not None:
            return existing
    require(access.can_add(user, Source), "You may not add sources.")
    source = Source(created_by=user)
    _apply(source, fields, SOURCE_FIELDS)
    _set_reliability(source, user)
    try:
        with transaction.atomic():
            # The address's uniqueness is the database's to decide: model validation's own
            # check would answer "already exists" when another request records it between
            # the look-up above and this save, instead of citing theirs.
            return _save(source, user=user, validate_unique=False)
    except IntegrityError:
        # Someone recorded the same URL meanwhile: cite theirs.
        return Source.objects.get(url=source.url)


@transaction.atomic
def source_create(*, user: AbstractBaseUser, **fields: Any) -> Source:
    return source_find_or_create(user=user, **fields)


@transaction.atomic
def source_update(
    *, source: Source, user: AbstractBaseUser, expected_version: str | None = None, **fields: Any
) -> Source:
    """Edit a shared source: every claim citing it shows the change, so their versions
    move too. A new reliability letter records who set it."""
    require(access.can_change(user, source), "You may only edit sources you added.")
    source = lock_current(source, expected_version)
    old_reliability = source.reliability
    _apply(source, _normalised(fields), SOURCE_FIELDS)
    if source.reliability != old_reliability:
        _set_reliability(source, user)
    _save(source, user=user)
    touch_citing_claims(source.pk, user)
    return source


@transaction.atomic
def source_delete(
    *, source: Source, user: AbstractBaseUser, expected_version: str | frozenset[str] | None = None
) -> None:
    """A source never cited may go (one recorded by mistake). One ever cited stays, so
    that a deleted citation of it can always be restored (annotate.restore)."""
    require(access.can_delete(user, source), "You may only delete sources you added.")
    source = lock_current(source, expected_version)
    if source_ever_cited(source):
        raise ValidationError({"source": "Is or was cited on a claim, so it stays."})
    acted_by(source, user).delete()


CITATION_FIELDS = {"stance", "excerpt", "credibility"}


@transaction.atomic
def citation_create(
    *,
    claim: Claim,
    user: AbstractBaseUser,
    source: Source | None = None,
    new_source: dict[str, Any] | None = None,
    **fields: Any,
) -> Citation:
    """Cite a source on a claim: an existing `source`, or one found or recorded from
    `new_source`'s fields (source_find_or_create)."""
    require(access.can_add(user, Citation), "You may not add citations.")
    if source is None:
        if not new_source:
            raise ValidationError({"source": "Name a source, or give a new source's fields."})
        source = source_find_or_create(user=user, **new_source)
    lock_claim(claim.pk)
    citation = Citation(claim=claim, source=source, added_by=user)
    _apply(citation, fields, CITATION_FIELDS)
    _save(citation, user=user)
    touch_claim(citation.claim_id, user)
    return citation


@transaction.atomic
def citation_update(
    *,
    citation: Citation,
    user: AbstractBaseUser,
    expected_version: str | None = None,
    **fields: Any,
) -> Citation:
    require(access.can_change(user, citation), "You may only edit citations you added.")
    lock_claim(citation.claim_id)
    citation = lock_current(citation, expected_version)
    _apply(citation, fields, CITATION_FIELDS | {"source"})
    _save(citation, user=user)
    touch_claim(citation.claim_id, user)
    return citation


@transaction.atomic
def citation_delete(
    *, citation: Citation, user: AbstractBaseUser, expected_version: str | None = None
) -> None:
    require(access.can_delete(user, citation), "You may only delete citations you added.")
    lock_claim(citation.claim_id)
    citation = lock_current(citation, expected_version)
    acted_by(citation, user).delete()
    touch_claim(citation.claim_id, user)


def confidence_note_save(
    *,
    claim: Claim,
    likelihood: int,
    analytic_confidence: str | None,
    rationale: str = "",
    user: AbstractBaseUser,
    expected_version: str | frozenset[str] | None = None,
) -> ConfidenceNote:
    """Record or revise the user's own judgement of a claim: one note per reviewer."""
    note, _created = confidence_note_record(
        claim=claim,
        likelihood=likelihood,
        analytic_confidence=analytic_confidence,
        rationale=rationale,
        user=user,
        expected_version=expected_version,
    )
    return note


@transaction.atomic
def confidence_note_record(
    *,
    claim: Claim,
    likelihood: int,
    analytic_confidence: str | None,
    rationale: str = "",
    user: AbstractBaseUser,
    expected_version: str | frozenset[str] | None = None,
) -> tuple[ConfidenceNote, bool]:
    """confidence_note_save, also saying whether the note is new. Only this transaction
    knows: it looks for the note under the claim's lock, so of concurrent first notes by
    one reviewer exactly one is created, and the others revise it.

    Both judgements are required every time, analytic confidence included when a note
    recorded before it existed is revised (None is refused, keyed by the field): a
    revision is a fresh judgement, and half of one is not recorded."""
    lock_claim(claim.pk)
    note = ConfidenceNote.objects.select_for_update().filter(claim=claim, reviewer=user).first()
    created = note is None
    if note is None:
        require(access.can_add(user, ConfidenceNote), "You may not record confidence notes.")
        note = ConfidenceNote(claim=claim, reviewer=user)
    else:
        require(access.can_change(user, note), "You may not change this note.")
        note = lock_current(note, expected_version)
    note.likelihood = likelihood
    note.analytic_confidence = analytic_confidence
    note.rationale = rationale.strip()
    _save(note, user=user)
    touch_claim_notes(note.claim_id, user)
    return note, created


@transaction.atomic
def confidence_note_delete(
    *, note: ConfidenceNote, user: AbstractBaseUser, expected_version: str | None = None
) -> None:
    require(access.can_delete(user, note), "You may only delete your own note.")
    lock_claim(note.claim_id)
    note = lock_current(note, expected_version)
    acted_by(note, user).delete()
    touch_claim_notes(note.claim_id, user)
