"""annotations_import: imported annotations into an article's current revision, through
the services that write annotations everywhere else, all or nothing.

Whose name each write goes under is annotate.access.may_import_as's decision; the history
records the importer as the one who acted, each row with the import's change reason, so
a claim recorded under its author's name still shows who brought it in.

Placement is annotate.imports.planning's: an exact one makes the span there; a fuzzy or
ambiguous one makes the span on the text found and records what re-anchoring records for
such a placement, a SpanAnchor in the current revision with its outcome, score, the
imported quote as `previous_quote`, and `needs_review`: leads find it among the anchors
needing review (placements.anchors_needing_review) and confirm it as they confirm a
re-anchored one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from annotate import access, relations, services
from annotate.imports.items import ClaimItem, Item, LinkItem, Refusal
from annotate.imports.planning import CurrentText, Result, Spot, Unplaceable
from annotate.models import (
    AnchorStatus,
    Citation,
    Claim,
    ClaimRelation,
    ConfidenceNote,
    RelationType,
    Source,
    Span,
    SpanAnchor,
    Verdict,
)
from annotate.reanchoring.reanchor import min_score
from annotate.sources import normalise_url
from annotate.writing import acted_by, require
from articles.models import Article
from articles.selectors import article_current_revision


@dataclass
class ItemReport:
    index: int
    type: str  # "claim" or "link"
    outcome: Result
    reason: str | None = None
    paragraph_position: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    score: float | None = None
    needs_review: bool = False
    created_by: str | None = None
    imported_creator: str = ""
    claim: int | None = None  # the claim (or link) made; None on a dry run


@dataclass
class ImportReport:
    dry_run: bool
    revision: int
    items: list[ItemReport] = field(default_factory=list)

    @property
    def refused(self) -> list[ItemReport]:
        return [item for item in self.items if item.outcome == Result.REFUSED]

    def count(self, outcome: Result) -> int:
        return sum(item.outcome == outcome for item in self.items)


class ImportRefused(Exception):
    """Some items cannot be imported: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.refused)} items refused")
        self.report = report


@dataclass
class _Plan:
    item: ClaimItem
    spot: Spot
    author: AbstractBaseUser
    imported_creator: str
    adders: list[AbstractBaseUser]
    reviewers: list[AbstractBaseUser]
    adjudicator: AbstractBaseUser | None


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.message_dict.items()))
        return f"{name}: {messages[0]}"
    return error.messages[0]


def _clean(instance: models.Model, path: str, *, exclude: list[str]) -> None:
    """The model's own field rules, checked before anything is written (a dry run
    reports what the write would refuse)."""
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        raise Refusal(f"{path}{_first_message(error)}") from None


class _Planner:
    def __init__(self, *, article: Article, items: list[Item], user: AbstractBaseUser) -> None:
        revision = article_current_revision(article)
        if revision is None:
            raise ValidationError({"article": "Has no text to annotate."})
        self.revision = revision
        self.text = CurrentText(revision, min_score=min_score())
        self.user = user
        names = set()
        for item in items:
            names.add(item.creator)
            if isinstance(item, ClaimItem):
                names.update(c.added_by for c in item.citations)
                names.update(n.reviewer for n in item.notes)
                names.add(item.verdict.by if item.verdict else None)
        names.discard(None)
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}

    def as_author(self, name: str | None, what: Any) -> AbstractBaseUser | None:
        named = self.users.get(name) if name else None
        return named if access.may_import_as(self.user, named, what) else None

    def claim(self, item: ClaimItem) -> _Plan:
        try:
            spot = self.text.plan(item.target)
        except Unplaceable as reason:
            raise Refusal(str(reason)) from None
        author = self.as_author(item.creator, Claim)
        claim = Claim(
            statement=item.statement.strip(),
            kind=item.kind,
            attributed_to=item.attributed_to.strip(),
            imported_creator="" if author else (item.creator or ""),
        )
        _clean(claim, "", exclude=["span", "created_by", "verdict_by", "verdict"])
        adders = []
        for n, citation in enumerate(item.citations):
            path = f"citations[{n}]."
            _clean(
                Citation(
                    stance=citation.stance,
                    credibility=citation.credibility,
                    excerpt=citation.excerpt,
                ),
                path,
                exclude=["claim", "source", "added_by"],
            )
            source = dict(citation.source)
            try:
                source["url"] = normalise_url(source["url"])
            except (ValueError, TypeError):
                raise Refusal(f"{path}source.link: Is not a web address.") from None
            _clean(Source(**source), f"{path}source.", exclude=["reliability_set_by", "created_by"])
            adders.append(self.as_author(citation.added_by, Citation) or self.user)
        reviewers: list[AbstractBaseUser] = []
        for n, note in enumerate(item.notes):
            reviewer = self.as_author(note.reviewer, ConfidenceNote)
            if reviewer is None:
                raise Refusal(
                    f"notes[{n}]: A confidence note is its reviewer's own judgement: it is "
                    f"imported under their name ({note.reviewer or 'none given'!s}) or not "
                    "at all, and only a lead imports another reviewer's note."
                )
            if reviewer in reviewers:
                raise Refusal(f"notes[{n}]: A second note by {reviewer}; one per reviewer.")
            reviewers.append(reviewer)
            _clean(
                ConfidenceNote(
                    likelihood=note.likelihood,
                    analytic_confidence=note.analytic_confidence,
                    rationale=note.rationale,
                ),
                path=f"notes[{n}].",
                exclude=["claim", "reviewer"],
            )
        adjudicator = None
        if item.verdict is not None:
            if not access.can_adjudicate(self.user):
                raise Refusal("verdict: Only leads import verdicts.")
            if item.verdict.verdict not in Verdict.values:
                raise Refusal(f"verdict: Must be one of: {', '.join(Verdict.values)}.")
            if not item.verdict.rationale.strip():
                raise Refusal("verdict_rationale: A verdict is imported with its reason.")
            adjudicator = self.as_author(item.verdict.by, "verdict") or self.user
        return _Plan(
            item=item,
            spot=spot,
            author=author or self.user,
            imported_creator=claim.imported_creator,
            adders=adders,
            reviewers=reviewers,
            adjudicator=adjudicator,
        )


