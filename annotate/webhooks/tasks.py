"""The worker's tasks (django-tasks, database backend; run by `manage.py db_worker`).

A task names an endpoint or a logged delivery, never an event: what to send is read when
the task runs, from the endpoint's cursor, so a task that runs late, twice, or after
another one has already sent everything is harmless.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task()
def deliver(endpoint_id: int) -> str:
    """Send the endpoint's pending events, in order, from its cursor."""
    from annotate.webhooks import delivery

    return delivery.deliver_pending(endpoint_id)


@task()
def redeliver(delivery_id: int) -> str:
    """Send a logged delivery's event again, as its owner sees it now."""
    from annotate.webhooks import delivery

    return delivery.redeliver(delivery_id)


def schedule(endpoint_id: int, *, after: float = 0) -> None:
    """A delivery run for the endpoint, `after` seconds from now (at once for 0)."""
    if after > 0:
        deliver.using(run_after=timezone.now() + timedelta(seconds=after)).enqueue(endpoint_id)
    else:
        deliver.enqueue(endpoint_id)
