"""The token page shows a live credential: no browser or shared cache may keep a copy."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_token_page_is_never_stored(researcher):
    client = Client()
    client.force_login(researcher)

    response = client.get("/account/token/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
