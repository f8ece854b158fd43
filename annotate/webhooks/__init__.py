"""Webhooks: a reader's changes feed, posted to a URL of theirs as it happens.

An endpoint (models.WebhookEndpoint) belongs to one user, who is its reader: it is sent
the rows of the changes feed (annotate.changes) that its owner may be told of, read with
the feed's selector and rendered with the feed's renderer as the owner sees them when
each is sent (rendering.py), so the access rules, independent review's included, are the
feed's, and a delivery's body is exactly that event on GET /api/v1/changes/.

- Triggering (triggering.py): the feed signals each recording; once the writer's
  transaction commits, every active endpoint gets a delivery task (tasks.py, django-tasks
  with its database backend), unless one is queued and not started yet.
- Delivery (delivery.py): at least once and in order per endpoint, one POST per event,
  signed per Standard Webhooks (signing.py); retried with backoff, disabled after a number
  of failures in a row; each attempt logged (models.WebhookDelivery). One run per
  endpoint at a time, by a lease (why not a row lock: delivery.py).
- Where a webhook may point (addresses.py): http(s) only, never the app itself, and no
  private, loopback, link-local or reserved address unless CLAIMDESK_WEBHOOK_ALLOW_PRIVATE;
  checked at registration and before every delivery, and delivery connects to the address
  it checked (DNS rebinding).
- Writes of endpoints go through services.py; who may do what is annotate.access's.
"""
