"""Writing webhook endpoints: their owner registers, edits, disables, re-enables and
deletes them, and asks for a redelivery. The worker's bookkeeping (cursor, failures,
disabling) is written by annotate.webhooks.delivery."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from annotate import access
from annotate.changes.selectors import latest_position
from annotate.versioning import lock_current
from annotate.webhooks import addresses, signing, tasks
from annotate.webhooks.events import ALL, pattern_error
from annotate.webhooks.models import WebhookDelivery, WebhookEndpoint
from annotate.writing import acted_by, require
from articles.models import Article

OWNER_FIELDS = {"url", "secret", "event_types", "article", "active"}


def _check_url(url: str, request_host: str | None) -> None:
    try:
        addresses.check(url, request_host=request_host)
    except addresses.Refused as refused:
        raise ValidationError({"url": str(refused)}) from None


def _check_secret(secret: str) -> None:
    if not signing.is_secret(secret):
        raise ValidationError(
            {"secret": "Must be whsec_ followed by 24 to 64 bytes in base64 (or leave it out)."}
        )


def _check_event_types(patterns: Any) -> None:
    if not isinstance(patterns, list) or not patterns:
        raise ValidationError({"event_types": 'A non-empty list of patterns; ["*"] for all.'})
    errors = [
        f"Item {index}: {error}" for index, p in enumerate(patterns) if (error := pattern_error(p))
    ]
    if errors:
        raise ValidationError({"event_types": errors})


def _save(endpoint: WebhookEndpoint, user: AbstractBaseUser, fields: list[str] | None) -> None:
    endpoint.full_clean()
    acted_by(endpoint, user)
    if fields is None:
        endpoint.save()
    else:
        # Only what the owner changed: the worker moves the delivery state meanwhile.
        endpoint.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def webhook_create(
    *,
    user: AbstractBaseUser,
    url: str,
    secret: str | None = None,
    event_types: list[str] | None = None,
    article: Article | None = None,
    active: bool = True,
    request_host: str | None = None,
) -> WebhookEndpoint:
    """A new endpoint starts at its owner's feed as it is now: it is sent what happens
    from then on (the feed itself serves what happened before)."""
    require(access.can_register_webhooks(user), "Your account may not register webhooks.")
    _check_url(url, request_host)
    secret = signing.new_secret() if secret is None else secret
    _check_secret(secret)
    event_types = [ALL] if event_types is None else event_types
    _check_event_types(event_types)
    position = latest_position(user)
    endpoint = WebhookEndpoint(
        owner=user,
        url=url,
        secret=secret,
        event_types=event_types,
        article=article,
        active=active,
        cursor_txid=position.txid,
        cursor_id=position.id,
    )
    _save(endpoint, user, None)
    # A first run: changes committed before now but not yet listable on PostgreSQL
    # (annotate.changes.selectors.settled) come after its cursor, and may wake nobody.
    tasks.schedule(endpoint.pk)
    return endpoint


@transaction.atomic
def webhook_update(
    *,
    endpoint: WebhookEndpoint,
    user: AbstractBaseUser,
    expected_version: str | frozenset[str] | None = None,
    request_host: str | None = None,
    **fields: Any,
) -> WebhookEndpoint:
    """Change an endpoint's settings. Re-enabling one (active: true) clears its failures
    and resumes delivery at its cursor, where it stopped."""
    require(access.can_manage_webhook(user, endpoint), "Only its owner changes a webhook.")
    endpoint = lock_current(endpoint, expected_version)
    unknown = set(fields) - OWNER_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    if "url" in fields:
        _check_url(fields["url"], request_host)
    if "secret" in fields:
        fields["secret"] = fields["secret"] or signing.new_secret()
        _check_secret(fields["secret"])
    if "event_types" in fields:
        _check_event_types(fields["event_types"])
    resumed = fields.get("active") is True and not endpoint.active
    for name, value in fields.items():
        setattr(endpoint, name, value)
    changed = list(fields)
    if resumed:
        endpoint.failures, endpoint.retry_at, endpoint.disabled_reason = 0, None, ""
        changed += ["failures", "retry_at", "disabled_reason"]
        tasks.schedule(endpoint.pk)  # in this transaction: runs once the change is seen
    _save(endpoint, user, changed)
    return endpoint


@transaction.atomic
def webhook_delete(
    *,
    endpoint: WebhookEndpoint,
    user: AbstractBaseUser,
    expected_version: str | frozenset[str] | None = None,
) -> None:
    require(access.can_manage_webhook(user, endpoint), "Only its owner deletes a webhook.")
    endpoint = lock_current(endpoint, expected_version)
    acted_by(endpoint, user).delete()


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery, user: AbstractBaseUser) -> None:
    """Queue the logged event to be sent again (tasks.redeliver): the task's row is written
    in this transaction, so a worker sees it once this commits."""
    require(
        access.can_manage_webhook(user, delivery.endpoint), "Only its owner redelivers a webhook."
    )
    tasks.redeliver.enqueue(delivery.pk)
