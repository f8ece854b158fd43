"""Links made at the same instant, each request on its own database connection: the
claims' row locks (annotate.relations locks both, lower id first) decide, so the same link
asked for both ways round is made once and the other request is told, and a link to a
claim deleted meanwhile is refused naming the field, never a 500 or a half-written row."""

from __future__ import annotations

from annotate.api.tokens import token_for
from annotate.models import ClaimRelation
from annotate.tests.api.conftest import client_for
from annotate.tests.at_once import ACROSS_CONNECTIONS, at_once
from annotate.tests.relation_helpers import CONFLICTING, NOT_KILLED, seed_claims

pytestmark = ACROSS_CONNECTIONS

ROUNDS = 3


def test_the_same_link_asked_both_ways_at_once_is_made_once(seed_article, reviewer, other_reviewer):
    a, b = seed_claims(seed_article, reviewer, NOT_KILLED, CONFLICTING)
    token_for(reviewer), token_for(other_reviewer)
    clients = [client_for(reviewer), client_for(other_reviewer)]
    for _ in range(ROUNDS):
        ClaimRelation.objects.all().delete()
        answers = at_once(
            [
                lambda c=clients[0]: c.post(
                    "/api/v1/relations/",
                    {"from_claim": a.pk, "to_claim": b.pk, "type": "same_as"},
                    format="json",
                ),
                lambda c=clients[1]: c.post(
                    "/api/v1/relations/",
                    {"from_claim": b.pk, "to_claim": a.pk, "type": "same_as"},
                    format="json",
                ),
            ]
        )
        assert sorted(answer.status_code for answer in answers) == [201, 400]
        refused = next(answer for answer in answers if answer.status_code == 400)
        assert list(refused.json()["error"]["fields"]) == ["to_claim"]
        assert ClaimRelation.objects.count() == 1


def _delete_while_linking(a, b, deleting, linking) -> list:
    return at_once(
        [
            lambda: deleting.delete(f"/api/v1/claims/{a.pk}/"),
            lambda: linking.post(
                "/api/v1/relations/",
                {"from_claim": a.pk, "to_claim": b.pk, "type": "contradicts"},
                format="json",
            ),
        ]
    )


def test_a_link_to_a_claim_deleted_at_the_same_instant_is_made_and_gone_or_refused(
    seed_article, reviewer, other_reviewer
):
    token_for(reviewer), token_for(other_reviewer)
    deleting, linking = client_for(reviewer), client_for(other_reviewer)
    for _ in range(ROUNDS):
        a, b = seed_claims(seed_article, reviewer, NOT_KILLED, CONFLICTING)
        deleted, linked = _delete_while_linking(a, b, deleting, linking)
        assert deleted.status_code == 204
        assert linked.status_code in {201, 400}, linked.content
        if linked.status_code == 400:
            assert list(linked.json()["error"]["fields"]) in (["from_claim"], ["to_claim"])
        assert not ClaimRelation.objects.exists()  # made first and deleted with a, or never
        b.delete()
