"""Requests sent at one instant, each from a thread of its own on its own database
connection, as concurrent clients are: for tests of what the row locks decide."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from rest_framework.response import Response

# The marks of a test module whose requests run at once.
ACROSS_CONNECTIONS = [
    pytest.mark.django_db(transaction=True),  # real commits, seen across threads
    # SQLite's in-memory test database shares one cache between connections, whose table
    # locks fail at once instead of waiting (a file database waits, see settings).
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL"
    ),
    pytest.mark.usefixtures("role_groups"),  # a transactional test's flush emptied them
]


def at_once(requests: list[Callable[[], Response]]) -> list[Response]:
    """Run each request in its own thread, all released together; answers in list order."""
    barrier = threading.Barrier(len(requests))
    answers: list[Response | None] = [None] * len(requests)

    def run(index: int, request: Callable[[], Response]) -> None:
        try:
            barrier.wait(timeout=10)
            answers[index] = request()
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(answer is not None for answer in answers), "a request did not finish"
    return answers  # type: ignore[return-value]
