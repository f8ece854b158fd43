"""Claim rows (annotate.claim_rows) as the API shows a claim: the same dicts as
serializers.ClaimSerializer builds for a model, key for key, for the claims list and the
JSON Lines export. The retrieve view and the schema keep the serializer; a test compares
the two for every claim and role (annotate/tests/api/test_claim_list_rows.py).

Timestamps are datetimes (claim_rows.with_relations), which the orjson renderer writes as
the serializers do (ISO 8601, UTC as `Z`), or text the database wrote that way already
(claim_rows.claim_values_nested).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import NullIf
from django.urls import reverse
from rest_framework.request import Request

from annotate.claim_rows import NestedShape, Row, placement
from annotate.disagreement import ConfidenceSummary
from annotate.json_sql import EpochMicros, JsonObject, UtcIso, address, label_of
from annotate.judgements import CONFIDENCE_LABELS, NOT_RECORDED_LABEL, confidence_label
from annotate.models import Likelihood
from annotate.versioning import SEEN, version_at

LIKELIHOOD_LABELS = {value: str(label) for value, label in Likelihood.choices}
_PLACEHOLDER = 918273645546372819  # an id no address otherwise contains


def address_parts(request: Request | None, view_name: str, **kwargs: Any) -> tuple[str, str]:
    """What comes before and after the id in an object's absolute API address."""
    url = reverse(view_name, kwargs={"pk": _PLACEHOLDER}, **kwargs)
    if request is not None:
        url = request.build_absolute_uri(url)
    head, tail = url.split(str(_PLACEHOLDER))
    return head, tail


def address_maker(request: Request | None, view_name: str, **kwargs: Any) -> Callable[[int], str]:
    """An object's absolute API address from its id, reversed once rather than per object
    (reversing 600 addresses was a fifth of a 100-claim page)."""
    head, tail = address_parts(request, view_name, **kwargs)
    return lambda pk: f"{head}{pk}{tail}"


def _version(stamp: datetime | str) -> str:
    """versioning.version_at of a datetime, or of one the database wrote as text."""
    return version_at(datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp)


def summary_dict(summary: ConfidenceSummary) -> dict[str, Any]:
    return {
        "count": summary.count,
        "lowest": summary.lowest,
        "median": summary.median,
        "highest": summary.highest,
        "disputed": summary.disputed,
    }


def relation_ref(relation: Row, url: Callable[[int], str]) -> dict[str, Any]:
    """A relation as a claim shows it (under both of its claims), from a row of
    claim_rows.RELATION_FIELDS (or a model's values under the same names)."""
    return {
        "id": relation["id"],
        "url": url(relation["id"]),
        "type": relation["type"],
        "from_claim": relation["from_claim_id"],
        "to_claim": relation["to_claim_id"],
        "rationale": relation["rationale"],
    }


