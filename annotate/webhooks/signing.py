"""Signatures per the Standard Webhooks specification, with its reference library.

A receiver verifies a delivery with `standardwebhooks.Webhook(secret).verify(body,
headers)`: `webhook-id` is the event's stable id (the same on every retry and redelivery,
so a receiver can drop repeats), `webhook-timestamp` the moment of sending, and
`webhook-signature` an HMAC-SHA256 of id, timestamp and body under the endpoint's secret.
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
SECRET_BYTES = 32  # the specification asks for 24 to 64


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def is_secret(text: str) -> bool:
    """Whether `text` is a secret in the specification's format: whsec_ and base64 of 24
    to 64 bytes."""
    if not text.startswith(SECRET_PREFIX):
        return False
    try:
        key = base64.b64decode(text[len(SECRET_PREFIX) :], validate=True)
    except ValueError:
        return False
    return 24 <= len(key) <= 64


def message_id(change_id: int) -> str:
    return f"msg_change_{change_id}"


def headers(*, secret: str, change_id: int, body: bytes) -> dict[str, str]:
    now = datetime.now(UTC)
    msg_id = message_id(change_id)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, now, body.decode()),
    }
