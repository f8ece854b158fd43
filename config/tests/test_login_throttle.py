"""Guessing passwords: after five failures for one username from one address, even the
right password is refused with 429 until the window passes; others are unaffected. The
count is shared by every process (the cache table) and exact under concurrency, holds on
every login path (ours, the admin's, a library's) and for every spelling that logs in as the
same user."""

from __future__ import annotations

import threading

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth import aauthenticate, authenticate
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.urls import include, path
from rest_framework.authtoken.views import ObtainAuthToken

from annotate.tests.factories import TEST_PASSWORD, UserFactory
from config.login import LOCKED_OUT

pytestmark = pytest.mark.django_db

# A library's login view, as a project might add it: DRF's token-for-password endpoint.
urlpatterns = [
    path("api-token-auth/", ObtainAuthToken.as_view()),
    path("", include("config.urls")),
]


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def login(
    client: Client,
    username: str,
    password: str,
    address: str = "203.0.113.7",
    url: str = "/accounts/login/",
    **headers: str,
):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def assert_locked_out(response, client: Client) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_from_that_address(reviewer):
    client = Client()
    for _ in range(5):
        assert login(client, "reviewer1", "wrong").status_code == 200

    response = login(client, "reviewer1", TEST_PASSWORD)

    assert_locked_out(response, client)
    assert b"correct username and password" not in response.content  # not "wrong password"


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


def test_the_admin_login_is_guarded_alike():
    UserFactory(username="editor", is_staff=True)
    client = Client()

    statuses = [
        login(client, "editor", "wrong", url="/admin/login/").status_code for _ in range(12)
    ]

    assert statuses == [200] * 5 + [429] * 7
    assert_locked_out(login(client, "editor", TEST_PASSWORD, url="/admin/login/"), client)


def test_failures_on_one_login_page_count_on_every_other():
    UserFactory(username="editor", is_staff=True)
    for _ in range(5):
        login(Client(), "editor", "wrong", url="/admin/login/")

    client = Client()
    assert_locked_out(login(client, "editor", TEST_PASSWORD), client)


@pytest.mark.parametrize(
    "look_alike",
    [
        "\uff56ictim",  # fullwidth v
        "\U0001d42f\U0001d422ctim",  # mathematical bold v, i
        "VICTIM",
    ],
)
def test_look_alike_spellings_share_the_real_usernames_budget(look_alike):
    UserFactory(username="victim")
    for _ in range(5):
        login(Client(), "victim", "wrong")

    client = Client()
    assert login(client, look_alike, "wrong").status_code == 429
    assert_locked_out(login(client, look_alike, TEST_PASSWORD), client)


def test_failures_under_a_look_alike_lock_the_real_username():
    UserFactory(username="victim")
    for _ in range(5):
        login(Client(), "\uff56ictim", "wrong")

    client = Client()
    assert_locked_out(login(client, "victim", TEST_PASSWORD), client)


@pytest.mark.urls(__name__)
def test_a_library_login_view_is_guarded_and_answers_429_in_its_own_format():
    UserFactory(username="scripted")
    url = "/api-token-auth/"
    for _ in range(5):
        assert login(Client(), "scripted", "wrong", url=url).status_code == 400

    response = login(Client(), "scripted", TEST_PASSWORD, url=url)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.json() == {"detail": LOCKED_OUT}


@pytest.mark.urls(__name__)
def test_a_library_login_view_gives_the_slot_back_on_the_right_password():
    UserFactory(username="scripted")
    for _ in range(4):
        login(Client(), "scripted", "wrong", url="/api-token-auth/")
    for _ in range(3):  # successful logins never eat into the budget
        assert login(Client(), "scripted", TEST_PASSWORD, url="/api-token-auth/").status_code == 200

    assert login(Client(), "scripted", TEST_PASSWORD).status_code == 302


def test_authenticate_itself_is_guarded_without_a_request_and_when_async():
    UserFactory(username="victim")
    for _ in range(5):
        assert authenticate(username="victim", password="wrong") is None

    assert authenticate(username="victim", password=TEST_PASSWORD) is None
    assert async_to_sync(aauthenticate)(username="victim", password=TEST_PASSWORD) is None


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
