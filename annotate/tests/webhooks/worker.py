"""Driving the webhook worker from a test: django-tasks-db's own worker, in batch mode
(every task that is due, then return), in the test's thread."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db.models import Max
from django_tasks_db.management.commands.db_worker import Worker

from annotate import access
from annotate.changes.models import Change
from bench.webhook_receiver import Received, Receiver


def run_worker() -> None:
    """What `manage.py db_worker --batch` does, without installing its signal handlers
    in the test process."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def work_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Run the worker until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        run_worker()
        if condition():
            return
        assert time.monotonic() < deadline, "the worker never got there"
        time.sleep(0.05)  # polling the condition, not waiting a fixed time


def deliver_until(
    receiver: Receiver, condition: Callable[[list[Received]], bool], timeout: float = 30
) -> None:
    """Run the worker until the receiver has what `condition` wants; retries become due
    as their (test-sized) delays pass."""
    deadline = time.monotonic() + timeout
    while True:
        run_worker()
        if receiver.wait_for(condition, timeout=0.05):
            return
        assert time.monotonic() < deadline, f"not delivered: {len(receiver.requests)} so far"


def register(client, user, url: str, **fields) -> dict:
    """Register a webhook through the API, once the feed lists everything so far (it
    starts where the feed is: what is not listed yet would still come); its JSON."""
    settled_feed(client, user)
    response = client.post("/api/v1/webhooks/", {"link": url, **fields}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def settled_feed(client, user, after: str = "", timeout: float = 30) -> tuple[list[dict], str]:
    """The user's feed after the cursor once it lists every change committed so far that
    they may be told of. On PostgreSQL a change is listed only once every older
    transaction has ended, on the whole server (annotate.changes.selectors), so a test
    that reads right after writing waits for that."""
    from annotate.tests.api.test_changes_feed import read_all

    newest = (Change.objects.filter(access.changes_visible_q(user)).aggregate(newest=Max("id")))[
        "newest"
    ]
    deadline = time.monotonic() + timeout
    while True:
        events, cursor = read_all(client, after)
        if newest is None or any(event["id"] == newest for event in events):
            return events, cursor
        assert time.monotonic() < deadline, "the feed did not settle"
        time.sleep(0.05)  # polling the condition above, not waiting a fixed time
