"""What each CSV file of the data package holds: its columns with their Table Schema type,
meaning and constraints, its keys, and the database lookup each column is read from.

One normalised table per kind of object the API serves for an article (unlike the
one-row-per-claim CSV export, which is for spreadsheets): a tool joins them by id as the
foreign keys say. People are named by username, as in the other exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Choices

from annotate.models import (
    AnalyticConfidence,
    AnchorStatus,
    ClaimKind,
    Credibility,
    Likelihood,
    RelationType,
    Reliability,
    Stance,
    Verdict,
)
from annotate.versioning import SEEN


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    lookup: str = ""  # the values_list() lookup; the column's name when blank
    required: bool = False
    unique: bool = False
    choices: type[Choices] | None = None

    def field(self) -> dict[str, Any]:
        """The column as a Table Schema field."""
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.type == "string" and self.name.endswith(("url", "_link")):
            described["format"] = "uri"
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.choices is not None:
            constraints["enum"] = list(self.choices.values)
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True, eq=False)  # each table is one of a kind: hashed by identity
class Table:
    name: str  # the resource's name; the file is `{name}.csv`
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str = "id"
    references: dict[str, tuple[str, str]] = field(default_factory=dict)  # column: (table, column)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def lookups(self) -> list[str]:
        return [column.lookup or column.name for column in self.columns]

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [column.field() for column in self.columns],
            "primaryKey": [self.primary_key],
            "foreignKeys": [
                {"fields": [name], "reference": {"resource": table, "fields": [target]}}
                for name, (table, target) in self.references.items()
            ],
            # An empty cell is no value: blank text and a missing date alike.
            "missingValues": [""],
        }


def _id(what: str) -> Column:
    return Column(
        "id",
        "integer",
        f"The {what}'s id in this Claimdesk (its API address ends in it).",
        required=True,
        unique=True,
    )


def _by(name: str, lookup: str, what: str) -> Column:
    return Column(name, "string", f"Username of {what}.", lookup=lookup)


def _at(name: str, what: str, *, required: bool = True, lookup: str = "") -> Column:
    return Column(name, "datetime", f"{what} (ISO 8601, UTC).", lookup=lookup, required=required)


ARTICLES = Table(
    "articles",
    "Article",
    "The article the package is about.",
    (
        Column(
            "slug", "string", "The article's identifier in Claimdesk.", required=True, unique=True
        ),
        Column("title", "string", "Its title.", required=True),
        Column("standfirst", "string", "Its standfirst (the first paragraph, as imported)."),
        Column("publisher", "string", "Who published it."),
        Column("url", "string", "Its own address, when it has one."),
        Column("published_on", "date", "When it was published."),
        Column("language", "string", "Its language (BCP 47 tag).", required=True),
        Column(
            "independent_review",
            "boolean",
            "Whether reviewers judge claims blind to others' notes.",
            required=True,
        ),
        _at("created_at", "When it was imported"),
        _at("updated_at", "When its details last changed"),
    ),
    primary_key="slug",
)
REVISIONS = Table(
    "revisions",
    "Revisions",
    "Each imported version of the article's text.",
    (
        _id("revision"),
        Column(
            "article",
            "string",
            "The article (articles.slug).",
            lookup="article__slug",
            required=True,
        ),
        Column("number", "integer", "1 for the text first imported, then 2, 3...", required=True),
        _at("imported_at", "When it was imported"),
        Column("note", "string", "What changed, as the importer said."),
        Column("checksum", "string", "SHA-256 of its text.", required=True),
    ),
    references={"article": ("articles", "slug")},
)
PARAGRAPHS = Table(
    "paragraphs",
    "Paragraphs",
    "The text of every revision, paragraph by paragraph. A revision's canonical text is "
    'its paragraphs in position order joined by one blank line ("\\n\\n").',
    (
        _id("paragraph"),
        Column(
            "revision",
            "integer",
            "Its revision (revisions.id).",
            lookup="revision_id",
            required=True,
        ),
        Column("position", "integer", "Its place in the revision, from 1.", required=True),
        Column("text", "string", "Its text.", required=True),
    ),
    references={"revision": ("revisions", "id")},
)
SPANS = Table(
    "spans",
    "Spans",
    "Text selected in a paragraph. start and end count Unicode code points, half-open: "
    "text[start:end] == quote.",
    (
        _id("span"),
        Column(
            "paragraph",
            "integer",
            "The paragraph it was selected in (paragraphs.id).",
            lookup="paragraph_id",
            required=True,
        ),
        Column(
            "start", "integer", "Where the quote starts in the paragraph's text.", required=True
        ),
        Column("end", "integer", "Where it ends (exclusive).", required=True),
        Column("quote", "string", "The selected text.", required=True),
        Column("prefix", "string", "The text just before it."),
        Column("suffix", "string", "The text just after it."),
        _by("created_by", "created_by__username", "who selected it"),
        _at("created_at", "When it was selected"),
    ),
    references={"paragraph": ("paragraphs", "id")},
)
SPAN_ANCHORS = Table(
    "span_anchors",
    "Placements in later revisions",
    "Where each span sits in each revision after the one it was made on (an orphan has "
    "no paragraph, offsets or quote).",
    (
        _id("placement"),
        Column("span", "integer", "The span (spans.id).", lookup="span_id", required=True),
        Column(
            "revision",
            "integer",
            "The later revision (revisions.id).",
            lookup="revision_id",
            required=True,
        ),
        Column(
            "paragraph", "integer", "Its paragraph there (paragraphs.id).", lookup="paragraph_id"
        ),
        Column("start", "integer", "Where its text starts in that paragraph."),
        Column("end", "integer", "Where it ends (exclusive)."),
        Column("quote", "string", "Its text there."),
        Column("prefix", "string", "The text just before it there."),
        Column("suffix", "string", "The text just after it there."),
        Column("previous_quote", "string", "Its text in the revision before.", required=True),
        Column("status", "string", "How it was placed.", required=True, choices=AnchorStatus),
        Column("score", "number", "Similarity of quote and context, 0 to 100."),
        Column("needs_review", "boolean", "Whether a lead should confirm it.", required=True),
        _by("reviewed_by", "reviewed_by__username", "the lead who confirmed or re-attached it"),
        _at("reviewed_at", "When they did", required=False),
        _at("created_at", "When it was placed"),
    ),
    references={
        "span": ("spans", "id"),
        "revision": ("revisions", "id"),
        "paragraph": ("paragraphs", "id"),
    },
)
CLAIMS = Table(
    "claims",
    "Claims",
    "What a reviewer says a span claims, and a lead's verdict on it.",
    (
        _id("claim"),
        Column(
            "span", "integer", "The span it is made on (spans.id).", lookup="span_id", required=True
        ),
        Column("statement", "string", "The claim in the reviewer's words.", required=True),
        Column("kind", "string", "What kind of claim it is.", required=True, choices=ClaimKind),
        Column("attributed_to", "string", "Whom the report attributes it to."),
        Column(
            "verdict", "string", "A lead's verdict; empty when not adjudicated.", choices=Verdict
        ),
        Column("verdict_rationale", "string", "Why the lead gave it."),
        _by("verdict_by", "verdict_by__username", "the lead who gave the verdict"),
        _at("verdict_at", "When the verdict was given", required=False),
        _by("created_by", "created_by__username", "the reviewer who made the claim"),
        Column(
            "imported_creator",
            "string",
            "Who made it, as the file it was imported from names them, when the import "
            "recorded the importing user instead (empty otherwise).",
        ),
        _at("created_at", "When it was made"),
        _at(
            "updated_at",
            "When it last changed as you see it (a note hidden from you by independent "
            "review does not count)",
            lookup=SEEN,
        ),
    ),
    references={"span": ("spans", "id")},
)
SOURCES = Table(
    "sources",
    "Sources",
    "The documents the claims cite; one row per source however many claims cite it.",
    (
        _id("source"),
        Column("url", "string", "Its address.", required=True, unique=True),
        Column("title", "string", "Its title.", required=True),
        Column("publisher", "string", "Who published it."),
        Column("published_on", "date", "When it was published."),
        Column("archive_url", "string", "An archived copy."),
        Column(
            "reliability",
            "string",
            "The source's reliability (Admiralty code A to F).",
            required=True,
            choices=Reliability,
        ),
        _by("reliability_set_by", "reliability_set_by__username", "who last rated it"),
        _at("reliability_set_at", "When they did"),
        _by("created_by", "created_by__username", "who recorded it"),
        _at("created_at", "When it was recorded"),
        _at("updated_at", "When it last changed"),
    ),
)
CITATIONS = Table(
    "citations",
    "Citations",
    "A source cited for or against a claim.",
    (
        _id("citation"),
        Column("claim", "integer", "The claim (claims.id).", lookup="claim_id", required=True),
        Column("source", "integer", "The source (sources.id).", lookup="source_id", required=True),
        Column("excerpt", "string", "The passage of the source relied on."),
        Column(
            "stance", "string", "How the source bears on the claim.", required=True, choices=Stance
        ),
        Column(
            "credibility",
            "integer",
            "The cited information's credibility (Admiralty 1 to 6).",
            required=True,
            choices=Credibility,
        ),
        _by("added_by", "added_by__username", "who cited it"),
        _at("created_at", "When it was cited"),
        _at("updated_at", "When it last changed"),
    ),
    references={"claim": ("claims", "id"), "source": ("sources", "id")},
)
NOTES = Table(
    "notes",
    "Confidence notes",
    "Each reviewer's judgement of a claim: the notes you may see (under independent "
    "review, a reviewer sees others' notes on a claim only after recording their own).",
    (
        _id("note"),
        Column("claim", "integer", "The claim (claims.id).", lookup="claim_id", required=True),
        _by("reviewer", "reviewer__username", "the reviewer"),
        Column(
            "likelihood",
            "integer",
            "How likely the claim is, 1 (almost no chance) to 7 (almost certain).",
            required=True,
            choices=Likelihood,
        ),
        Column(
            "analytic_confidence",
            "string",
            "How good the evidence and reasoning are; empty for a note made before it was asked.",
            choices=AnalyticConfidence,
        ),
        Column("rationale", "string", "Why."),
        _at("created_at", "When it was recorded"),
        _at("updated_at", "When it last changed"),
    ),
    references={"claim": ("claims", "id")},
)
RELATIONS = Table(
    "relations",
    "Links between claims",
    "from_claim type to_claim; contradicts, corroborates and same_as read both ways "
    "(stored with the lower id first), part_of one way: from_claim is part of to_claim. "
    "Only links between two claims in the package.",
    (
        _id("link"),
        Column(
            "from_claim", "integer", "One claim (claims.id).", lookup="from_claim_id", required=True
        ),
        Column(
            "to_claim", "integer", "The other (claims.id).", lookup="to_claim_id", required=True
        ),
        Column(
            "type", "string", "How the one bears on the other.", required=True, choices=RelationType
        ),
        Column("rationale", "string", "Why they are linked."),
        _by("created_by", "created_by__username", "who linked them"),
        _at("created_at", "When they were linked"),
        _at("updated_at", "When the link last changed"),
    ),
    references={"from_claim": ("claims", "id"), "to_claim": ("claims", "id")},
)

# In the order a reader meets them, each after the tables it refers to.
TABLES = (
    ARTICLES, REVISIONS, PARAGRAPHS, SPANS, SPAN_ANCHORS, CLAIMS, SOURCES, CITATIONS,
    NOTES, RELATIONS,
)  # fmt: skip
