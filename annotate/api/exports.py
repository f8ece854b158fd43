"""An article's claims in standard formats, produced as a stream of text chunks.

Positions: a TextPositionSelector (and the CSV/JSONL `text_start`/`text_end`) counts
Unicode code points into the canonical text of the claim's revision, that is the
revision's paragraphs joined by articles.models.PARAGRAPH_SEPARATOR (one blank line,
"\\n\\n"), half-open [start, end). So `canonical_text[start:end] == quote`.

Claims are read as rows (annotate.claim_rows), CHUNK_SIZE claims at a time with their
citations (and sources) and notes, so memory stays constant however many claims an
article has, and no model or serializer is built per claim.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
from django.conf import settings
from django.db.models import F, QuerySet
from django.urls import reverse
from rest_framework.request import Request

from annotate.api.claim_json import LIKELIHOOD_LABELS, ClaimJson, address_maker
from annotate.claim_rows import (
    NestedShape,
    Row,
    claim_values_nested,
    nested_batches,
    raw_shape,
)
from annotate.disagreement import ConfidenceSummary
from annotate.judgements import confidence_counts, confidence_label
from annotate.linked_data.context import context_path
from annotate.models import Claim, ClaimRelation, RelationType, Stance, Verdict
from annotate.versioning import SEEN
from articles.models import PARAGRAPH_SEPARATOR, Article, Paragraph

CHUNK_SIZE = 500
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

# ClaimReview ratings: 5 best (supported) to 1 worst (unsupported). "Unverifiable" is not
# a point on that scale, so its rating carries only its name (alternateName), no value.
VERDICT_RATING: dict[str, int | None] = {
    Verdict.SUPPORTED: 5,
    Verdict.MOSTLY_SUPPORTED: 4,
    Verdict.MIXED: 3,
    Verdict.MOSTLY_UNSUPPORTED: 2,
    Verdict.UNSUPPORTED: 1,
    Verdict.UNVERIFIABLE: None,
}
BEST_RATING, WORST_RATING = 5, 1


# Exported JSON may be embedded in pages (<script type="application/ld+json">): escaping
# <, > and & keeps user text from closing that element, as Django's json_script does.
_HTML_SAFE = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def _json(data: Any) -> bytes:
    """`data` as UTF-8 JSON, safe inside a <script> element. Bytes, as the response sends
    them: a str would be decoded here and encoded again. (str.translate, per character
    through a dict, took half of a JSON Lines export; bytes.replace scans in C.)"""
    out = orjson.dumps(data, option=orjson.OPT_UTC_Z)
    # <, > and & only occur inside JSON strings, where \u escapes mean the same.
    for char, escaped in _HTML_SAFE:
        out = out.replace(char, escaped)
    return out


def _iso(value: datetime | str | None) -> str | None:
    """A timestamp as the API writes it; claim rows hold it so already (json_sql.UtcIso)."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value or None


