"""Which requests our workspace page makes when it opens, found by opening it in Chromium.

doccano's list is fixed (its frontend's source names them); ours is observed rather than
written down, so that a workspace that starts loading its claims after the page (as issue 13
allows) is measured with those requests, not without them. Static files (scripts, styles,
fonts, images) are left out on both sides: a returning browser has them cached.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
DATA_TYPES = {"document", "xhr", "fetch", "eventsource", "websocket", "other"}


def discover(base: str, page: str, cookies: dict[str, str]) -> list[str] | None:
    """The paths (with query) requested on load after the page itself, in order, up to the
    network falling idle; None when Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    seen: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context()
        context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
        tab = context.new_page()
        tab.on(
            "request",
            lambda r: seen.append(r.url) if r.resource_type in DATA_TYPES else None,
        )
        tab.goto(base + page, wait_until="networkidle")
        browser.close()
    paths = []
    for url in seen:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/static/"):
            continue
        paths.append(path)
    assert paths, page
    assert paths[0] == page, (page, paths)
    return paths[1:]
