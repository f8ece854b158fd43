"""Reads of annotations, each owning its joins so that callers never trigger N+1 queries."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    ExpressionWrapper,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from annotate import access
from annotate.disagreement import disputed_q, with_note_range
from annotate.models import Citation, Claim, ClaimRelation, ConfidenceNote, Source, Span
from annotate.reanchoring.placements import claims_in_revision, orphaned_spans
from annotate.versioning import SEEN, changed_after_q, updated_at_seen_by
from articles.models import Article, Revision


def article_list_with_counts(user) -> QuerySet[Article]:
    """Articles with the counts the article list shows, in one query. Reviewers are those
    of the notes the user sees (independent review hides the others)."""
    reviewers = (
        ConfidenceNote.objects.filter(
            access.visible_notes_q(user), claim__span__paragraph__revision__article=OuterRef("pk")
        )
        .order_by()
        .values("claim__span__paragraph__revision__article")
        .annotate(n=Count("reviewer", distinct=True))
        .values("n")
    )
    return Article.objects.annotate(
        claim_count=Count("revisions__paragraphs__spans__claims", distinct=True),
        source_count=Count("revisions__paragraphs__spans__claims__citations", distinct=True),
        reviewer_count=Coalesce(Subquery(reviewers, output_field=IntegerField()), 0),
    )


# The workspace: every read its page needs, each one query whatever the number of claims.


def _source_count() -> Coalesce:
    """How many citations the claim has (its row's "sources" count)."""
    per_claim = (
        Citation.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(per_claim, output_field=IntegerField()), 0)


def notes_visible(user) -> Expression:
    """Annotation for a Claim queryset: whether the user sees others' notes on the claim and
    their summary (independent review; the rule is annotate.access's)."""
    condition = access.claims_with_visible_notes_q(user)
    return ExpressionWrapper(condition, BooleanField()) if condition else Value(True)


def workspace_claims(revision: Revision, user) -> QuerySet[Claim]:
    """The claims placed in the revision in reading order, with what their highlight and
    row show: the placement (see placements.claims_in_revision), note_count/note_min/
    note_max (for "disputed", to be shown only where notes_visible), and source_count.
    `at_placement` puts each span where the revision has it."""
    claims = (
        claims_in_revision(revision)
        .select_related("span")
        .only(
            "id",
            "statement",
            "kind",
            "verdict",
            "created_by_id",
            "updated_at",
            "span__id",
            "span__paragraph_id",
            "span__start",
            "span__end",
        )
    )
    return claims.annotate(
        **_note_range(), source_count=_source_count(), notes_visible=notes_visible(user)
    ).order_by("placed_position", "placed_start", "-placed_end", "id")


def _note_range() -> dict[str, Expression]:
    """note_count, note_min and note_max of every note on the claim, the figures
    annotate.disagreement.with_note_range gives, as one correlated subquery each instead
    of a join and a GROUP BY: grouping thousands of claims by every column shown (the
    subqueries beside them evaluated twice) took half the workspace's query time, and led
    SQLite to scan every claim of the database."""
    notes = ConfidenceNote.objects.filter(claim=OuterRef("pk")).order_by().values("claim")

    def per_claim(aggregate) -> Subquery:
        return Subquery(notes.annotate(v=aggregate).values("v"), output_field=IntegerField())

    return {
        "note_count": Coalesce(per_claim(Count("*")), 0),
        "note_min": per_claim(Min("likelihood")),
        "note_max": per_claim(Max("likelihood")),
    }


def at_placement(claims: list[Claim]) -> list[Claim]:
    """Move each (unsaved, read-only) span to where the revision places it, so highlights
    and panels read `claim.span` whether the span was made here or re-anchored here."""
    for claim in claims:
        span = claim.span
        span.paragraph_id = claim.placed_paragraph_id
        span.start, span.end = claim.placed_start, claim.placed_end
        span.quote = claim.placed_quote
        claim.moved = claim.anchor_status is not None
    return claims


def workspace_reviewers(revision: Revision, user) -> QuerySet:
    """People who made a claim or a note on the claims placed in the revision, for the
    reviewer filter."""
    claims = claims_in_revision(revision)
    made = claims.values("created_by")
    # The article's condition changes no result (the claims are the article's); it lets the
    # planner start from the article's notes instead of joining every note of the database
    # to its article for the independent-review rule.
    noted = ConfidenceNote.objects.filter(
        access.visible_notes_q(user),
        claim__span__paragraph__revision__article_id=revision.article_id,
        claim__in=claims.values("pk"),
    ).values("reviewer")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=made) | Q(pk__in=noted))
        .only("pk", "username")
        .order_by("username")
    )