def _date(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else value


def _person(username: str) -> dict[str, str]:
    # The model wants an agent (an IRI or an object), not a bare name.
    return {"type": "Person", "nickname": username}


class CanonicalOffsets:
    """Where each paragraph starts in its revision's canonical text, loaded per revision."""

    def __init__(self) -> None:
        self._starts: dict[int, int] = {}
        self._loaded: set[int] = set()

    def start_of(self, paragraph_id: int, revision_id: int) -> int:
        if revision_id not in self._loaded:
            position = 0
            rows = Paragraph.objects.filter(revision_id=revision_id).order_by("position")
            for pk, text in rows.values_list("id", "text").iterator():
                self._starts[pk] = position
                position += len(text) + len(PARAGRAPH_SEPARATOR)
            self._loaded.add(revision_id)
        return self._starts[paragraph_id]

    def of(self, claim: Row) -> tuple[int, int]:
        start = self.start_of(claim["span_paragraph"], claim["revision_id"]) + claim["start"]
        return start, start + len(claim["quote"])


@dataclass
class ExportContext:
    request: Request
    article: Article
    _claim_url: Callable[[int], str] | None = field(default=None, init=False, repr=False)
    _citation_url: Callable[[int], str] | None = field(default=None, init=False, repr=False)
    _relation_url: Callable[[int], str] | None = field(default=None, init=False, repr=False)

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def claim_url(self, claim: Row) -> str:
        # Reversed once per export, not once per claim.
        if self._claim_url is None:
            self._claim_url = address_maker(self.request, "api-claim-detail")
        return self._claim_url(claim["id"])

    def citation_url(self, pk: int) -> str:
        if self._citation_url is None:
            self._citation_url = address_maker(self.request, "api-citation-detail")
        return self._citation_url(pk)

    def relation_url(self, pk: int) -> str:
        if self._relation_url is None:
            self._relation_url = address_maker(self.request, "api-relation-detail")
        return self._relation_url(pk)

    def article_api_url(self) -> str:
        return self.absolute(reverse("api-article-detail", kwargs={"slug": self.article.slug}))

    def revision_url(self, number: int) -> str:
        return f"{self.article_api_url()}?revision={number}"

    def article_iri(self) -> str:
        """The article's own address, or its address in this API when it has none."""
        return self.article.url or self.article_api_url()


def _chunks(claims: QuerySet[Claim], ctx: ExportContext) -> Iterator[Row]:
    """The claims as rows with their citations and the notes the user sees, read as the
    stream is consumed."""
    return itertools.chain.from_iterable(_batches(claims, ctx))


def _batches(
    claims: QuerySet[Claim], ctx: ExportContext, shape: NestedShape | None = None
) -> Iterator[list[Row]]:
    """The same rows, CHUNK_SIZE claims at a time: a format that writes a batch as one
    chunk of the response sends a few hundred chunks rather than one per claim. Nested
    objects in `shape`, by default as claim_rows.with_relations holds them."""
    shape = shape or raw_shape()
    rows = claim_values_nested(claims.prefetch_related(None), ctx.request.user, shape)
    return nested_batches(rows.iterator(chunk_size=CHUNK_SIZE), size=CHUNK_SIZE)


# W3C Web Annotation -----------------------------------------------------------------


def w3c_annotation(claim: Row, ctx: ExportContext, offsets: CanonicalOffsets) -> dict:
    start, end = offsets.of(claim)
    body: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "purpose": "describing",
            "value": claim["statement"],
            "format": "text/plain",
            "language": ctx.article.language,
        },
        {"type": "TextualBody", "purpose": "classifying", "value": claim["kind"]},
    ]
    if claim["attributed_to"]:
        body.append(
            {"type": "TextualBody", "purpose": "identifying", "value": claim["attributed_to"]}
        )
    if claim["verdict"]:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": claim["verdict"],
                "description": claim["verdict_rationale"],
                "creator": _person(claim["verdict_by_name"]),
                "created": _iso(claim["verdict_at"]),
            }
        )
    body.extend(w3c_citation(citation, ctx) for citation in claim["citations"])
    for note in claim["notes"]:
        label = LIKELIHOOD_LABELS[note["likelihood"]]
        body.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": note["rationale"] or label,
                "likelihood": note["likelihood"],
                "likelihood_label": label,
                "analytic_confidence": note["analytic_confidence"],
                "analytic_confidence_label": confidence_label(note["analytic_confidence"]),
                "creator": _person(note["reviewer_name"]),
                "created": _iso(note["created_at"]),
                "modified": _iso(note["updated_at"]),
            }
        )
    annotation: dict[str, Any] = {
        "id": ctx.claim_url(claim),
        "type": "Annotation",
        "motivation": "assessing",
        "creator": _person(claim["created_by_name"]),
    }
    if claim["imported_creator"]:
        # Who made it elsewhere, as a bulk import named them (the creator imported it).
        annotation["imported_creator"] = _person(claim["imported_creator"])
    return annotation | {
        "created": _iso(claim["created_at"]),
        "modified": _iso(claim[SEEN]),
        "body": body,
        "target": {
            "source": ctx.article_iri(),
            # The text the positions count in: the claim's revision, as this API serves it.
            "state": {"id": ctx.revision_url(claim["made_on"])},
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": claim["quote"],
                    "prefix": claim["prefix"],
                    "suffix": claim["suffix"],
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def w3c_citation(citation: Row, ctx: ExportContext) -> dict:
    """A citation as a SpecificResource body, purpose `linking` (the claim links to its
    evidence), whose `source` is the cited document itself; its stance, the excerpt
    relied on and both Admiralty ratings (the source's reliability, the item's
    credibility) ride along as extension properties, as the verdict's and notes' do."""
    document: dict[str, Any] = {
        "id": citation["source_url"],
        "type": "Text",
        "title": citation["source_title"],
    }
    if citation["source_publisher"]:
        document["publisher"] = citation["source_publisher"]
    if citation["source_published_on"]:
        document["published"] = _date(citation["source_published_on"])
    if citation["source_archive_url"]:
        document["archived"] = citation["source_archive_url"]
    body: dict[str, Any] = {
        "id": ctx.citation_url(citation["id"]),
        "type": "SpecificResource",
        "purpose": "linking",
        "source": document,
        "stance": citation["stance"],
        "reliability": citation["source_reliability"],
        "credibility": citation["credibility"],
        "creator": _person(citation["added_by_name"]),
        "created": _iso(citation["created_at"]),
        "modified": _iso(citation["updated_at"]),
    }
    if citation["excerpt"]:
        body["selector"] = {"type": "TextQuoteSelector", "exact": citation["excerpt"]}
    return body


def exported_relations(claims: QuerySet[Claim]) -> QuerySet[ClaimRelation]:
    """The links between claims an export holds: those with both claims in it."""
    exported = claims.values("pk")
    return ClaimRelation.objects.filter(from_claim__in=exported, to_claim__in=exported)


def w3c_link(relation: Row, ctx: ExportContext) -> dict:
    """A link between two claims: an Annotation whose targets are both claims'
    annotations, motivated by linking; its type tags it. Targets are a set in JSON-LD, so
    `from_claim` and `to_claim` say which way a `part_of` reads (from is part of to)."""
    from_iri = ctx.claim_url({"id": relation["from_claim_id"]})
    to_iri = ctx.claim_url({"id": relation["to_claim_id"]})
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": relation["type"]}
    ]
    if relation["rationale"]:
        body.append(
            {"type": "TextualBody", "purpose": "describing", "value": relation["rationale"]}
        )
    return {
        "id": ctx.relation_url(relation["id"]),
        "type": "Annotation",
        "motivation": "linking",
        "creator": _person(relation["created_by_name"]),
        "created": _iso(relation["created_at"]),
        "modified": _iso(relation["updated_at"]),
        "body": body,
        "target": [from_iri, to_iri],
        "from_claim": from_iri,
        "to_claim": to_iri,
    }


RELATION_VALUES = ("id", "from_claim_id", "to_claim_id", "type", "rationale", "created_at")


def w3c_collection(claims: QuerySet[Claim], ctx: ExportContext) -> Iterator[bytes]:
    """One AnnotationCollection holding one AnnotationPage with every claim, then every
    link between two of its claims."""
    offsets = CanonicalOffsets()
    collection_id = ctx.absolute(ctx.request.get_full_path())
    links = exported_relations(claims)
    head = {
        # Ours after the W3C's: it defines only terms the W3C's leaves out (linked_data).
        "@context": [W3C_CONTEXT, ctx.absolute(context_path())],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": ctx.article.title,
        "total": claims.count() + links.count(),
    }
    page = {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "startIndex": 0}
    yield _json(head)[:-1] + b', "first": '
    yield _json(page)[:-1] + b', "items": ['
    separator = b""
    for batch in _batches(claims, ctx):
        # A list's items come out comma-separated: one call writes the whole batch.
        yield separator + _json([w3c_annotation(claim, ctx, offsets) for claim in batch])[1:-1]
        separator = b","
    rows = links.order_by("id").values(
        *RELATION_VALUES, "updated_at", created_by_name=F("created_by__username")
    )
    rows = rows.iterator(chunk_size=CHUNK_SIZE)
    while batch := list(itertools.islice(rows, CHUNK_SIZE)):
        yield separator + _json([w3c_link(relation, ctx) for relation in batch])[1:-1]
        separator = b","
    yield b"]}}\n"


# schema.org ClaimReview -------------------------------------------------------------


def claim_review(claim: Row, ctx: ExportContext) -> dict:
    verdict = claim["verdict"]
    rating: dict[str, Any] = {
        "@type": "Rating",
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": Verdict(verdict).label,
    }
    if VERDICT_RATING[verdict] is not None:
        rating["ratingValue"] = VERDICT_RATING[verdict]
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": ctx.article_iri(),
        "headline": ctx.article.title,
    }
    if ctx.article.published_on:
        appearance["datePublished"] = ctx.article.published_on.isoformat()
    # The claim appears in the report, and in every source cited as supporting it (one that
    # refutes or gives context does not make the claim); all cited sources are the
    # review's `citation`s.
    appearances = [appearance] + [
        _creative_work(citation)
        for citation in claim["citations"]
        if citation["stance"] == Stance.SUPPORTS
    ]
    item: dict[str, Any] = {
        "@type": "Claim",
        "text": claim["quote"],
        "appearance": appearance if len(appearances) == 1 else appearances,
    }
    if claim["attributed_to"]:
        item["author"] = {"@type": "Person", "name": claim["attributed_to"]}
    return {
        "@type": "ClaimReview",
        "url": ctx.claim_url(claim),
        "claimReviewed": claim["statement"],
        "reviewBody": claim["verdict_rationale"],
        "datePublished": _iso(claim["verdict_at"])[:10],  # the UTC date
        "author": {"@type": "Organization", "name": settings.CLAIMDESK_ORGANISATION},
        "reviewRating": rating,
        "itemReviewed": item,
        **(
            {"citation": [_creative_work(c) for c in claim["citations"]]}
            if claim["citations"]
            else {}
        ),
    }


