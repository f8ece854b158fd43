"""Sending an endpoint's events: in order, at least once, one POST each.

A delivery run (tasks.deliver) takes the endpoint's lease, then reads the owner's feed
after the endpoint's cursor with the feed's own selector (so the access rules are the
feed's), skips the event types the endpoint did not ask for, and posts each event: only
when event k was answered 2xx does the cursor pass it and event k+1 go out. A failure
stops the run and schedules the next one after the retry delay
(CLAIMDESK_WEBHOOK_RETRY_DELAYS); after CLAIMDESK_WEBHOOK_MAX_FAILURES failures in a row
the endpoint is disabled with the reason. Re-enabled, it resumes at its cursor.

One run per endpoint at a time: the lease. Taking it is a single conditional UPDATE
(free, or expired) that succeeds for one worker only; the run then moves the cursor only
while it still holds it. Not a row lock held while posting: on PostgreSQL an open
transaction that has locked a row holds back every reader of the changes feed behind it
(annotate.changes.selectors.settled lists nothing past the oldest open writer), so a
worker waiting ten seconds on a slow receiver would stall everyone's feed. A worker that
dies leaves a lease that expires after LEASE; a run stops taking new events after
RUN_SECONDS, well inside it, and hands over to a fresh run so endpoints take turns.
"""

from __future__ import annotations

import http.client
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotate.changes.models import Change
from annotate.changes.selectors import Position, changes_after
from annotate.webhooks import addresses, signing, tasks
from annotate.webhooks.events import wanted
from annotate.webhooks.models import WebhookDelivery, WebhookEndpoint
from annotate.webhooks.rendering import FreshBodies, owner_request
from annotate.webhooks.selectors import has_unsettled_changes, position_of

LEASE = timedelta(minutes=5)
RUN_SECONDS = 60  # then hand over to a new run (other endpoints' runs queue meanwhile)
BATCH = 100  # changes read per query
EXCERPT = 500  # characters of a response body kept in the log
BUSY_RETRY = 2  # seconds: another worker holds the lease; look again after it
UNSETTLED_RETRY = 1  # seconds: changes committed but not yet listable (see selectors)


@dataclass(frozen=True)
class Answer:
    ok: bool
    status: int | None
    response: str
    error: str
    duration_ms: int