def claim_for_panel(revision: Revision, pk: int, user) -> Claim | None:
    """One claim placed in the revision with everything its panel shows, in three queries;
    its span is at its placement (`at_placement`), with the text it had before. Its notes
    are those the user sees (`notes_visible` tells whether others' are among them)."""
    claim = (
        claims_in_revision(revision)
        .filter(pk=pk)
        .annotate(notes_visible=notes_visible(user), **{SEEN: updated_at_seen_by(user)})
        .select_related("span__paragraph__revision", "created_by", "verdict_by")
        .prefetch_related(
            Prefetch("citations", queryset=citations_with_sources()),
            Prefetch(
                "notes",
                queryset=ConfidenceNote.objects.filter(access.visible_notes_q(user))
                .select_related("reviewer")
                .order_by("id"),
            ),
        )
        .first()
    )
    if claim is not None:
        claim.made_on = claim.span.paragraph.revision.number
        claim.placed_paragraph_position = claim.placed_position
        at_placement([claim])
    return claim


def claims_at(revision: Revision, *, position: int, offset: int) -> QuerySet[Claim]:
    """The claims whose placed span covers the given code point of a paragraph, outermost
    first."""
    return (
        claims_in_revision(revision)
        .filter(placed_position=position, placed_start__lte=offset, placed_end__gt=offset)
        .select_related("span")
        .order_by("placed_start", "-placed_end", "id")
    )


def current_change_stamp(article_slug: str, user) -> str:
    """What an open workspace holds of the article, in one query: its current revision,
    how many claims it has, and the newest change to any of them as the user sees it (a
    note they may not see changes nothing: versioning.updated_at_seen_by); "" for no such
    article.

    It covers every claim the workspace shows, wherever it was made: those made on the
    current text, those re-anchored into it and the orphans leads see, so it counts the
    article's claims, not the current revision's. Every write the workspace displays moves
    it: a claim's updated_at moves with its edits and verdict, with its citations and
    the sources they cite (writing.touch_claim, touch_citing_claims), a restore, and a
    confirmed or re-attached placement (annotate.reanchoring.reanchor), its
    notes_updated_at with its notes
    (writing.touch_claim_notes); a delete lowers the count; an import changes the revision.
    The page takes its stamp from here too, so both always agree.
    """
    current = Revision.objects.filter(article=OuterRef("pk")).order_by("-number").values("pk")
    # Count and newest change each read the article's claims through inner joins from the
    # article: a Count over the reverse relations (left joins) let the planner read the
    # whole claims table to join it.
    claims = (
        Claim.objects.filter(span__paragraph__revision__article=OuterRef("pk"))
        .order_by()
        .values("span__paragraph__revision__article")
    )
    count = claims.annotate(n=Count("pk")).values("n")
    latest = claims.annotate(latest=Max(updated_at_seen_by(user))).values("latest")
    row = (
        Article.objects.filter(slug=article_slug)
        .annotate(
            revision_id=Subquery(current[:1]),
            claim_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
            latest=Subquery(latest),
        )
        .values("revision_id", "claim_count", "latest")
        .first()
    )
    if row is None:
        return ""
    latest = row["latest"]
    micros = int(latest.timestamp() * 1_000_000) if latest else 0
    return f"{row['revision_id']}-{row['claim_count']}-{micros}"


def orphans_with_claims(article: Article) -> QuerySet[Span]:
    """The article's orphaned spans with their claims, for the leads' Orphans list."""
    return orphaned_spans(article).prefetch_related(
        Prefetch("claims", queryset=Claim.objects.order_by("id").only("id", "statement", "span_id"))
    )