def _creative_work(citation: Row) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": citation["source_url"],
        "headline": citation["source_title"],
    }
    if citation["source_publisher"]:
        work["publisher"] = {"@type": "Organization", "name": citation["source_publisher"]}
    if citation["source_published_on"]:
        work["datePublished"] = _date(citation["source_published_on"])
    if citation["source_archive_url"]:
        work["archivedAt"] = citation["source_archive_url"]
    return work


def claim_reviews(claims: QuerySet[Claim], ctx: ExportContext) -> Iterator[bytes]:
    """Adjudicated claims only, as a JSON-LD graph of ClaimReview objects."""
    yield b'{"@context": "https://schema.org", "@graph": ['
    separator = b""
    for batch in _batches(claims.exclude(verdict=""), ctx):
        yield separator + _json([claim_review(claim, ctx) for claim in batch])[1:-1]
        separator = b","
    yield b"]}\n"


# JSON Lines and CSV -----------------------------------------------------------------


def json_lines(claims: QuerySet[Claim], ctx: ExportContext) -> Iterator[bytes]:
    """One claim per line, as GET /api/v1/claims/{id}/?expand=notes shows it, plus its
    position in the canonical text; a batch of lines per chunk."""
    offsets = CanonicalOffsets()
    shape = ClaimJson(ctx.request, expand_notes=True)
    for batch in _batches(claims, ctx, shape.nested()):
        lines = []
        for claim in batch:
            data = shape.claim_of_nested(claim)
            data["text_start"], data["text_end"] = offsets.of(claim)
            lines.append(_json(data))
        lines.append(b"")
        yield b"\n".join(lines)


