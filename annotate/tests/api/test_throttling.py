"""API budgets per user: writes and reads apart, counted in the shared cache table so that
every gunicorn worker and web instance spends the same budget."""

from __future__ import annotations

import pickle
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
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"
    # Reads have their own, larger budget, and other users theirs.
    assert client.get(url).status_code == 200


def test_reads_have_their_own_budget(claim, researcher, reviewer, settings):
    settings.CLAIMDESK_API_READ_RATE = "1/minute"

    assert client_for(researcher).get("/api/v1/claims/").status_code == 200
    assert client_for(researcher).get("/api/v1/claims/").status_code == 429
    assert client_for(reviewer).get("/api/v1/claims/").status_code == 200


def stored_history(key: str) -> list[float]:
    """A throttle's request times as the cache table holds them, read with plain SQL (as
    another process would find them), not through this process's cache object."""
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        sql = f"SELECT value FROM {table} WHERE cache_key = %s"  # noqa: S608
        cursor.execute(sql, [cache.make_key(key)])
        (value,) = cursor.fetchone()
    return pickle.loads(b64decode(value))  # noqa: S301 (a row we wrote)


def test_the_write_budget_is_spent_in_the_shared_cache_table(claim, reviewer):
    client = client_for(reviewer)
    for n in range(2):
        client.patch(f"/api/v1/claims/{claim.pk}/", {"attributed_to": f"Try {n}"})
    client.get(f"/api/v1/claims/{claim.pk}/")

    assert len(stored_history(f"throttle_write_{reviewer.pk}")) == 2
    assert len(stored_history(f"throttle_read_{reviewer.pk}")) == 1
