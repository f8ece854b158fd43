"""The claims list is read as rows (annotate.claim_rows, annotate.api.claim_json), not
through ClaimSerializer: every claim it lists must equal, field for field, what retrieve
(the serializer) gives for that claim, for every role and every option."""

from __future__ import annotations

import json

import pytest

from annotate import services
from annotate.models import Likelihood
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.revised_seed import claims_across_a_revision
from articles.report_format import parse_report
from articles.services import article_import

pytestmark = pytest.mark.django_db

OPEN_REPORT = """---
title: Ein Bericht “ohne” blinde Prüfung 👍🏽
slug: open-review
---
Der Minister sagte: „Wir wurden nicht informiert“ 🇶🇦.

مرحبا بالعالم — said the crowd, with =SUM(A1) on a sign.
"""


@pytest.fixture
def rich_workspace(seed_article, reviewer, other_reviewer, lead):
    """Claims under independent review (the seed report, re-anchored into revision 2:
    moved, orphaned, fuzzy) and without it, with sources, notes of several reviewers,
    verdicts and non-Latin text."""
    across = claims_across_a_revision(seed_article, other_reviewer)
    make_note(claim=across["moved"], likelihood=Likelihood.VERY_UNLIKELY, user=other_reviewer)
    make_note(
        claim=across["moved"], likelihood=Likelihood.VERY_LIKELY, rationale="Wires.", user=lead
    )
    make_citation(claim=across["orphan"], user=lead, stance="refutes", title="Ministère ✓")
    make_note(claim=across["orphan"], likelihood=Likelihood.LIKELY, user=reviewer)
    services.claim_set_verdict(
        claim=across["fuzzy"], verdict="mixed", rationale="Half “true”.", user=lead
    )
    current = seed_article.revisions.get(number=2).paragraphs.get(position=3)
    on_revision_2 = make_claim(paragraph=current, quote="Israel struck the capital", user=reviewer)
    make_citation(claim=on_revision_2, user=reviewer)
    make_citation(claim=on_revision_2, user=other_reviewer, stance="context")

    open_article = article_import(report=parse_report(OPEN_REPORT.encode()))
    open_article.independent_review = False
    open_article.save()
    paragraphs = {p.position: p for p in open_article.revisions.get().paragraphs.all()}
    for position, quote in [(1, "„Wir wurden nicht informiert“ 🇶🇦"), (2, "مرحبا بالعالم")]:
        claim = make_claim(paragraph=paragraphs[position], quote=quote, user=other_reviewer)
        make_citation(claim=claim, user=other_reviewer, title="=cmd|' /C calc'!A0")
        for user, likelihood in [(other_reviewer, 2), (lead, 6), (reviewer, 4)]:
            make_note(claim=claim, likelihood=likelihood, user=user)
    return seed_article


@pytest.mark.parametrize("role", ["reviewer", "other_reviewer", "lead", "researcher"])
@pytest.mark.parametrize(
    "params", ["", "expand=notes", "expand=notes&placement_revision=1", "placement_revision=2"]
)
def test_each_listed_claim_equals_the_claim_retrieved(rich_workspace, role, params, request):
    client = client_for(request.getfixturevalue(role))

    response = client.get(f"/api/v1/claims/?page_size=100&{params}")

    assert response.status_code == 200
    listed = response.json()["results"]
    assert len(listed) == 6
    for claim in listed:
        alone = client.get(f"/api/v1/claims/{claim['id']}/?{params}")
        assert alone.status_code == 200
        assert claim == alone.json()


def test_the_rows_show_what_independent_review_allows(rich_workspace, reviewer):
    listed = client_for(reviewer).get("/api/v1/claims/?expand=notes&page_size=100").json()

    by_statement = {claim["span"]["quote"]: claim for claim in listed["results"]}
    blind = by_statement["Loud explosions"]  # others' notes, none of reviewer1's
    assert (blind["confidence"], blind["notes"]) == (None, [])
    noted = by_statement["The number of casualties is currently unknown."]
    assert noted["confidence"]["count"] == 1
    assert noted["placement"]["status"] == "orphaned"
    open_review = by_statement["مرحبا بالعالم"]
    assert [note["reviewer"] for note in open_review["notes"]] == [
        "reviewer2",
        "lead",
        "reviewer1",
    ]
    assert open_review["confidence"] == {
        "count": 3, "lowest": 2, "median": 4, "highest": 6, "disputed": True
    }  # fmt: skip


@pytest.mark.parametrize("role", ["reviewer", "lead"])
def test_each_json_lines_claim_equals_the_claim_retrieved(rich_workspace, role, request):
    client = client_for(request.getfixturevalue(role))

    response = client.get(f"/api/v1/articles/{rich_workspace.slug}/export/jsonl/")

    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(lines) == 4
    for line in lines:
        del line["text_start"], line["text_end"]
        assert line == client.get(f"/api/v1/claims/{line['id']}/?expand=notes").json()
