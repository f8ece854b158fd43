"""Browser steps the workspace tests share: real mouse drags over text, and reading
the paragraph a phrase is in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import expect

from annotate.tests.browser.conftest import log_in
from annotate.tests.factories import TEST_PASSWORD

# Viewport coordinates of a phrase's first and last characters inside a paragraph,
# measured on the rendered text (whatever highlights split it into).
_PHRASE_BOX = """
([id, phrase]) => {
  const p = document.getElementById(id);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const at = (u16) => {
    for (const [node, offset] of nodes) {
      if (u16 < offset + node.data.length) return [node, u16 - offset];
    }
  };
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error("phrase not in paragraph: " + phrase);
  const box = (u16, length) => {
    const [node, offset] = at(u16);
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + length);
    const rects = range.getClientRects();
    return rects[rects.length - 1];
  };
  const first = box(start, 1);
  const lastLength = phrase.codePointAt(phrase.length - 2) > 0xffff ? 2 : 1;
  const last = box(start + phrase.length - lastLength, lastLength);
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2};
}
"""


def drag_select(page, paragraph_id: str, phrase: str) -> None:
    """Select a phrase as a person does: press before it, drag, release after it."""
    page.locator(f"#{paragraph_id}").scroll_into_view_if_needed()
    box = page.evaluate(_PHRASE_BOX, [paragraph_id, phrase])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def csrf_token(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


# Several people at once, and the claim panel's everyday steps.


@contextmanager
def another_page(browser, live_server) -> Iterator:
    """A page in a browser context of its own (its own cookies): a second person."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_workspace(page, article, user) -> None:
    page.goto(f"/articles/{article.slug}/")
    log_in(page, user.username, TEST_PASSWORD)


def open_claim(page, paragraph_id: str) -> None:
    """Click the (single) highlight in a paragraph and wait for its claim's panel."""
    page.locator(f"#{paragraph_id} mark.hl").click()
    expect(page.locator("#panel .statement")).to_be_visible()


def record_note(page, likelihood: str, rationale: str, confidence: str = "Moderate") -> None:
    """Record my confidence note through the panel's form (`likelihood` and the analytic
    `confidence`: their labels)."""
    panel = page.locator("#panel")
    panel.get_by_label(likelihood, exact=True).check()
    panel.locator(".analytic-confidence").get_by_label(confidence, exact=True).check()
    panel.get_by_label("Why (my rationale)").fill(rationale)
    panel.get_by_role("button", name="Save my note").click()
    expect(panel.get_by_role("button", name="Update my note")).to_be_visible()


def serious_violations(results) -> list[str]:
    """An axe run's serious and critical violations, each where it is."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
