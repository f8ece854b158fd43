"""Guessing passwords: after five failures for one username from one address, even the
right password is refused with 429 until the window passes; others are unaffected. The
count is shared by every process (the cache table) and exact under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from annotate.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def login(
    client: Client, username: str, password: str, address: str = "203.0.113.7", **headers: str
):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
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


def failure_rows() -> int:
    """Failed-login slots as rows of the shared cache table: what every process sees."""
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        sql = f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s"  # noqa: S608
        cursor.execute(sql, ["%login-failures:%"])
        return cursor.fetchone()[0]


def test_failures_are_counted_in_the_shared_cache_table(reviewer):
    for _ in range(2):
        login(Client(), "reviewer1", "wrong")

    assert failure_rows() == 2
    assert login(Client(), "reviewer1", TEST_PASSWORD).status_code == 302
    assert failure_rows() == 2  # the right password gave its slot back


def test_behind_a_proxy_each_forwarded_client_has_its_own_budget(reviewer, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    for _ in range(5):
        login(Client(), "reviewer1", "wrong", address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert (
        login(
            Client(), "reviewer1", TEST_PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1"
        ).status_code
        == 429
    )
    assert (
        login(
            Client(), "reviewer1", TEST_PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2"
        ).status_code
        == 302
    )


@pytest.mark.django_db(transaction=True)  # real commits, seen by every thread's connection
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers on one table: PostgreSQL"
)
def test_concurrent_guesses_get_no_more_password_checks_than_the_limit():
    UserFactory(username="target")
    guesses = 8
    barrier = threading.Barrier(guesses)
    statuses: list[int] = []

    def guess() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(login(Client(), "target", "wrong").status_code)
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200] * 5 + [429] * 3