def disputed_counts_by_article(user) -> dict[int, int]:
    """How many disputed claims each article has, as the user may know it, in one query."""
    claims = Claim.objects.filter(access.claims_with_visible_notes_q(user))
    disputed = with_note_range(claims).filter(disputed_q())
    return Counter(disputed.values_list("span__paragraph__revision__article_id", flat=True))


# The data API's reads (annotate.api). Each list is one query per page plus one per
# prefetched relation, however many rows it holds.


def api_articles() -> QuerySet[Article]:
    """Articles with their current revision number."""
    return Article.objects.annotate(current_revision=Max("revisions__number"))


def api_spans() -> QuerySet[Span]:
    return Span.objects.select_related("paragraph__revision__article", "created_by")


def api_sources() -> QuerySet[Source]:
    return Source.objects.select_related("created_by", "reliability_set_by")


def citations_with_sources() -> QuerySet[Citation]:
    """Citations with their source and who set its reliability, as every claim shows them."""
    return Citation.objects.select_related(
        "added_by", "source__reliability_set_by", "source__created_by"
    )


def api_citations() -> QuerySet[Citation]:
    return citations_with_sources().select_related("claim")


def source_matches(query: str, *, limit: int = 10) -> QuerySet[Source]:
    """Sources whose URL, title or publisher contains the query (the citation form's
    autocomplete): an outlet already recorded is found before anyone types it again."""
    query = query.strip()
    if not query:
        return Source.objects.none()
    return Source.objects.filter(source_text_q(query)).order_by("title", "id")[:limit]


def source_ever_cited(source: Source) -> bool:
    """Whether any citation, live or deleted, ever cited the source: a deleted one may be
    restored and needs it (services.source_delete)."""
    return Citation.history.filter(source_id=source.pk).exists()


def source_text_q(text: str) -> Q:
    """Sources whose web address, title or publisher holds the text."""
    return Q(url__icontains=text) | Q(title__icontains=text) | Q(publisher__icontains=text)


def api_relations() -> QuerySet[ClaimRelation]:
    return ClaimRelation.objects.select_related(
        "created_by", "from_claim__span__paragraph__revision__article"
    )


def api_confidence_notes(user) -> QuerySet[ConfidenceNote]:
    """The notes the user sees (independent review may hide others' notes)."""
    return ConfidenceNote.objects.filter(access.visible_notes_q(user)).select_related("reviewer")


def api_claims(user, *, with_note_reviewers: bool = False) -> QuerySet[Claim]:
    """Claims with their span, citations (with sources) and the notes the user sees, as
    the API and the exports show them (see access.sees_notes_of for whether to show their
    summary)."""
    notes = ConfidenceNote.objects.filter(access.visible_notes_q(user)).order_by("created_at", "id")
    if with_note_reviewers:
        notes = notes.select_related("reviewer")
    else:
        notes = notes.only("id", "claim_id", "reviewer_id", "likelihood")
    return (
        Claim.objects.select_related(
            "span__paragraph__revision__article", "created_by", "verdict_by"
        )
        .prefetch_related(
            Prefetch("citations", queryset=citations_with_sources().order_by("stance", "id")),
            Prefetch("notes", queryset=notes),
            # A claim shows its links both ways (annotate.api.claim_json.relation_dict).
            Prefetch("relations_from", queryset=ClaimRelation.objects.order_by("id")),
            Prefetch("relations_to", queryset=ClaimRelation.objects.order_by("id")),
        )
        .annotate(**{SEEN: updated_at_seen_by(user)})
    )


def claims_changed_after(claims: QuerySet[Claim], user, moment) -> QuerySet[Claim]:
    """The claims that changed after `moment` as the user sees them (a note they may not
    see is no change): the API's `updated_after` sync."""
    return claims.filter(changed_after_q(user, moment))


def claims_of_article(
    article: Article, user, *, revision: int | None = None, with_note_reviewers: bool = False
) -> QuerySet[Claim]:
    """An article's claims in reading order: by revision, paragraph, offset."""
    claims = api_claims(user, with_note_reviewers=with_note_reviewers).filter(
        span__paragraph__revision__article=article
    )
    if revision is not None:
        claims = claims.filter(span__paragraph__revision__number=revision)
    return claims.order_by(
        "span__paragraph__revision__number", "span__paragraph__position", "span__start", "id"
    )