class ClaimJson:
    """Builds claim dicts for one request; addresses are reversed once."""

    def __init__(self, request: Request, *, expand_notes: bool) -> None:
        self.request = request
        self.expand_notes = expand_notes
        self.claim_url = address_maker(request, "api-claim-detail")
        self.span_url = address_maker(request, "api-span-detail")
        self.source_url = address_maker(request, "api-source-detail")
        self.citation_url = address_maker(request, "api-citation-detail")
        self.note_url = address_maker(request, "api-confidencenote-detail")
        self.relation_url = address_maker(request, "api-relation-detail")

    def claim(self, row: Row) -> dict[str, Any]:
        """A claim from a row of claim_rows.with_relations."""
        return self._claim(
            row,
            citations=[self.citation(citation) for citation in row["citations"]],
            notes=[self.note(note) for note in row["notes"]] if self.expand_notes else None,
            relations=[relation_ref(r, self.relation_url) for r in row["relations"]],
        )

    def nested(self) -> NestedShape:
        """The citations, notes and relations of claim_rows.claim_values_nested as this
        class writes them (keys in the same order): the database builds them, and
        `claim_of_nested` puts them in their claim. Without expanded notes, a note is its
        likelihood (for the summary)."""
        ts, version = UtcIso, EpochMicros
        url = {
            name: address_parts(self.request, f"api-{name}-detail")
            for name in ("citation", "source", "confidencenote", "relation")
        }
        source = JsonObject(
            id=F("source_id"),
            url=address(url["source"][0], F("source_id"), url["source"][1]),
            link=F("source__url"),
            title=F("source__title"),
            publisher=F("source__publisher"),
            published_on=F("source__published_on"),
            archive_link=NullIf("source__archive_url", Value("")),
            reliability=F("source__reliability"),
            reliability_set_by=F("source__reliability_set_by__username"),
            reliability_set_at=ts("source__reliability_set_at"),
            created_by=F("source__created_by__username"),
            created_at=ts("source__created_at"),
            updated_at=ts("source__updated_at"),
            version=version("source__updated_at"),
        )
        citation = {
            "id": F("id"),
            "url": address(url["citation"][0], F("id"), url["citation"][1]),
            "claim": F("claim_id"),
            "source": source,
            "stance": F("stance"),
            "excerpt": F("excerpt"),
            "credibility": F("credibility"),
            "added_by": F("added_by__username"),
            "created_at": ts("created_at"),
            "updated_at": ts("updated_at"),
            "version": version("updated_at"),
        }
        note = {"likelihood": F("likelihood")}
        if self.expand_notes:
            note = {
                "id": F("id"),
                "url": address(url["confidencenote"][0], F("id"), url["confidencenote"][1]),
                "claim": F("claim_id"),
                "reviewer": F("reviewer__username"),
                "likelihood": F("likelihood"),
                "likelihood_label": label_of("likelihood", LIKELIHOOD_LABELS),
                "analytic_confidence": F("analytic_confidence"),
                "analytic_confidence_label": label_of(
                    "analytic_confidence", CONFIDENCE_LABELS, NOT_RECORDED_LABEL
                ),
                "rationale": F("rationale"),
                "created_at": ts("created_at"),
                "updated_at": ts("updated_at"),
                "version": version("updated_at"),
            }
        relation = {
            "id": F("id"),
            "url": address(url["relation"][0], F("id"), url["relation"][1]),
            "type": F("type"),
            "from_claim": F("from_claim_id"),
            "to_claim": F("to_claim_id"),
            "rationale": F("rationale"),
        }
        return NestedShape(citation=citation, note=note, relation=relation)

    def claim_of_nested(self, row: Row) -> dict[str, Any]:
        """A claim from a row of claim_rows.claim_values_nested (in the `nested` shape)."""
        notes = row["notes"] if self.expand_notes else None
        return self._claim(row, citations=row["citations"], notes=notes, relations=row["relations"])

    def _claim(
        self, row: Row, *, citations: list, notes: list | None, relations: list
    ) -> dict[str, Any]:
        confidence = None
        if row["notes_visible"]:  # independent review: not before the user's own note
            likelihoods = (note["likelihood"] for note in row["notes"])
            confidence = summary_dict(ConfidenceSummary.of(likelihoods))
        return {
            "id": row["id"],
            "url": self.claim_url(row["id"]),
            "article": row["article"],
            "revision": row["made_on"],
            "span": {
                "id": row["span_id"],
                "url": self.span_url(row["span_id"]),
                "paragraph": row["span_paragraph"],
                "paragraph_position": row["paragraph_position"],
                "start": row["start"],
                "end": row["end"],
                "quote": row["quote"],
                "prefix": row["prefix"],
                "suffix": row["suffix"],
            },
            "statement": row["statement"],
            "kind": row["kind"],
            "attributed_to": row["attributed_to"],
            "verdict": row["verdict"] or None,
            "verdict_rationale": row["verdict_rationale"],
            "verdict_by": row["verdict_by_name"],
            "verdict_at": row["verdict_at"],
            "created_by": row["created_by_name"],
            "imported_creator": row["imported_creator"],
            "created_at": row["created_at"],
            "updated_at": row[SEEN],  # as the user sees it (annotate.versioning)
            "version": _version(row[SEEN]),
            "placement": placement(row),
            "citations": citations,
            "confidence": confidence,
            "notes": notes,
            "relations": relations,
        }

    def citation(self, citation: Row) -> dict[str, Any]:
        return {
            "id": citation["id"],
            "url": self.citation_url(citation["id"]),
            "claim": citation["claim_id"],
            "source": self.source(citation),
            "stance": citation["stance"],
            "excerpt": citation["excerpt"],
            "credibility": citation["credibility"],
            "added_by": citation["added_by_name"],
            "created_at": citation["created_at"],
            "updated_at": citation["updated_at"],
            "version": _version(citation["updated_at"]),
        }

    def source(self, citation: Row) -> dict[str, Any]:
        """The cited source, from the `source_` values of its citation's row."""
        return {
            "id": citation["source_id"],
            "url": self.source_url(citation["source_id"]),
            "link": citation["source_url"],
            "title": citation["source_title"],
            "publisher": citation["source_publisher"],
            "published_on": citation["source_published_on"],
            "archive_link": citation["source_archive_url"] or None,
            "reliability": citation["source_reliability"],
            "reliability_set_by": citation["source_reliability_set_by_name"],
            "reliability_set_at": citation["source_reliability_set_at"],
            "created_by": citation["source_created_by_name"],
            "created_at": citation["source_created_at"],
            "updated_at": citation["source_updated_at"],
            "version": _version(citation["source_updated_at"]),
        }

    def note(self, note: Row) -> dict[str, Any]:
        return {
            "id": note["id"],
            "url": self.note_url(note["id"]),
            "claim": note["claim_id"],
            "reviewer": note["reviewer_name"],
            "likelihood": note["likelihood"],
            "likelihood_label": LIKELIHOOD_LABELS[note["likelihood"]],
            "analytic_confidence": note["analytic_confidence"],
            "analytic_confidence_label": confidence_label(note["analytic_confidence"]),
            "rationale": note["rationale"],
            "created_at": note["created_at"],
            "updated_at": note["updated_at"],
            "version": _version(note["updated_at"]),
        }
