"""GET /api/v1/articles/{slug}/export/datapackage/: a Frictionless data package that
Frictionless itself finds valid (types, keys, foreign keys, allowed values), with hostile
text intact, every object of every kind, and the access rules of the other exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pytest
from django.contrib.auth.models import Group

from annotate.datasets.tables import TABLES
from annotate.models import (
    Citation,
    Claim,
    ClaimRelation,
    ConfidenceNote,
    Source,
    Span,
    SpanAnchor,
)
from annotate.roles import Role
from annotate.tests.api.conftest import client_for
from annotate.tests.api.dataset_world import HOSTILE, annotated_seed
from annotate.tests.factories import UserFactory
from articles.models import Article, Paragraph, Revision

pytestmark = pytest.mark.django_db

FILES = [
    "articles.csv", "revisions.csv", "paragraphs.csv", "spans.csv", "span_anchors.csv",
    "claims.csv", "sources.csv", "citations.csv", "notes.csv", "relations.csv",
]  # fmt: skip


@pytest.fixture
def world(seed_article, reviewer, other_reviewer, lead):
    return annotated_seed(
        seed_article, reviewer=reviewer, other_reviewer=other_reviewer, lead=lead, text=HOSTILE
    )


def download(client, slug: str, **params) -> zipfile.ZipFile:
    response = client.get(f"/api/v1/articles/{slug}/export/datapackage/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(package: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = package.read(name).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def ids(package: zipfile.ZipFile, name: str) -> set[int]:
    return {int(row["id"]) for row in rows(package, name)}


def test_frictionless_finds_the_package_valid(world, lead, tmp_path: Path):
    package = download(client_for(lead), world.article.slug)
    package.extractall(tmp_path)

    report = frictionless.validate(tmp_path / "datapackage.json")

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert sorted(task.name for task in report.tasks) == sorted(t.name for t in TABLES)
    assert sorted(package.namelist()) == sorted(["datapackage.json", *FILES])


def test_every_object_of_the_article_is_in_its_file(world, lead):
    package = download(client_for(lead), world.article.slug)

    assert ids(package, "claims.csv") == {claim.pk for claim in world.claims}
    assert ids(package, "citations.csv") == set(Citation.objects.values_list("pk", flat=True))
    assert ids(package, "sources.csv") == set(Source.objects.values_list("pk", flat=True))
    assert ids(package, "notes.csv") == set(ConfidenceNote.objects.values_list("pk", flat=True))
    assert ids(package, "relations.csv") == set(ClaimRelation.objects.values_list("pk", flat=True))
    assert ids(package, "spans.csv") == set(Span.objects.values_list("pk", flat=True))
    assert ids(package, "span_anchors.csv") == set(SpanAnchor.objects.values_list("pk", flat=True))
    assert ids(package, "paragraphs.csv") == set(Paragraph.objects.values_list("pk", flat=True))
    assert [int(r["number"]) for r in rows(package, "revisions.csv")] == [1, 2]
    assert {s["status"] for s in rows(package, "span_anchors.csv")} >= {"moved", "orphaned"}


def test_each_file_has_every_column_its_schema_declares(world, lead):
    package = download(client_for(lead), world.article.slug)
    descriptor = json.loads(package.read("datapackage.json"))

    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO(package.read(resource["path"]).decode())))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
    claims = {r["name"]: r for r in descriptor["resources"]}["claims"]["schema"]
    kind = next(f for f in claims["fields"] if f["name"] == "kind")
    assert kind["constraints"]["enum"] == [
        "factual", "attribution", "characterization", "opinion", "prediction", "other",
    ]  # fmt: skip
    assert {"fields": ["span"], "reference": {"resource": "spans", "fields": ["id"]}} in claims[
        "foreignKeys"
    ]


def test_hostile_text_comes_back_exactly(world, lead, tmp_path: Path):
    package = download(client_for(lead), world.article.slug)

    claim = next(r for r in rows(package, "claims.csv") if int(r["id"]) == world.not_killed.pk)
    assert claim["statement"] == f"Khalil al-Hayya survived {HOSTILE}"
    assert claim["verdict_rationale"] == f"Sources differ {HOSTILE}"
    source = next(r for r in rows(package, "sources.csv") if r["publisher"])
    assert source["title"] == f"Al Jazeera live {HOSTILE}"
    paragraphs = {int(p["id"]): p["text"] for p in rows(package, "paragraphs.csv")}
    for span in rows(package, "spans.csv"):
        text = paragraphs[int(span["paragraph"])]
        assert text[int(span["start"]) : int(span["end"])] == span["quote"]
    # And through Frictionless's own typed reading:
    package.extractall(tmp_path)
    notes = frictionless.Package(tmp_path / "datapackage.json").get_resource("notes")
    rationales = {row["rationale"] for row in notes.read_rows()}
    assert f"Two sources agree {HOSTILE}" in rationales


def test_a_blind_reviewer_gets_no_other_reviewers_notes(world, reviewer):
    blind = UserFactory(username="reviewer3")
    blind.groups.add(Group.objects.get(name=Role.REVIEWER))
    assert world.article.independent_review

    package = download(client_for(blind), world.article.slug)

    assert rows(package, "notes.csv") == []
    # Its claims' updated_at is as the JSON Lines export shows it to the same reviewer.
    jsonl = client_for(blind).get(f"/api/v1/articles/{world.article.slug}/export/jsonl/")
    seen = {
        (line := json.loads(raw))["id"]: line["updated_at"]
        for raw in b"".join(jsonl.streaming_content).splitlines()
    }
    assert {int(r["id"]): r["updated_at"] for r in rows(package, "claims.csv")} == {
        pk: value.replace("+00:00", "Z") for pk, value in seen.items()
    }
    # reviewer1 noted the claim: they see both notes on it.
    assert len(rows(download(client_for(reviewer), world.article.slug), "notes.csv")) == 2


def test_one_revision_holds_its_claims_and_the_links_between_them(world, lead):
    package = download(client_for(lead), world.article.slug, revision=1)

    assert ids(package, "claims.csv") == {claim.pk for claim in world.claims}
    assert len(rows(package, "relations.csv")) == 2
    empty = download(client_for(lead), world.article.slug, revision=2)
    assert rows(empty, "claims.csv") == rows(empty, "relations.csv") == []
    assert rows(empty, "notes.csv") == rows(empty, "citations.csv") == []


def test_pandas_reads_the_tables_and_joins_them(world, lead, tmp_path: Path):
    pandas = pytest.importorskip("pandas")
    download(client_for(lead), world.article.slug).extractall(tmp_path)

    claims = pandas.read_csv(tmp_path / "claims.csv", keep_default_na=False)
    citations = pandas.read_csv(tmp_path / "citations.csv")
    joined = citations.merge(claims, left_on="claim", right_on="id", suffixes=("", "_claim"))

    assert len(claims) == len(world.claims)
    assert sorted(joined["statement"]) == sorted(
        Citation.objects.values_list("claim__statement", flat=True)
    )


def test_errors_before_the_stream_are_json(world, lead, anonymous):
    assert (
        anonymous.get(f"/api/v1/articles/{world.article.slug}/export/datapackage/").status_code
        == 401
    )
    missing = client_for(lead).get("/api/v1/articles/no-such/export/datapackage/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"


def test_the_schemas_hold_frictionless_to_the_keys_and_allowed_values(world, lead, tmp_path):
    """The validation above can fail: a citation of a source not in the package and a
    claim of an unknown kind are each reported."""
    download(client_for(lead), world.article.slug).extractall(tmp_path)
    sources = (tmp_path / "sources.csv").read_text().splitlines(keepends=True)
    (tmp_path / "sources.csv").write_text(sources[0])
    claims = (tmp_path / "claims.csv").read_text()
    (tmp_path / "claims.csv").write_text(claims.replace(",factual,", ",gossip,", 1))

    report = frictionless.validate(tmp_path / "datapackage.json")

    errors = [(kind, field) for kind, field in report.flatten(["type", "fieldName"])]
    assert sorted(errors, key=str) == [
        ("constraint-error", "kind"),
        ("foreign-key", None),  # both citations' source
        ("foreign-key", None),
    ]


# Columns a file leaves out on purpose: an article is keyed by its slug, and a claim's
# notes stamp is folded into its `updated_at` as the reader sees it (independent review).
NOT_COLUMNS = {"articles": {"id"}, "claims": {"notes_updated_at"}}


def test_every_field_of_each_files_model_is_a_column():
    models = {
        "articles": Article, "revisions": Revision, "paragraphs": Paragraph, "spans": Span,
        "span_anchors": SpanAnchor, "claims": Claim, "sources": Source, "citations": Citation,
        "notes": ConfidenceNote, "relations": ClaimRelation,
    }  # fmt: skip
    assert {table.name for table in TABLES} == set(models)
    for table in TABLES:
        fields = {field.name for field in models[table.name]._meta.concrete_fields}
        columns = {column.name for column in table.columns}
        assert fields - columns == NOT_COLUMNS.get(table.name, set()), table.name
