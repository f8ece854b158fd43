"""Concurrent first notes by one reviewer on one claim, each POST in a request of its own
on its own database connection: one note is stored, and exactly one answer says 201
Created (the others 200: they revised it). The service decides under the claim's lock."""

from __future__ import annotations

from functools import partial

from annotate.models import ConfidenceNote
from annotate.tests.api.conftest import client_for
from annotate.tests.at_once import ACROSS_CONNECTIONS, at_once
from annotate.tests.factories import make_claim
from annotate.tests.test_concurrency_edits import ROUNDS

pytestmark = ACROSS_CONNECTIONS

WRITERS = 4


def test_of_concurrent_first_notes_by_one_reviewer_exactly_one_is_created(
    seed_article, reviewer, settings
):
    settings.CLAIMDESK_API_WRITE_RATE = "10000/minute"
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    for round_ in range(ROUNDS):
        claim = make_claim(paragraph=paragraph, quote="the strike", user=reviewer)

        clients = [client_for(reviewer) for _ in range(WRITERS)]

        answers = at_once(
            [
                partial(
                    client.post,
                    "/api/v1/confidence-notes/",
                    {"claim": claim.pk, "likelihood": n, "analytic_confidence": "moderate"},
                )
                for n, client in enumerate(clients, start=1)
            ]
        )
        statuses = [answer.status_code for answer in answers]

        assert sorted(statuses) == [200] * (WRITERS - 1) + [201], (round_, statuses)
        assert ConfidenceNote.objects.filter(claim=claim, reviewer=reviewer).count() == 1
