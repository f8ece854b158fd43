"""The Content-Security-Policy holds while the workspace is used: no inline script or
style anywhere on the way (the page, htmx's swaps, the selection script, the admin and
Swagger UI), so the browser reports no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotate.tests.browser.conftest import log_in
from annotate.tests.browser.test_workspace import PHRASE, add_claim_from_selection, open_workspace
from annotate.tests.browser.workspace_steps import drag_select
from annotate.tests.factories import TEST_PASSWORD, make_claim

pytestmark = pytest.mark.django_db(transaction=True)

# Registered before any page script runs, in every document the page opens.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_using_the_workspace_violates_no_content_security_policy(page, seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=2)
    make_claim(paragraph=paragraph, quote=paragraph.text.split(".")[0], user=reviewer)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)

    response = page.goto(f"/articles/{seed_article.slug}/")
    open_workspace(page, seed_article, reviewer)
    page.locator("#claim-list a, .claim-list a").first.click()  # open a claim
    expect(page.locator("#panel .statement")).to_be_visible()
    drag_select(page, "p6", PHRASE)  # and add one
    add_claim_from_selection(page, "The strike targeted the negotiators")

    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert violations(page) == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_swagger_ui_and_the_admin_violate_no_content_security_policy(page, lead):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    page.goto("/admin/")
    log_in(page, lead.username, TEST_PASSWORD)
    page.goto("/admin/")
    assert violations(page) == []
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui")).to_be_visible()
    assert violations(page) == []
    assert [text for text in console if "Content Security Policy" in text] == []