# Sending ------------------------------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to by now."""

    def __init__(self, target: addresses.Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same for TLS: the certificate is verified for the host name (SNI too)."""

    def __init__(self, target: addresses.Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: addresses.Target, body: bytes, headers: dict[str, str]) -> Answer:
    """One POST; never follows a redirect (a 3xx is a failure like any non-2xx)."""
    timeout = settings.CLAIMDESK_WEBHOOK_TIMEOUT
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout)
    started = time.monotonic()
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": "Claimdesk-Webhooks/1",
            },
        )
        response = connection.getresponse()
        excerpt = _text(response.read(EXCERPT * 4))
        ok = 200 <= response.status < 300
        return Answer(ok, response.status, excerpt, "", _since(started))
    except (OSError, http.client.HTTPException) as error:
        return Answer(False, None, "", _describe(error), _since(started))
    finally:
        connection.close()


def _text(raw: bytes) -> str:
    """The start of a receiver's answer as text a database column holds (PostgreSQL
    refuses NUL)."""
    return raw.decode("utf-8", "replace").replace("\x00", "\ufffd")[:EXCERPT]


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _describe(error: Exception) -> str:
    return _text(f"{type(error).__name__}: {error}".encode())


def send(endpoint: WebhookEndpoint, change: Change, body: bytes) -> Answer:
    """Check the URL again (DNS may have changed), sign and post one event."""
    try:
        target = addresses.check(endpoint.url)
    except addresses.Refused as refused:
        return Answer(False, None, "", f"Refused: {refused}", 0)
    signed = signing.headers(secret=endpoint.secret, change_id=change.pk, body=body)
    return post(target, body, signed)


def _log(
    endpoint: WebhookEndpoint, change: Change, answer: Answer, attempt: int, redelivery: bool
) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        change_id=change.pk,
        change_txid=change.txid,
        event_type=change.type,
        attempt=attempt,
        redelivery=redelivery,
        ok=answer.ok,
        status=answer.status,
        response=answer.response,
        error=answer.error,
        duration_ms=answer.duration_ms,
    )


# The run ------------------------------------------------------------------------------


def _take_lease(endpoint_id: int) -> str | None:
    now = timezone.now()
    token = secrets.token_hex(16)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    taken = (
        WebhookEndpoint.objects.filter(free, pk=endpoint_id, active=True)
        # This run will read every change committed so far: a later commit asks anew.
        .update(lease_token=token, lease_until=now + LEASE, wake_pending=False)
    )
    return token if taken else None


def _release(endpoint_id: int, token: str) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id, lease_token=token).update(
        lease_token="", lease_until=None
    )


def _held(endpoint_id: int, token: str):
    """The endpoint while this run still holds its lease and it is active."""
    return WebhookEndpoint.objects.filter(pk=endpoint_id, lease_token=token, active=True)


def retry_delay(failures: int) -> float:
    delays = settings.CLAIMDESK_WEBHOOK_RETRY_DELAYS
    return delays[min(failures, len(delays)) - 1]


def deliver_pending(endpoint_id: int) -> str:
    """One delivery run (see the module docstring); returns how it ended, for the task
    log."""
    token = _take_lease(endpoint_id)
    if token is None:
        if WebhookEndpoint.objects.filter(pk=endpoint_id, active=True).exists():
            tasks.schedule(endpoint_id, after=BUSY_RETRY)
            return "busy"
        return "inactive"
    try:
        return _run(endpoint_id, token)
    finally:
        _release(endpoint_id, token)


def _run(endpoint_id: int, token: str) -> str:
    endpoint = WebhookEndpoint.objects.select_related("owner", "article").get(pk=endpoint_id)
    if endpoint.retry_at is not None and endpoint.retry_at > timezone.now() + timedelta(seconds=1):
        return "waiting for its retry"  # that retry's run is queued already
    bodies = FreshBodies(owner_request(endpoint.owner))
    deadline = time.monotonic() + RUN_SECONDS
    while True:
        after = position_of(endpoint)
        changes = changes_after(endpoint.owner, after=after, article=endpoint.article, limit=BATCH)
        if not changes:
            if has_unsettled_changes(endpoint):
                tasks.schedule(endpoint_id, after=UNSETTLED_RETRY)
                return "waiting for changes to settle"
            return "up to date"
        sent = [change for change in changes if wanted(endpoint.event_types, change.type)]
        for index, change in enumerate(sent):
            if time.monotonic() > deadline:
                tasks.schedule(endpoint_id)
                return "handed over"
            _skip_to(endpoint, changes, change, token)
            body = bodies.body(change, sent[index:])
            outcome = _deliver_one(endpoint, change, body, token)
            if outcome is not None:
                return outcome
        # The rest of the page was not asked for: the cursor passes it.
        if not _move_cursor(endpoint, changes[-1], token):
            return "stopped"


def _skip_to(endpoint: WebhookEndpoint, changes: list[Change], change: Change, token: str) -> None:
    """Pass the events before `change` that the endpoint did not ask for, so that a retry
    starts at `change` (in memory only: written with the next cursor move)."""
    before = changes[changes.index(change) - 1] if changes.index(change) > 0 else None
    if before is not None and Position.of(before) > position_of(endpoint):
        endpoint.cursor_txid, endpoint.cursor_id = before.txid, before.pk


def _move_cursor(endpoint: WebhookEndpoint, change: Change, token: str) -> bool:
    moved = _held(endpoint.pk, token).update(
        cursor_txid=change.txid, cursor_id=change.pk, failures=0, retry_at=None
    )
    endpoint.cursor_txid, endpoint.cursor_id, endpoint.failures = change.txid, change.pk, 0
    return bool(moved)


def _deliver_one(endpoint: WebhookEndpoint, change: Change, body: bytes, token: str) -> str | None:
    """Post one event; None to go on with the next, else why the run ends."""
    answer = send(endpoint, change, body)
    with transaction.atomic():  # one commit for the log and the cursor
        _log(endpoint, change, answer, attempt=endpoint.failures + 1, redelivery=False)
        if answer.ok:
            return None if _move_cursor(endpoint, change, token) else "stopped"
    failures = endpoint.failures + 1
    reason = answer.error or f"HTTP {answer.status}"
    if failures >= settings.CLAIMDESK_WEBHOOK_MAX_FAILURES:
        _held(endpoint.pk, token).update(
            cursor_txid=endpoint.cursor_txid,
            cursor_id=endpoint.cursor_id,
            failures=failures,
            retry_at=None,
            active=False,
            disabled_reason=(
                f"Disabled after {failures} failed attempts in a row to deliver change "
                f"{change.pk}; the last: {reason}"
            )[:500],
            updated_at=timezone.now(),  # its settings changed: a new version for its owner
        )
        return "disabled"
    delay = retry_delay(failures)
    _held(endpoint.pk, token).update(
        # Where it stands: past the events before this one that it did not ask for.
        cursor_txid=endpoint.cursor_txid,
        cursor_id=endpoint.cursor_id,
        failures=failures,
        retry_at=timezone.now() + timedelta(seconds=delay),
    )
    tasks.schedule(endpoint.pk, after=delay)
    return f"failed ({reason}); retry in {delay:g} s"


# Redelivery ---------------------------------------------------------------------------


def redeliver(delivery_id: int) -> str:
    """Send a logged event again, out of the endpoint's order (the owner asked for this one
    event: it has been sent before, or is the one being retried); the cursor and the
    failure count stay as they are. Shown as the owner sees it now: a change they may no
    longer be told of is not sent."""
    original = (
        WebhookDelivery.objects.select_related("endpoint__owner").filter(pk=delivery_id).first()
    )
    if original is None:
        return "the endpoint was deleted meanwhile"
    endpoint = original.endpoint
    before = Position(original.change_txid, original.change_id - 1)
    found = changes_after(endpoint.owner, after=before, limit=1)
    if not found or found[0].pk != original.change_id:
        return "no longer visible to the owner"
    change = found[0]
    answer = send(endpoint, change, FreshBodies(owner_request(endpoint.owner)).body(change))
    attempt = WebhookDelivery.objects.filter(endpoint=endpoint, change_id=change.pk).count() + 1
    _log(endpoint, change, answer, attempt=attempt, redelivery=True)
    return "delivered" if answer.ok else f"failed ({answer.error or answer.status})"
