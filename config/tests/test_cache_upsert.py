"""The shared cache's `set` is one statement (config.cache): the throttles set a counter
on every API request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import config.cache

pytestmark = pytest.mark.django_db


def test_a_set_writes_or_overwrites_in_one_statement(monkeypatch):
    monkeypatch.setattr(config.cache, "CULL_EVERY", 10**9)  # no count for culling meanwhile
    cache.set("budget", 1, timeout=60)
    with CaptureQueriesContext(connection) as queries:
        cache.set("budget", 2, timeout=60)
    cache.set("other", 3, timeout=60)

    # Inside the test's transaction the statement has a savepoint of its own (not in
    # production, where it is a transaction by itself).
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith("INSERT")
    assert cache.get_many(["budget", "other"]) == {"budget": 2, "other": 3}


def test_an_expired_entry_is_replaced_and_add_still_refuses_a_live_one():
    cache.set("slot", "old", timeout=-1)  # expired at once
    assert cache.get("slot") is None
    assert cache.add("slot", "new", timeout=60)
    assert not cache.add("slot", "newer", timeout=60)
    assert cache.get("slot") == "new"
