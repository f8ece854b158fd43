"""While the database is down or restarting, every request answers 503 with a JSON body
and Retry-After, quickly, instead of a 500 page or a hang. (The real restart, under load
against gunicorn and PostgreSQL, is .ci/load-and-faults.)"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from annotate.api.tokens import token_for

pytestmark = pytest.mark.django_db


def database_down():
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused: is the server running?")

    return mock.patch.object(connections["default"], "cursor", refuse)


def test_the_api_answers_503_in_json_while_the_database_is_down(reviewer):
    client = Client(HTTP_AUTHORIZATION=f"Token {token_for(reviewer).key}")

    with database_down():
        response = client.get("/api/v1/claims/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "error": {
            "status": 503,
            "code": "unavailable",
            "detail": "The database is unavailable for a moment; retry.",
        }
    }


def test_a_write_answers_503_in_json_while_the_database_is_down(reviewer):
    client = Client(HTTP_AUTHORIZATION=f"Token {token_for(reviewer).key}")

    with database_down():
        response = client.post("/api/v1/sources/", {"claim": 1}, content_type="application/json")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"


def test_a_workspace_page_answers_503_in_json_while_the_database_is_down(reviewer):
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)

    with database_down():
        response = client.get("/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "unavailable"


def test_other_errors_under_the_api_stay_json_500s(reviewer):
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)

    with mock.patch("annotate.api.views.ClaimViewSet.list", side_effect=RuntimeError("bug")):
        response = client.get("/api/v1/claims/")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