def _claim_report(plan: _Plan) -> ItemReport:
    spot = plan.spot
    return ItemReport(
        index=plan.item.index,
        type="claim",
        outcome=spot.result,
        paragraph_position=spot.paragraph.position,
        start=spot.start,
        end=spot.end,
        quote=spot.quote,
        score=spot.placement.score,
        needs_review=spot.needs_review,
        created_by=plan.author.get_username(),
        imported_creator=plan.imported_creator,
    )


def _plan_links(
    links: list[LinkItem], keys: dict[str, int], refused: set[int], report: ImportReport
) -> None:
    """A link needs both its claims in this import, and imported (a refused claim
    takes its links with it)."""
    for link in links:
        reason = None
        for end in (link.from_key, link.to_key):
            if end not in keys:
                reason = f"Links to {end[:200]!r}, which is not a claim of this import."
            elif keys[end] in refused:
                reason = f"Links to the claim of item {keys[end]}, which is refused."
        if link.from_key == link.to_key:
            reason = "Links a claim to itself."
        if link.type not in RelationType.values:
            reason = f"type: Must be one of: {', '.join(RelationType.values)}."
        outcome = Result.REFUSED if reason else Result.EXACT
        report.items.append(ItemReport(link.index, "link", outcome, reason))


def _plan(
    planner: _Planner, items: list[Item], report: ImportReport
) -> tuple[list[_Plan], list[LinkItem], dict[str, int]]:
    plans, keys, refused = [], {}, set()
    for item in items:
        if not isinstance(item, ClaimItem):
            continue
        if item.key is not None:
            if item.key in keys:
                report.items.append(
                    ItemReport(item.index, "claim", Result.REFUSED, "Its id is given twice.")
                )
                refused.add(item.index)
                continue
            keys[item.key] = item.index
        try:
            plan = planner.claim(item)
        except Refusal as reason:
            report.items.append(ItemReport(item.index, "claim", Result.REFUSED, str(reason)))
            refused.add(item.index)
            continue
        plans.append(plan)
        report.items.append(_claim_report(plan))
    links = [item for item in items if isinstance(item, LinkItem)]
    _plan_links(links, keys, refused, report)
    return plans, links, keys


def annotations_import(
    *, article: Article, items: list[Item], user: AbstractBaseUser, dry_run: bool
) -> ImportReport:
    """Place every item; on a dry run report it, otherwise write all of it in one
    transaction or, if any item is refused, nothing (ImportRefused with the report)."""
    require(access.can_add(user, Claim), "Your role may not import annotations.")
    if dry_run:
        planner = _Planner(article=article, items=items, user=user)
        report = ImportReport(dry_run=True, revision=planner.revision.number)
        _plan(planner, items, report)
        return report
    return _write(article=article, items=items, user=user)


@transaction.atomic
def _write(*, article: Article, items: list[Item], user: AbstractBaseUser) -> ImportReport:
    # The article's lock keeps a revision import from changing the text under us.
    article = Article.objects.select_for_update().get(pk=article.pk)
    started = timezone.now()
    planner = _Planner(article=article, items=items, user=user)
    report = ImportReport(dry_run=False, revision=planner.revision.number)
    plans, links, keys = _plan(planner, items, report)
    if report.refused:
        raise ImportRefused(report)
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
        message = _first_message(error) if isinstance(error, ValidationError) else str(error)
        reports[index].outcome, reports[index].reason = Result.REFUSED, message
        return None


def _write_claim(plan: _Plan, user: AbstractBaseUser, made: dict) -> Claim:
    spot, item = plan.spot, plan.item
    span = services.span_create(
        paragraph=spot.paragraph, start=spot.start, end=spot.end, quote=spot.quote, user=plan.author
    )
    made.setdefault(Span, []).append(span.pk)
    if spot.needs_review:
        made.setdefault(SpanAnchor, []).append(_mark_for_review(span, spot, user).pk)
    claim = services.claim_create(
        span=span,
        statement=item.statement,
        kind=item.kind,
        attributed_to=item.attributed_to,
        imported_creator=plan.imported_creator,
        user=plan.author,
    )
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
