"""What the import endpoint refuses, and whose name what it writes goes under."""

from __future__ import annotations

import orjson
import pytest

from annotate.models import Claim, ConfidenceNote
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_claim, make_note
from annotate.tests.imports.conftest import annotation, export, post_import

pytestmark = pytest.mark.django_db

QUOTE = "the strike specifically targeted the negotiation team"
FROM = "?from_article=doha-strike-2025-09-09"


def _json(article, user, body, query=""):
    return post_import(article, user, body, content_type="application/json", query=query)


def _fields(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


# Limits -------------------------------------------------------------------------------


def test_more_items_than_the_limit_is_a_413_naming_it(seed_article, reviewer, settings):
    settings.CLAIMDESK_IMPORT_MAX_ITEMS = 2

    response = _json(seed_article, reviewer, [annotation(QUOTE)] * 3)

    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["code"], error["detail"]) == (
        "too_large",
        "The import holds 3 items; the limit is 2 per request (CLAIMDESK_IMPORT_MAX_ITEMS): "
        "split it.",
    )
    assert not Claim.objects.exists()


def test_more_json_lines_than_the_limit_is_a_413(annotated, copy_article, lead, settings):
    settings.CLAIMDESK_IMPORT_MAX_ITEMS = 1

    response = post_import(copy_article, lead, export(annotated, lead), query=FROM)

    assert response.status_code == 413
    assert "limit is 1 per request" in response.json()["error"]["detail"]


def test_a_body_over_the_byte_limit_is_a_413_naming_it(seed_article, reviewer, settings):
    settings.CLAIMDESK_IMPORT_MAX_BYTES = 1000

    response = _json(seed_article, reviewer, [annotation(QUOTE)] * 10)

    assert response.status_code == 413
    assert "limit of 1,000 bytes (CLAIMDESK_IMPORT_MAX_BYTES)" in response.json()["error"]["detail"]


def test_an_import_may_be_larger_than_other_requests(seed_article, reviewer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = _json(seed_article, reviewer, [annotation(QUOTE)] * 10)

    assert response.status_code == 201


# Bad input ----------------------------------------------------------------------------


def test_invalid_json_is_a_400(seed_article, reviewer):
    assert "items[0]" in _fields(_json(seed_article, reviewer, b"[{"))


def test_an_invalid_json_line_is_a_400_naming_its_line(annotated, copy_article, lead):
    lines = export(annotated, lead).splitlines()
    body = b"\n".join([lines[0], b'{"statement": ', lines[1]])

    fields = _fields(post_import(copy_article, lead, body, query=FROM))

    assert list(fields) == ["items[1]"]
    assert fields["items[1]"][0].startswith("Invalid JSON")


def test_an_unknown_selector_type_is_a_400_naming_the_item(seed_article, reviewer):
    odd = annotation(QUOTE)
    odd["target"]["selector"] = [odd["target"]["selector"], {"type": "TelepathySelector"}]

    fields = _fields(_json(seed_article, reviewer, [annotation(QUOTE), odd]))

    assert fields == {
        "items[1]": ["target.selector.type: Unknown selector type 'TelepathySelector'."]
    }


def test_a_target_in_another_document_is_a_400_naming_the_item(seed_article, reviewer):
    elsewhere = annotation(QUOTE)
    elsewhere["target"]["source"] = "https://example.org/another-report"

    fields = _fields(_json(seed_article, reviewer, [annotation(QUOTE), elsewhere]))

    assert fields == {
        "items[1]": [
            "target.source: Names another document ('https://example.org/another-report')."
        ]
    }


def test_a_json_line_of_another_article_is_a_400_naming_the_line(annotated, copy_article, lead):
    fields = _fields(post_import(copy_article, lead, export(annotated, lead)))

    assert list(fields) == ["items[0]"]
    assert fields["items[0]"][0].startswith("article: Names another article")


def test_an_unknown_field_of_a_json_line_is_refused_by_name(annotated, copy_article, lead):
    lines = [orjson.loads(line) for line in export(annotated, lead).splitlines()]
    lines[1]["citations"][0]["source"]["colour"] = "red"
    body = b"\n".join(orjson.dumps(line) for line in lines)

    fields = _fields(post_import(copy_article, lead, body, query=FROM))

    assert fields == {
        "items[1]": ["citations[0].source.colour: Unknown field; nothing was imported."]
    }
    assert not Claim.objects.filter(span__paragraph__revision__article=copy_article).exists()


def test_a_hypothesis_export_with_range_selectors_is_imported(seed_article, reviewer):
    """As Hypothesis writes it: a list target with RangeSelector, TextPositionSelector
    and TextQuoteSelector, a markdown text body, an account IRI as creator."""
    text = "\n\n".join(seed_article.revisions.get().paragraphs.values_list("text", flat=True))
    start = text.index(QUOTE)
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hypothes.is/a/abc123",
        "creator": "acct:someone@hypothes.is",
        "body": [{"type": "TextualBody", "value": "Who says so?", "format": "text/markdown"}],
        "target": [
            {
                "source": "http://testserver/api/v1/articles/doha-strike-2025-09-09/",
                "selector": [
                    {"type": "RangeSelector", "startContainer": "/div[1]/p[6]",
                     "startOffset": 166, "endContainer": "/div[1]/p[6]", "endOffset": 219},
                    {"type": "TextPositionSelector", "start": start, "end": start + len(QUOTE)},
                    {"type": "TextQuoteSelector", "exact": QUOTE, "prefix": "that ",
                     "suffix": "."},
                ],
            }
        ],
    }  # fmt: skip

    response = _json(seed_article, reviewer, [item])

    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    assert (claim.statement, claim.created_by, claim.imported_creator) == (
        "Who says so?", reviewer, "acct:someone@hypothes.is",
    )  # fmt: skip


