"""A claim's history must not reveal others' confidence notes to a reviewer who has not
judged the claim yet (independent review)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotate.tests.factories import make_claim, make_note

pytestmark = pytest.mark.django_db


def test_history_hides_others_notes_until_the_reviewer_has_judged(
    seed_article, reviewer, other_reviewer
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=5)
    claim = make_claim(paragraph=paragraph, quote="casualties", user=reviewer)
    make_note(claim=claim, likelihood=2, rationale="secret", user=reviewer)
    client = APIClient()
    client.force_authenticate(other_reviewer)

    def note_entries():
        response = client.get(f"/api/v1/claims/{claim.pk}/history/")
        assert response.status_code == 200
        return [e for e in response.json() if e["object_type"] == "note"]

    assert note_entries() == []
    make_note(claim=claim, likelihood=6, user=other_reviewer)
    assert len(note_entries()) == 2
