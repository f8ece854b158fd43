"""An event's body: exactly what GET /api/v1/changes/ shows the endpoint's owner for it,
rendered by the feed's own renderer when it is sent.

The feed renders through the API's serializers, which need a request for absolute URLs
and for who is reading. Outside a request the worker builds one here, for the owner, at
the site's address (CLAIMDESK_SITE_URL), so every URL in a delivery is the one the API
would have given them.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.request import Request

from annotate.api.renderers import ORJSONRenderer
from annotate.changes.models import Change
from annotate.changes.rendering import render
from annotate.changes.selectors import feed_origin


class _SiteRequest(WSGIRequest):
    """A request made up here, not received: its host is the site's own (what
    ALLOWED_HOSTS guards against, a forged Host header, cannot happen)."""

    def get_host(self) -> str:
        return urlsplit(settings.CLAIMDESK_SITE_URL).netloc


def owner_request(owner) -> Request:
    """A GET of the feed by `owner`, at the site's address."""
    site = urlsplit(settings.CLAIMDESK_SITE_URL)
    django_request = RequestFactory().get(
        reverse("api-changes"), secure=site.scheme == "https", HTTP_HOST=site.netloc
    )
    django_request.__class__ = _SiteRequest
    django_request.user = owner
    request = Request(django_request)
    request.user = owner
    return request


class FreshBodies:
    """Event bodies as the owner sees them when each is sent, rendered a few at a time.

    Rendering is most of a delivery's cost, and the feed's renderer reads each kind of
    resource once per call whatever the number of events: so the events about to be sent
    are rendered together (AHEAD at most), and a body is used only while at most FRESH
    seconds old, else rendered again from that event on. A fast receiver gets batches; a
    slow one, each event rendered just before it goes."""

    AHEAD = 25
    FRESH = 1.0  # seconds

    def __init__(self, request: Request) -> None:
        self.request = request
        self.bodies: dict[int, bytes] = {}
        self.rendered_at = 0.0

    def body(self, change: Change, upcoming: list[Change] | None = None) -> bytes:
        """The body of `change`; `upcoming` are the events to be sent next, from it on."""
        stale = time.monotonic() - self.rendered_at > self.FRESH
        if stale or change.pk not in self.bodies:
            chunk = (upcoming or [change])[: self.AHEAD]
            events = render(chunk, self.request, feed_origin())
            self.bodies = {c.pk: _json(event) for c, event in zip(chunk, events, strict=True)}
            self.rendered_at = time.monotonic()
        return self.bodies[change.pk]


def _json(event: dict) -> bytes:
    """Serialised as the feed serialises it."""
    return ORJSONRenderer().render(event)
