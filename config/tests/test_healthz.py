from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_up(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_it_rejects_post(client):
    assert client.post("/healthz/").status_code == 405
