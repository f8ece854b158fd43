from __future__ import annotations

import pytest

from annotate.tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_writes_beyond_the_budget_answer_429_with_retry_after(claim, reviewer, settings):
    settings.CLAIMDESK_API_WRITE_RATE = "2/minute"
    client = client_for(reviewer)
    url = f"/api/v1/claims/{claim.pk}/"

    statuses = [client.patch(url, {"attributed_to": f"Try {n}"}).status_code for n in range(3)]

    assert statuses == [200, 200, 429]
    refused = client.patch(url, {"attributed_to": "Again"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"
    # Reads have their own, larger budget, and other users theirs.
    assert client.get(url).status_code == 200


def test_reads_have_their_own_budget(claim, researcher, reviewer, settings):
    settings.CLAIMDESK_API_READ_RATE = "1/minute"

    assert client_for(researcher).get("/api/v1/claims/").status_code == 200
    assert client_for(researcher).get("/api/v1/claims/").status_code == 429
    assert client_for(reviewer).get("/api/v1/claims/").status_code == 200
