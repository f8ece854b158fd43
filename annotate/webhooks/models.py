"""Webhook endpoints and the log of every attempt to deliver to them (annotate.webhooks)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

# What history leaves out: the secret (history is readable by more people than the
# owner) and the worker's bookkeeping.
# fmt: off
DELIVERY_STATE = [
    "secret", "cursor_txid", "cursor_id", "failures", "retry_at", "disabled_reason",
    "lease_token", "lease_until", "wake_pending",
]
# fmt: on


class WebhookEndpoint(models.Model):
    """Where one user wants their changes feed posted, and how far delivery has got.

    The owner is the reader: an endpoint receives exactly what its owner's feed shows
    (annotate.changes), rendered as the owner may see it when each event is sent.
    `cursor_txid`/`cursor_id` is the feed position (annotate.changes.selectors.Position)
    after the last event delivered or skipped; delivery goes on from there, one event at a
    time, so an event is never sent before the one ahead of it succeeded.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=100)  # whsec_<base64>, Standard Webhooks' format
    # `resource.action` patterns (`claim.*`, `*.deleted`, `claim.updated`); ["*"] is all.
    event_types = models.JSONField(default=list)
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Delivery state, written by the worker (annotate.webhooks.delivery) with UPDATEs that
    # history does not record: bookkeeping, not the owner's edits.
    cursor_txid = models.BigIntegerField(default=0)
    cursor_id = models.BigIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)  # consecutive, reset by a success
    retry_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    # A worker delivering to it holds the lease until `lease_until` (see delivery.py).
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # A commit with changes asked for a delivery run that has not started yet.
    wake_pending = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=DELIVERY_STATE)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["active"], name="webhook_active_idx", condition=Q(active=True))
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.owner})"


class WebhookDelivery(models.Model):
    """One attempt to post one event to one endpoint, successful or not."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    change_id = models.BigIntegerField()
    change_txid = models.BigIntegerField()  # with change_id, the event's feed position
    event_type = models.CharField(max_length=64)
    attempt = models.PositiveIntegerField()  # 1 for the first try of this event
    redelivery = models.BooleanField(default=False)  # asked for by the owner
    ok = models.BooleanField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # the HTTP status
    response = models.CharField(max_length=600, blank=True)  # an excerpt of the body
    error = models.CharField(max_length=600, blank=True)  # why no answer was had
    duration_ms = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["endpoint", "-id"], name="webhook_delivery_log_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.change_id} → {self.status or self.error}"
