"""Guessing passwords: after five failures for one username from one address, even the
right password is refused with 429 until the window passes; others are unaffected."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from annotate.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def login(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_the_username_from_that_address(reviewer):
    client = Client()
    for _ in range(5):
        assert login(client, "reviewer1", "wrong").status_code == 200

    response = login(client, "reviewer1", TEST_PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_fewer_failures_do_not_lock(reviewer):
    client = Client()
    for _ in range(4):
        login(client, "reviewer1", "wrong")

    assert login(client, "reviewer1", TEST_PASSWORD).status_code == 302


def test_the_lock_is_per_username_and_address(reviewer, other_reviewer):
    client = Client()
    for _ in range(5):
        login(client, "reviewer1", "wrong")

    assert login(Client(), "reviewer2", TEST_PASSWORD).status_code == 302
    assert login(Client(), "reviewer1", TEST_PASSWORD, address="198.51.100.9").status_code == 302
