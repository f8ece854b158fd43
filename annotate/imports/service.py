"""annotations_import: imported annotations into an article's current revision, through
the services that write annotations everywhere else, all or nothing.

What each item would do is annotate.imports.vetting's decision (its place, whose name,
the field rules); this module writes it. The history records the importer as the one
who acted, each row with the import's change reason, so a claim recorded under its
author's name still shows who brought it in.

Placement is annotate.imports.planning's: an exact one makes the span there; a fuzzy or
ambiguous one makes the span on the text found and records what re-anchoring records for
such a placement, a SpanAnchor in the current revision with its outcome, score, the
imported quote as `previous_quote`, and `needs_review`: leads find it among the anchors
needing review (placements.anchors_needing_review) and confirm it as they confirm a
re-anchored one, and the next revision's re-anchoring carries it on unconfirmed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from annotate import access, relations, services
from annotate.changes import recording
from annotate.changes.models import Change
from annotate.changes.recording import RESOURCES
from annotate.imports.items import Item
from annotate.imports.planning import Result, Spot
from annotate.imports.vetting import (
    ImportRefused,
    ImportReport,
    ItemReport,
    Plan,
    Planner,
    first_message,
    plan_items,
)
from annotate.models import (
    AnchorStatus,
    Citation,
    Claim,
    ClaimRelation,
    ConfidenceNote,
    Source,
    Span,
    SpanAnchor,
)
from annotate.writing import acted_by, require
from articles.models import Article

__all__ = ["ImportRefused", "ImportReport", "ItemReport", "annotations_import"]


def annotations_import(
    *, article: Article, items: list[Item], user: AbstractBaseUser, dry_run: bool
) -> ImportReport:
    """Place every item; on a dry run report it, otherwise write all of it in one
    transaction or, if any item is refused, nothing (ImportRefused with the report)."""
    require(access.can_add(user, Claim), "Your role may not import annotations.")
    if dry_run:
        planner = Planner(article=article, items=items, user=user)
        report = ImportReport(dry_run=True, revision=planner.revision.number)
        plan_items(planner, items, report)
        return report
    return _write(article=article, items=items, user=user)


@transaction.atomic
def _write(*, article: Article, items: list[Item], user: AbstractBaseUser) -> ImportReport:
    # The article's lock keeps a revision import from changing the text under us.
    article = Article.objects.select_for_update().get(pk=article.pk)
    started = timezone.now()
    planner = Planner(article=article, items=items, user=user)
    report = ImportReport(dry_run=False, revision=planner.revision.number)
    plans, links, keys = plan_items(planner, items, report)
    if report.refused:
        raise ImportRefused(report)
    # The feed's entries of every item in one insert at the end: a refusal rolls all of
    # it back anyway (ImportRefused), and _credit_history then finds them.
    with recording.batched():
        by_index = {r.index: r for r in report.items if r.type == "claim"}
        made: dict[type[models.Model], list[int]] = {}
        claims: dict[int, Claim] = {}
        for plan in plans:
            claim = _attempt(plan.item.index, by_index, lambda p=plan: _write_claim(p, user, made))
            if claim is not None:
                claims[plan.item.index] = claim
                by_index[plan.item.index].claim = claim.pk
        if report.refused:
            raise ImportRefused(report)
        link_reports = [r for r in report.items if r.type == "link"]
        for link, link_report in zip(links, link_reports, strict=True):
            author = planner.as_author(link.creator, ClaimRelation) or user
            relation = _attempt(
                link.index,
                {link.index: link_report},
                lambda link=link, author=author: relations.relation_create(
                    from_claim=claims[keys[link.from_key]],
                    to_claim=claims[keys[link.to_key]],
                    type=link.type,
                    rationale=link.rationale,
                    user=author,
                ),
            )
            if relation is not None:
                made.setdefault(ClaimRelation, []).append(relation.pk)
                link_report.claim = relation.pk
        if report.refused:
            raise ImportRefused(report)
    _credit_history(made, user, started)
    return report


def _attempt(index: int, reports: dict[int, ItemReport], write: Callable[[], Any]) -> Any:
    """One item's writes in a savepoint: a service's refusal is the item's refusal."""
    try:
        with transaction.atomic():
            return write()
    except (ValidationError, PermissionDenied) as error:
        message = first_message(error) if isinstance(error, ValidationError) else str(error)
        reports[index].outcome, reports[index].reason = Result.REFUSED, message
        return None


