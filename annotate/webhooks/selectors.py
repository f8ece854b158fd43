"""Reading webhook endpoints, their delivery logs, and what an endpoint still has to send."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from annotate import access
from annotate.changes.models import Change
from annotate.changes.selectors import Position
from annotate.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_for(user) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(access.webhooks_managed_q(user)).select_related("article")


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint)


def position_of(endpoint: WebhookEndpoint) -> Position:
    return Position(endpoint.cursor_txid, endpoint.cursor_id)


def endpoints_to_wake() -> QuerySet[WebhookEndpoint]:
    """Active endpoints not waiting for a retry, with no delivery run asked for yet: a
    commit with changes asks each of them for one (annotate.webhooks.triggering)."""
    due = Q(retry_at__isnull=True) | Q(retry_at__lte=timezone.now())
    return WebhookEndpoint.objects.filter(due, active=True, wake_pending=False)


def has_unsettled_changes(endpoint: WebhookEndpoint) -> bool:
    """Whether the owner's feed has committed changes after the endpoint's cursor that it
    cannot list yet, because an older transaction is still open (PostgreSQL: see
    annotate.changes.selectors.settled). Delivery looks again shortly when so: the open
    transaction may never record a change of its own to wake it."""
    after = position_of(endpoint)
    changes = Change.objects.filter(access.changes_visible_q(endpoint.owner)).filter(
        Q(txid__gt=after.txid) | Q(txid=after.txid, id__gt=after.id)
    )
    if endpoint.article_id is not None:
        changes = changes.filter(article_id=endpoint.article_id)
    return changes.exists()
