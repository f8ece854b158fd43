"""What each imported item would do, decided before anything is written: where it goes
(annotate.imports.planning), whose name each of its writes goes under
(annotate.access.may_import_as), and whether the models' own field rules admit it, so
that a dry run reports what the import would refuse. Reads only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models

from annotate import access
from annotate.imports.items import ClaimItem, Item, LinkItem, Refusal
from annotate.imports.planning import CurrentText, Result, Spot, Unplaceable
from annotate.models import (
    Citation,
    Claim,
    ClaimRelation,
    ConfidenceNote,
    RelationType,
    Source,
    Verdict,
)
from annotate.reanchoring.reanchor import min_score
from annotate.sources import normalise_url
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
class Plan:
    item: ClaimItem
    spot: Spot
    author: AbstractBaseUser
    imported_creator: str
    adders: list[AbstractBaseUser]
    reviewers: list[AbstractBaseUser]
    adjudicator: AbstractBaseUser | None


def first_message(error: ValidationError) -> str:
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
        raise Refusal(f"{path}{first_message(error)}") from None


class Planner:
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

    def claim(self, item: ClaimItem) -> Plan:
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
        return Plan(
            item=item,
            spot=spot,
            author=author or self.user,
            imported_creator=claim.imported_creator,
            adders=adders,
            reviewers=reviewers,
            adjudicator=adjudicator,
        )


def _claim_report(plan: Plan) -> ItemReport:
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
    planner: Planner,
    links: list[LinkItem],
    keys: dict[str, int],
    refused: set[int],
    report: ImportReport,
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
        author = planner.as_author(link.creator, ClaimRelation) or planner.user
        report.items.append(
            ItemReport(link.index, "link", outcome, reason, created_by=author.get_username())
        )


def plan_items(
    planner: Planner, items: list[Item], report: ImportReport
) -> tuple[list[Plan], list[LinkItem], dict[str, int]]:
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
    _plan_links(planner, links, keys, refused, report)
    return plans, links, keys
