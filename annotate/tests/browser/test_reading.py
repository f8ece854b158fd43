from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotate.tests.browser.conftest import log_in
from annotate.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_logs_in_and_reads_the_seed_report(page, seed_article, reviewer, artifacts):
    page.goto(f"/articles/{seed_article.slug}/")
    expect(page).to_have_url(re.compile(rf"/accounts/login/\?next=/articles/{seed_article.slug}/$"))

    log_in(page, reviewer.username, TEST_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text(seed_article.title)
    paragraphs = page.locator("article.report p.paragraph")
    expect(paragraphs).to_have_count(15)
    expect(paragraphs.nth(3)).to_contain_text("“The [Israel Defense Forces] and")
    page.screenshot(path=artifacts / "workspace-reading.png", full_page=True)
