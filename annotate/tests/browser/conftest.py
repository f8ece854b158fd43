"""Playwright driving Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test's thread, which makes Django think
it is in async code; the tests only touch the ORM between browser steps, never
concurrently, so the async-safety guard is lifted while the browser runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.tests.role_groups import restore_role_groups

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db) -> None:
    """Put back the role groups that the migrations made (annotate.tests.role_groups).

    Browser tests are transactional: the flush after each one empties every table,
    groups included (post_migrate only brings back permissions). serialized_rollback
    cannot restore them here, because under Playwright's event loop the test sees a
    different connection object than the one the contents were serialized on.
    """
    restore_role_groups()


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator:
    if not CHROMIUM.exists():
        if os.environ.get("CLAIMDESK_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required but missing at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _quick_live_polls(settings) -> None:
    # Tests of live updates wait for the next poll; a second instead of three keeps the
    # same behaviour and spends less of the run waiting.
    settings.CLAIMDESK_LIVE_POLL_SECONDS = 1


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def log_in(page, username: str, password: str) -> None:
    """Log in through the form; stays on the page that sent us to it, if any."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