def test_a_collection_whose_first_page_is_not_embedded_is_a_400(seed_article, reviewer):
    body = {"type": "AnnotationCollection", "first": "https://example.org/page1"}

    assert "items[0]" in _fields(_json(seed_article, reviewer, body))


# Who -----------------------------------------------------------------------------------


def test_a_researcher_may_not_import(seed_article, researcher):
    response = _json(seed_article, researcher, [annotation(QUOTE)])

    assert response.status_code == 403


def test_a_reviewer_imports_their_own_claims_under_their_name(seed_article, reviewer):
    response = _json(seed_article, reviewer, [annotation(QUOTE, creator={"nickname": "reviewer1"})])

    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.created_by, claim.imported_creator) == (reviewer, "")
    record = claim.history.get()
    assert record.history_user == reviewer
    assert record.history_change_reason.startswith("imported by reviewer1")


def test_a_reviewer_importing_a_colleagues_claims_keeps_the_name_only(
    seed_article, reviewer, other_reviewer
):
    response = _json(seed_article, reviewer, [annotation(QUOTE, creator={"nickname": "reviewer2"})])

    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.created_by, claim.imported_creator) == (reviewer, "reviewer2")
    shown = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/").json()
    assert shown["imported_creator"] == "reviewer2"


def test_a_lead_importing_records_the_matched_author(seed_article, lead, other_reviewer):
    response = _json(seed_article, lead, [annotation(QUOTE, creator={"nickname": "reviewer2"})])

    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.created_by, claim.imported_creator) == (other_reviewer, "")
    assert claim.history.get().history_user == lead  # who acted: the importer


def test_an_author_whose_role_could_not_have_made_it_is_not_matched(seed_article, lead, researcher):
    response = _json(seed_article, lead, [annotation(QUOTE, creator={"nickname": "researcher"})])

    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.created_by, claim.imported_creator) == (lead, "researcher")


def test_a_reviewer_may_not_import_a_colleagues_note_nor_a_verdict(
    annotated, copy_article, reviewer
):
    """reviewer1's export holds the lead's note (the reviewer judged the claim, so sees
    it) and the lead's verdict: neither may go in under reviewer1's import."""
    fields = _fields(post_import(copy_article, reviewer, export(annotated, reviewer), query=FROM))

    assert fields["items[1]"] == [
        "notes[1]: A confidence note is its reviewer's own judgement: it is imported under "
        "their name (lead) or not at all, and only a lead imports another reviewer's note."
    ]
    assert not ConfidenceNote.objects.filter(
        claim__span__paragraph__revision__article=copy_article
    ).exists()


def test_a_reviewer_may_not_import_a_verdict(seed_article, reviewer):
    verdict = {"type": "TextualBody", "purpose": "assessing", "value": "supported",
               "description": "Two sources."}  # fmt: skip

    fields = _fields(_json(seed_article, reviewer, [annotation(QUOTE, body=verdict)]))

    assert fields == {"items[0]": ["verdict: Only leads import verdicts."]}


def test_a_dry_run_shows_nothing_of_notes_hidden_by_independent_review(
    seed_article, reviewer, other_reviewer
):
    """Another reviewer's note on the same passage stays hidden from a reviewer who has
    not judged it, whatever the dry run is asked about."""
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    theirs = make_claim(paragraph=paragraph, quote=QUOTE, user=other_reviewer)
    make_note(claim=theirs, likelihood=2, user=other_reviewer, rationale="SECRET-JUDGEMENT")

    response = _json(seed_article, reviewer, [annotation(QUOTE)], query="?dry_run=true")

    assert response.status_code == 200
    assert b"SECRET" not in response.content
    assert b"reviewer2" not in response.content
    assert set(response.json()["items"][0]) == {
        "index", "type", "outcome", "reason", "paragraph_position", "start", "end", "quote",
        "score", "needs_review", "created_by", "imported_creator", "claim",
    }  # fmt: skip


def test_a_quote_refining_another_selector_is_found(seed_article, reviewer):
    item = annotation(QUOTE)
    item["target"]["selector"] = {
        "type": "FragmentSelector",
        "value": "p6",
        "refinedBy": {"type": "TextQuoteSelector", "exact": QUOTE, "suffix": "."},
    }

    response = _json(seed_article, reviewer, [item], query="?dry_run=true")

    assert response.status_code == 200
    assert response.json()["items"][0]["outcome"] == "exact"


def test_a_range_selector_alone_is_a_400_asking_for_a_text_selector(seed_article, reviewer):
    item = annotation(QUOTE)
    item["target"]["selector"] = {"type": "RangeSelector", "startContainer": "/p[6]"}

    assert _fields(_json(seed_article, reviewer, [item])) == {
        "items[0]": ["target.selector: Needs a TextQuoteSelector or a TextPositionSelector."]
    }


def test_a_reviewer_imports_their_own_note_under_their_name(seed_article, reviewer):
    note = {
        "type": "TextualBody",
        "purpose": "assessing",
        "value": "One source only.",
        "likelihood": 3,
        "analytic_confidence": "low",
        "creator": {"nickname": "reviewer1"},
    }

    response = _json(seed_article, reviewer, [annotation(QUOTE, body=note)])

    assert response.status_code == 201, response.json()
    recorded = ConfidenceNote.objects.get()
    assert (recorded.reviewer, recorded.likelihood, recorded.rationale) == (
        reviewer, 3, "One source only.",
    )  # fmt: skip


def test_a_from_article_naming_no_article_is_a_400(seed_article, reviewer):
    response = _json(seed_article, reviewer, [annotation(QUOTE)], query="?from_article=nope")

    assert _fields(response) == {"from_article": ["No article has this slug."]}
