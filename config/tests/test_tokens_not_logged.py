"""API tokens never reach the logs: not Django's (errors log the path, not the headers),
not gunicorn's access log (its format names no request header)."""

from __future__ import annotations

import logging
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from annotate.api.tokens import token_for

pytestmark = pytest.mark.django_db
GUNICORN_CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_requests_with_a_token_log_no_token(reviewer, caplog):
    key = token_for(reviewer).key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}", raise_request_exception=False)
    caplog.set_level(logging.DEBUG)

    client.get("/api/v1/claims/")  # 200
    client.get("/api/v1/claims/999999/")  # 404, logged as a warning
    client.post("/api/v1/claims/", {}, content_type="application/json")  # 400
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("down")):
        client.get("/api/v1/claims/")  # 503, logged as an error

    assert caplog.records, "the requests above should have logged something"
    for record in caplog.records:
        assert key not in record.getMessage()
        assert key not in str(record.__dict__)


def test_gunicorns_access_log_names_no_request_header():
    settings: dict = {}
    exec(GUNICORN_CONF.read_text(), settings)  # noqa: S102 (our own config file)

    assert "}i" not in settings["access_log_format"]  # %({header}i)s would log a header
    assert "%(r)s" in settings["access_log_format"]  # the request line: tokens never go in URLs
