"""Waking the worker: when a transaction that recorded changes commits, each active
endpoint gets a delivery run (tasks.deliver), unless one is already asked for and has not
started yet (`wake_pending`: that run will read these changes too).

The changes feed sends `changes_recorded` inside the writer's transaction, once per
record call; the wake-up is registered with on_commit once per transaction, so a rolled
back write wakes nobody and a write of a hundred changes enqueues once. Every active
endpoint is woken, whatever it filters: its run decides what to send, which keeps the
rule in one place at the price of a run that finds nothing to send.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction

from annotate.webhooks import tasks
from annotate.webhooks.models import WebhookEndpoint
from annotate.webhooks.selectors import endpoints_to_wake


def wake_endpoints() -> None:
    ids = list(endpoints_to_wake().values_list("pk", flat=True))
    if not ids:
        return  # the common case: one read, no transaction
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk__in=ids).update(wake_pending=True)
        for endpoint_id in ids:
            tasks.schedule(endpoint_id)


def on_changes_recorded(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        callback is wake_endpoints for _, callback, _ in connection.run_on_commit
    ):
        return  # this transaction wakes them already
    # Robust: the write has committed whatever happens here; a failure to queue is
    # logged, and the next commit (or the owner's re-enabling) wakes the endpoints again.
    transaction.on_commit(wake_endpoints, using=using, robust=True)
