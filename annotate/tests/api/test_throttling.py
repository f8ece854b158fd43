"""API budgets per user: writes and reads apart, counted in the shared cache table so that
every gunicorn worker and web instance spends the same budget."""

from __future__ import annotations

import math
import pickle
import time
from base64 import b64decode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

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
    assert 0 < int(refused["Retry-After"]) <= 90  # within one and a half periods
    assert refused.json()["error"]["code"] == "throttled"
    # Reads have their own, larger budget, and other users theirs.
    assert client.get(url).status_code == 200


def test_reads_have_their_own_budget(claim, researcher, reviewer, settings):
    settings.CLAIMDESK_API_READ_RATE = "1/minute"

    assert client_for(researcher).get("/api/v1/claims/").status_code == 200
    assert client_for(researcher).get("/api/v1/claims/").status_code == 429
    assert client_for(reviewer).get("/api/v1/claims/").status_code == 200


def stored_counts(prefix: str) -> list[int]:
    """A throttle's counters as the cache table holds them, read with plain SQL (as another
    process would find them), not through this process's cache object."""
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        sql = f"SELECT value FROM {table} WHERE cache_key LIKE %s"  # noqa: S608
        cursor.execute(sql, [cache.make_key(prefix) + ":%"])
        rows = cursor.fetchall()
    return [pickle.loads(b64decode(value)) for (value,) in rows]  # noqa: S301 (rows we wrote)


def test_the_write_budget_is_spent_in_the_shared_cache_table(claim, reviewer):
    client = client_for(reviewer)
    for n in range(2):
        client.patch(f"/api/v1/claims/{claim.pk}/", {"attributed_to": f"Try {n}"})
    client.get(f"/api/v1/claims/{claim.pk}/")

    # One counter per period; two when the minute turned between the requests.
    assert sum(stored_counts(f"throttle_write_{reviewer.pk}")) == 2
    assert sum(stored_counts(f"throttle_read_{reviewer.pk}")) == 1


def test_the_last_period_still_counts_so_a_budget_does_not_double_at_its_edge(
    claim, reviewer, settings
):
    """Requests of the last period still weigh on this one, in proportion to how much of
    it the sliding day still covers: a plain fixed window would let a full budget through
    again as soon as the day turned."""
    settings.CLAIMDESK_API_WRITE_RATE = "3/day"
    now = time.time() / 86400
    period, into = int(now), now - int(now)
    spent = math.floor(3 / (1 - into)) + 1  # enough still to weigh more than the budget
    cache.set(f"throttle_write_{reviewer.pk}:{period - 1}", spent, timeout=2 * 86400)

    refused = client_for(reviewer).patch(f"/api/v1/claims/{claim.pk}/", {"attributed_to": "x"})

    assert refused.status_code == 429
    # One more fits once the last period's count weighs no more than 2.
    expected = math.ceil((1 - 2 / spent - into) * 86400)
    assert abs(int(refused["Retry-After"]) - expected) <= 2
