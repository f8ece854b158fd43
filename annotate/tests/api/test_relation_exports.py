"""Links between claims in the exports: W3C (an Annotation motivated by linking whose
targets are both claims' annotations), JSON Lines (under each claim, both ways) and CSV
(a `relations` column)."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from annotate import relations
from annotate.api.exports import exported_relations
from annotate.models import Claim
from annotate.tests.api.conftest import client_for
from annotate.tests.api.test_exports import export
from annotate.tests.relation_helpers import CONFLICTING, NOT_KILLED, UNKNOWN, seed_claims

pytestmark = pytest.mark.django_db

# What the Web Annotation Data Model (https://www.w3.org/TR/annotation-model/) requires of
# an Annotation: an IRI id, the type Annotation, at least one target (an IRI or a resource
# with a source or id), a motivation among the model's, bodies that are IRIs or resources.
IRI = {"type": "string", "format": "uri", "pattern": "^[a-z][a-z0-9+.-]*:"}
MOTIVATIONS = [
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying",
    "tagging",
]  # fmt: skip
RESOURCE = {
    "oneOf": [
        IRI,
        {
            "type": "object",
            "anyOf": [{"required": ["source"]}, {"required": ["id"]}, {"required": ["value"]}],
            "properties": {"purpose": {"enum": MOTIVATIONS}},
        },
    ]
}
ANNOTATION_SCHEMA = {
    "type": "object",
    "required": ["id", "type", "target"],
    "properties": {
        "id": IRI,
        "type": {"const": "Annotation"},
        "motivation": {"enum": MOTIVATIONS},
        "body": {"oneOf": [RESOURCE, {"type": "array", "items": RESOURCE}]},
        "target": {"oneOf": [RESOURCE, {"type": "array", "items": RESOURCE, "minItems": 1}]},
        "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
    },
}


@pytest.fixture
def linked(seed_article, reviewer):
    a, b, c = seed_claims(seed_article, reviewer, NOT_KILLED, CONFLICTING, UNKNOWN)
    ab = relations.relation_create(
        from_claim=a, to_claim=b, type="contradicts", rationale="<b>Killed</b> =1", user=reviewer
    )
    ca = relations.relation_create(from_claim=c, to_claim=a, type="part_of", user=reviewer)
    return (a, b, c), (ab, ca)


def _url(pk: int, kind: str = "claims") -> str:
    return f"http://testserver/api/v1/{kind}/{pk}/"


def test_w3c_a_link_is_a_linking_annotation_targeting_both_claims(seed_article, linked, researcher):
    (a, b, c), (ab, ca) = linked
    _, body = export(client_for(researcher), seed_article, "w3c")
    collection = json.loads(body)
    items = collection["first"]["items"]

    assert collection["total"] == len(items) == 5  # three claims, two links
    validator = jsonschema.Draft202012Validator(
        ANNOTATION_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for item in items:
        validator.validate(item)
    links = {item["id"]: item for item in items if item["motivation"] == "linking"}
    assert set(links) == {_url(ab.pk, "relations"), _url(ca.pk, "relations")}
    contradicts = links[_url(ab.pk, "relations")]
    assert contradicts["target"] == [_url(a.pk), _url(b.pk)]
    assert set(contradicts["target"]) <= {item["id"] for item in items}
    assert contradicts["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "contradicts"},
        {"type": "TextualBody", "purpose": "describing", "value": "<b>Killed</b> =1"},
    ]
    assert "<b>" not in body  # escaped for embedding in a page, as every export's text
    part = links[_url(ca.pk, "relations")]
    assert (part["from_claim"], part["to_claim"]) == (_url(c.pk), _url(a.pk))
    assert part["creator"] == {"type": "Person", "nickname": "reviewer1"}


def test_an_export_of_some_claims_holds_only_the_links_between_them(linked):
    (a, b, _), (ab, _) = linked
    some = Claim.objects.filter(pk__in=[a.pk, b.pk])  # as ?revision=N exports that revision's
    assert list(exported_relations(some)) == [ab]


def test_jsonl_carries_each_claims_links_both_ways(seed_article, linked, researcher):
    (a, b, c), (ab, ca) = linked
    _, body = export(client_for(researcher), seed_article, "jsonl")
    lines = {line["id"]: line for line in map(json.loads, body.splitlines())}

    def shown(claim):
        return [
            (r["id"], r["type"], r["from_claim"], r["to_claim"])
            for r in lines[claim.pk]["relations"]
        ]

    assert shown(a) == [(ab.pk, "contradicts", a.pk, b.pk), (ca.pk, "part_of", c.pk, a.pk)]
    assert shown(b) == [(ab.pk, "contradicts", a.pk, b.pk)]
    assert shown(c) == [(ca.pk, "part_of", c.pk, a.pk)]


def test_csv_has_a_relations_column_read_from_each_claim(seed_article, linked, researcher):
    (a, b, c), _ = linked
    _, body = export(client_for(researcher), seed_article, "csv")
    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(body))}
    assert rows[a.pk]["relations"] == f"contradicts:{b.pk};has_part:{c.pk}"
    assert rows[b.pk]["relations"] == f"contradicts:{a.pk}"
    assert rows[c.pk]["relations"] == f"part_of:{a.pk}"
