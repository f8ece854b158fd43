"""Tokens for scripts, sessions (with CSRF) for the browser."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotate.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def issue_token(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("issue_token", *args, stdout=out)
    return out.getvalue().strip()


def test_issue_token_prints_a_token_that_authenticates(researcher):
    key = issue_token("researcher")

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/claims/").status_code == 200
    assert issue_token("researcher") == key  # the same token until rotated


def test_issue_token_rotate_revokes_the_old_token(researcher):
    old = issue_token("researcher")

    new = issue_token("researcher", "--rotate")

    assert new != old
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/claims/").status_code == 401


def test_issue_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        issue_token("ghost")


def test_the_token_page_needs_a_login(db):
    response = Client().get("/account/token/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_page_links_to_the_token_page(researcher):
    client = Client()
    client.force_login(researcher)

    assert '<a href="/account/token/">API token</a>' in client.get("/").content.decode()


def test_the_token_page_shows_the_users_token_and_rotates_it_with_csrf(researcher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)

    page = client.get("/account/token/")
    key = Token.objects.get(user=researcher).key
    assert page.status_code == 200
    assert key in page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()

    assert client.post("/account/token/").status_code == 403  # no CSRF token
    rotated = client.post("/account/token/", {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert rotated.status_code == 302
    assert Token.objects.get(user=researcher).key != key


def test_session_writes_need_the_csrf_token(claim, reviewer):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="reviewer1", password=TEST_PASSWORD)
    body = {"link": "https://example.org/z", "title": "Z", "reliability": "F"}

    assert client.get("/api/v1/claims/").status_code == 200
    refused = client.post("/api/v1/sources/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["detail"]

    csrf = Client().get("/accounts/login/").cookies["csrftoken"].value
    client.cookies["csrftoken"] = csrf
    accepted = client.post("/api/v1/sources/", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201
