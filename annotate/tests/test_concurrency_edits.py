"""Two reviewers edit the same claim at the same instant from the same version (If-Match
with one ETag), each in a request of its own on its own database connection: exactly one
wins, the other is told 412, and the winner's edit is what is stored (no lost update)."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.response import Response
from rest_framework.test import APIClient

from annotate.api.tokens import token_for
from annotate.models import Claim
from annotate.tests.at_once import ACROSS_CONNECTIONS, at_once
from annotate.tests.factories import make_claim

pytestmark = ACROSS_CONNECTIONS

ROUNDS = 5


def edit_at_once(claim: Claim, etag: str, editors: dict[str, APIClient]) -> dict[str, int]:
    def edit(name: str, client: APIClient) -> Callable[[], Response]:
        return lambda: client.patch(
            f"/api/v1/claims/{claim.pk}/",
            {"statement": f"Edited by {name}"},
            format="json",
            HTTP_IF_MATCH=etag,
        )

    answers = at_once([edit(name, client) for name, client in editors.items()])
    return {name: answer.status_code for name, answer in zip(editors, answers, strict=True)}


def test_of_two_concurrent_edits_from_one_version_exactly_one_wins(
    seed_article, reviewer, lead, settings
):
    settings.CLAIMDESK_API_WRITE_RATE = "10000/minute"
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(
        paragraph=paragraph,
        quote="the strike specifically targeted the negotiation team",
        user=reviewer,
    )
    editors = {}
    for user in (reviewer, lead):  # the author and a lead may both edit it
        editors[user.username] = APIClient()
        editors[user.username].credentials(HTTP_AUTHORIZATION=f"Token {token_for(user).key}")

    for _ in range(ROUNDS):
        etag = editors["reviewer1"].get(f"/api/v1/claims/{claim.pk}/")["ETag"]

        statuses = edit_at_once(claim, etag, editors)

        assert sorted(statuses.values()) == [200, 412], statuses
        winner = next(name for name, code in statuses.items() if code == 200)
        claim.refresh_from_db()
        assert claim.statement == f"Edited by {winner}"
