"""An event's body: exactly what GET /api/v1/changes/ shows the endpoint's owner for it,
rendered by the feed's own renderer when it is sent.

The feed renders through the API's serializers, which need a request for absolute URLs
and for who is reading. Outside a request the worker builds one here, for the owner, at
the site's address (CLAIMDESK_SITE_URL), so every URL in a delivery is the one the API
would have given them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.request import Request

from annotate.api.renderers import ORJSONRenderer
from annotate.changes.models import Change
from annotate.changes.rendering import render


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


def event_body(change: Change, request: Request) -> bytes:
    """The event as JSON, serialised as the feed serialises it."""
    (event,) = render([change], request)
    return ORJSONRenderer().render(event)