def _write_claim(plan: Plan, user: AbstractBaseUser, made: dict) -> Claim:
    spot, item = plan.spot, plan.item
    # The span and its claim in one service call, as the API makes them: half the queries
    # of span_create and claim_create in turn (issue 13).
    claim = services.claim_create_with_span(
        paragraph=spot.paragraph,
        start=spot.start,
        end=spot.end,
        quote=spot.quote,
        statement=item.statement,
        kind=item.kind,
        attributed_to=item.attributed_to,
        imported_creator=plan.imported_creator,
        user=plan.author,
    )
    made.setdefault(Span, []).append(claim.span_id)
    if spot.needs_review:
        made.setdefault(SpanAnchor, []).append(_mark_for_review(claim.span, spot, user).pk)
    made.setdefault(Claim, []).append(claim.pk)
    for citation, adder in zip(item.citations, plan.adders, strict=True):
        made.setdefault(Citation, []).append(
            services.citation_create(
                claim=claim,
                user=adder,
                new_source=citation.source,
                stance=citation.stance,
                excerpt=citation.excerpt,
                credibility=citation.credibility,
            ).pk
        )
    for note, reviewer in zip(item.notes, plan.reviewers, strict=True):
        recorded, _ = services.confidence_note_record(
            claim=claim,
            likelihood=note.likelihood,
            analytic_confidence=note.analytic_confidence,
            rationale=note.rationale,
            user=reviewer,
        )
        made.setdefault(ConfidenceNote, []).append(recorded.pk)
    if item.verdict is not None and plan.adjudicator is not None:
        claim = services.claim_set_verdict(
            claim=claim,
            verdict=item.verdict.verdict,
            rationale=item.verdict.rationale,
            user=plan.adjudicator,
        )
    return claim


def _mark_for_review(span: Span, spot: Spot, user: AbstractBaseUser) -> SpanAnchor:
    """What re-anchoring records for a placement it is not sure of, in the revision the
    span was just made on: the outcome and score, and the quote the file gave."""
    anchor = SpanAnchor(
        span=span,
        revision=spot.paragraph.revision,
        paragraph=spot.paragraph,
        start=spot.start,
        end=spot.end,
        quote=spot.quote,
        prefix=span.prefix,
        suffix=span.suffix,
        previous_quote=spot.imported_quote,
        status=AnchorStatus(spot.placement.outcome.value),
        score=spot.placement.score,
        needs_review=True,
    )
    anchor.full_clean()
    acted_by(anchor, user).save()
    return anchor


def _credit_history(made: dict, user: AbstractBaseUser, started: Any) -> None:
    """The services record each write under the name it goes under; the importer is the
    one who acted, and the reason says it was this import. Sources count when this import
    recorded them (a source already known is only cited)."""
    reason = f"imported by {user.get_username()} ({uuid.uuid4().hex})"
    cited = Citation.objects.filter(pk__in=made.get(Citation, [])).values("source_id")
    new_sources = Source.history.filter(id__in=cited, history_type="+", history_date__gte=started)
    new_sources.update(history_user_id=user.pk, history_change_reason=reason)
    for model, ids in made.items():
        model.history.filter(id__in=ids).update(
            history_user_id=user.pk, history_change_reason=reason
        )
        # The changes feed names who acted too (annotate.changes): the importer.
        Change.objects.filter(resource=RESOURCES[model], object_id__in=ids, at__gte=started).update(
            actor=user
        )