CONFIDENCE_COLUMNS = [f"confidence_{level}" for level in confidence_counts([])]
CSV_COLUMNS = [
    "id", "url", "article", "revision", "paragraph_position", "start", "end", "text_start",
    "text_end", "quote", "statement", "kind", "attributed_to", "verdict", "verdict_rationale",
    "verdict_by", "created_by", "imported_creator", "created_at", "updated_at", "sources",
    "supporting",
    "refuting", "context", "notes", "lowest", "median", "highest", "disputed",
    # Analytic confidence beside the likelihood summary: notes at each level.
    *CONFIDENCE_COLUMNS,
    "citations",
    "relations",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is prefixed with a quote (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(claim: Row, ctx: ExportContext, offsets: CanonicalOffsets) -> list[Any]:
    stances = [citation["stance"] for citation in claim["citations"]]
    summary = ConfidenceSummary.of(note["likelihood"] for note in claim["notes"])
    levels = confidence_counts(note["analytic_confidence"] for note in claim["notes"])
    text_start, text_end = offsets.of(claim)
    row = [
        claim["id"], ctx.claim_url(claim), ctx.article.slug, claim["made_on"],
        claim["paragraph_position"], claim["start"], claim["end"], text_start, text_end,
        claim["quote"], claim["statement"], claim["kind"], claim["attributed_to"],
        claim["verdict"], claim["verdict_rationale"], claim["verdict_by_name"] or "",
        claim["created_by_name"], claim["imported_creator"], _iso(claim["created_at"]),
        _iso(claim[SEEN]),
        len(stances), stances.count("supports"), stances.count("refutes"),
        stances.count("context"),
        # Independent review: blank cells, as the API's null, before the user's own note.
        *(
            (summary.count, summary.lowest, summary.median, summary.highest,
             str(summary.disputed).lower())
            if claim["notes_visible"] else ("", "", "", "", "")
        ),
        *(levels.values() if claim["notes_visible"] else [""] * len(levels)),
        _csv_citations(claim["citations"]),
        csv_relations(claim),
    ]  # fmt: skip
    return [spreadsheet_safe(cell) for cell in row]


def _csv_citations(citations: list[Row]) -> str:
    """Every citation in one cell, as JSON (a spreadsheet keeps one row per claim; a
    program reads the cell back whole): the source's fields and the citation's own."""
    return orjson.dumps(
        [
            {
                "id": c["id"],
                "link": c["source_url"],
                "title": c["source_title"],
                "publisher": c["source_publisher"],
                "published_on": c["source_published_on"],
                "archive_link": c["source_archive_url"] or None,
                "reliability": c["source_reliability"],
                "stance": c["stance"],
                "credibility": c["credibility"],
                "excerpt": c["excerpt"],
                "added_by": c["added_by_name"],
            }
            for c in citations
        ]
    ).decode()


def csv_relations(claim: Row) -> str:
    """The claim's links as `type:other claim id`, `;`-separated; `part_of:9` on the part,
    `has_part:5` on the whole."""
    cells = []
    for link in claim["relations"]:
        mine = link["from_claim_id"] == claim["id"]
        other = link["to_claim_id"] if mine else link["from_claim_id"]
        kind = "has_part" if link["type"] == RelationType.PART_OF and not mine else link["type"]
        cells.append(f"{kind}:{other}")
    return ";".join(cells)


def csv_rows(claims: QuerySet[Claim], ctx: ExportContext) -> Iterator[str]:
    """The header, then one line per claim, each written as soon as it is formatted."""
    offsets = CanonicalOffsets()
    line = io.StringIO()
    writer = csv.writer(line)
    rows = itertools.chain([CSV_COLUMNS], (csv_row(c, ctx, offsets) for c in _chunks(claims, ctx)))
    for row in rows:
        writer.writerow(row)
        yield line.getvalue()
        line.seek(0)
        line.truncate()


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    produce: Callable[[QuerySet[Claim], ExportContext], Iterator[str] | Iterator[bytes]]


FORMATS = {
    "w3c": ExportFormat(
        "w3c", f'application/ld+json; profile="{W3C_CONTEXT}"', "jsonld", w3c_collection
    ),
    "claimreview": ExportFormat("claimreview", "application/ld+json", "jsonld", claim_reviews),
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", csv_rows),
    "jsonl": ExportFormat("jsonl", "application/x-ndjson", "jsonl", json_lines),
}
