"""Helpers for the workspace's view tests: a CSRF-enforcing client and URLs."""

from __future__ import annotations

import re

from django.test import Client


def csrf_client(user) -> Client:
    """A logged-in client that checks CSRF like a browser's session would."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_post(client: Client, url: str, data: dict, *, htmx: bool = True, page: str = "/"):
    client.get(page)  # sets the CSRF cookie, as opening the workspace does
    token = client.cookies["csrftoken"].value
    headers = {"X-CSRFToken": token}
    if htmx:
        headers["HX-Request"] = "true"
    return client.post(url, data, headers=headers)


def workspace_url(article) -> str:
    return f"/articles/{article.slug}/"


def claim_url(article, claim) -> str:
    return f"/articles/{article.slug}/claims/{claim.pk}/"


def paragraph(article, position: int):
    return article.revisions.get().paragraphs.get(position=position)


def poll_url(page: str) -> str:
    """The live-update poller's URL in a workspace page, as htmx would request it."""
    return re.search(r'id="live" hidden hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
