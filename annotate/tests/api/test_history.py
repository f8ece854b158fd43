"""History through the API: a claim's timeline, the deleted claims of an article, and a
lead's restore."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotate import services
from annotate.models import Claim, Verdict
from annotate.tests.api.conftest import client_for
from annotate.tests.api.test_exports import export
from annotate.tests.factories import TEST_PASSWORD, make_note

pytestmark = pytest.mark.django_db


def test_the_history_lists_changes_newest_first_with_old_and_new_values(claim, reviewer, lead):
    services.claim_update(claim=claim, user=reviewer, statement="Targeted the negotiators")
    services.claim_set_verdict(claim=claim, verdict=Verdict.MIXED, rationale="Both", user=lead)

    response = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/history/")

    assert response.status_code == 200
    entries = response.json()
    assert [(e["who"], e["object_type"], e["action"]) for e in entries[:2]] == [
        ("lead", "claim", "changed"),
        ("reviewer1", "claim", "changed"),
    ]
    assert entries[1]["changes"] == [
        {
            "field": "statement",
            "label": "statement",
            "old": "the strike specifically targeted the negotiation team",
            "new": "Targeted the negotiators",
            "old_display": None,
            "new_display": None,
        }
    ]
    assert {(e["object_type"], e["action"]) for e in entries[2:]} == {
        ("span", "created"),
        ("claim", "created"),
        ("citation", "created"),
        ("source", "created"),
        ("note", "created"),
    }
    assert entries[0]["at"] >= entries[1]["at"]


def test_the_history_has_the_claims_read_permissions(claim, researcher, anonymous):
    assert client_for(researcher).get(f"/api/v1/claims/{claim.pk}/history/").status_code == 200
    assert anonymous.get(f"/api/v1/claims/{claim.pk}/history/").status_code == 401
    assert client_for(researcher).get("/api/v1/claims/999999/history/").status_code == 404


def test_a_lead_lists_deleted_claims_and_restores_one(claim, seed_article, reviewer, lead):
    ids = (claim.span_id, list(claim.citations.values_list("pk", flat=True)))
    services.claim_delete(claim=claim, user=reviewer)
    base = f"/api/v1/articles/{seed_article.slug}/deleted-claims/"

    listed = client_for(lead).get(base)
    assert listed.status_code == 200
    assert [(d["id"], d["deleted_by"]) for d in listed.json()] == [(claim.pk, "reviewer1")]

    restored = client_for(lead).post(f"{base}{claim.pk}/restore/")

    assert restored.status_code == 200
    assert restored.json()["id"] == claim.pk
    assert restored["ETag"]
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.span_id, list(fresh.citations.values_list("pk", flat=True))) == ids
    assert client_for(lead).get(base).json() == []
    history = client_for(lead).get(f"/api/v1/claims/{claim.pk}/history/").json()
    assert (history[0]["action"], history[0]["who"]) == ("restored", "lead")


def test_only_leads_see_and_restore_deleted_claims(claim, seed_article, reviewer, researcher):
    services.claim_delete(claim=claim, user=reviewer)
    base = f"/api/v1/articles/{seed_article.slug}/deleted-claims/"

    for user in (reviewer, researcher):
        assert client_for(user).get(base).status_code == 403
        assert client_for(user).post(f"{base}{claim.pk}/restore/").status_code == 403
    assert APIClient().post(f"{base}{claim.pk}/restore/").status_code == 401
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_restoring_a_claim_that_is_not_deleted_here_is_404(claim, seed_article, lead):
    base = f"/api/v1/articles/{seed_article.slug}/deleted-claims/"
    assert client_for(lead).post(f"{base}{claim.pk}/restore/").status_code == 404
    assert client_for(lead).post(f"{base}999999/restore/").status_code == 404


def test_a_session_restore_needs_the_csrf_token(claim, seed_article, reviewer, lead):
    services.claim_delete(claim=claim, user=reviewer)
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="lead", password=TEST_PASSWORD)
    url = f"/api/v1/articles/{seed_article.slug}/deleted-claims/{claim.pk}/restore/"

    refused = client.post(url)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["detail"]
    assert not Claim.objects.filter(pk=claim.pk).exists()

    csrf = Client().get("/accounts/login/").cookies["csrftoken"].value
    client.cookies["csrftoken"] = csrf
    assert client.post(url, HTTP_X_CSRFTOKEN=csrf).status_code == 200


def test_the_w3c_export_dates_each_annotation_and_its_bodies(claim, seed_article, researcher):
    _, body = export(client_for(researcher), seed_article, "w3c")
    annotation = json.loads(body)["first"]["items"][0]

    assert annotation["created"].startswith(claim.created_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert annotation["modified"]
    linked = [b for b in annotation["body"] if b["type"] == "SpecificResource"]
    noted = [b for b in annotation["body"] if "likelihood" in b]
    assert all(b["created"] and b["modified"] for b in linked + noted)


def test_user_ids_and_choices_in_the_history_come_with_readable_values(claim, lead):
    services.claim_set_verdict(claim=claim, verdict=Verdict.MIXED, rationale="Both", user=lead)

    entries = client_for(lead).get(f"/api/v1/claims/{claim.pk}/history/").json()

    changes = {c["field"]: c for c in entries[0]["changes"]}
    assert {k: changes["verdict_by_id"][k] for k in ("old", "new", "new_display")} == {
        "old": None,
        "new": lead.pk,
        "new_display": "lead",
    }
    assert (changes["verdict"]["new"], changes["verdict"]["new_display"]) == ("mixed", "Mixed")
    created = next(e for e in entries if (e["object_type"], e["action"]) == ("span", "created"))
    made = {c["field"]: c["new_display"] for c in created["changes"]}
    assert (made["created_by_id"], made["paragraph_id"]) == ("reviewer1", "¶6 of revision 1")


def test_a_lead_restores_a_deleted_citation_and_note_through_the_api(claim, reviewer, lead):
    source, note = claim.citations.get(), claim.notes.get()
    services.citation_delete(citation=source, user=reviewer)
    services.confidence_note_delete(note=note, user=reviewer)

    restored_source = client_for(lead).post(f"/api/v1/citations/{source.pk}/restore/")
    restored_note = client_for(lead).post(f"/api/v1/confidence-notes/{note.pk}/restore/")

    assert restored_source.status_code == 200
    assert (restored_source.json()["id"], restored_source.json()["source"]["title"]) == (
        source.pk,
        source.source.title,
    )
    assert restored_source["ETag"]
    assert restored_note.status_code == 200
    assert (restored_note.json()["id"], restored_note.json()["reviewer"]) == (note.pk, "reviewer1")
    history = client_for(lead).get(f"/api/v1/claims/{claim.pk}/history/").json()
    assert {(e["object_type"], e["action"]) for e in history[:2]} == {
        ("citation", "restored"),
        ("note", "restored"),
    }


def test_restoring_evidence_refuses_clearly(claim, reviewer, lead):
    source, note = claim.citations.get(), claim.notes.get()
    lead_client = client_for(lead)

    never = lead_client.post(f"/api/v1/citations/{source.pk}/restore/")
    assert never.status_code == 404
    assert never.json()["error"]["detail"] == "There is no deleted citation with that id."
    assert lead_client.post("/api/v1/confidence-notes/999999/restore/").status_code == 404

    services.confidence_note_delete(note=note, user=reviewer)
    make_note(claim=claim, likelihood=2, user=reviewer)
    again = lead_client.post(f"/api/v1/confidence-notes/{note.pk}/restore/")
    assert again.status_code == 400
    assert list(again.json()["error"]["fields"]) == ["reviewer"]

    services.citation_delete(citation=source, user=reviewer)
    services.claim_delete(claim=claim, user=reviewer)
    orphaned = lead_client.post(f"/api/v1/citations/{source.pk}/restore/")
    assert orphaned.status_code == 400
    assert list(orphaned.json()["error"]["fields"]) == ["claim"]
