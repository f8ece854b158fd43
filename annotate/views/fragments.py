"""The two hot loops of the workspace, rendered in Python rather than in the template.

With a thousand claims the report has a few thousand highlight segments and the panel
a thousand rows; Django's template engine spends most of the page's time there. These
functions build the same markup with every piece of text and every attribute value
passed through `escape`, so user content is still never HTML.

The rows' links follow annotate/urls.py's `claim` pattern from the workspace's reversed
URL (`base`) rather than calling `reverse` per link: at about 45 µs a call, that would cost
a large page a tenth of a second. The marks carry no URL (selection.js builds it from the
same patterns when one is opened). A test checks they agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotate.highlights import Highlight


def paragraph_html(highlights: Iterable[Highlight]) -> SafeString:
    """A paragraph's text with a <mark> per highlighted segment. A mark names its claim
    (`data-claim`), or where it starts when several claims share it (`data-count`,
    `data-start`: the chooser); selection.js makes the request when it is opened, from the
    report's `data-base` and `data-query`. Thousands of marks each carrying their own URL
    and htmx trigger weighed on the page's size and on htmx's start-up."""
    parts = []
    for h in highlights:
        if not h.claims:
            parts.append(escape(h.text))
            continue
        dimmed = " dimmed" if h.dimmed else ""
        # A re-anchored placement a lead has not checked yet (fuzzy, ambiguous, carried over).
        review = " needs-review" if h.needs_review else ""
        review_title = " · placement needs review" if review else ""
        # Where a claim's span begins: j/k step from claim to claim over these.
        head = " data-head" if h.head else ""
        plural = "s" if h.count > 1 else ""
        if h.count > 1:
            which = f' data-count="{h.count}" data-start="{h.start}"'
        else:
            which = f' data-claim="{h.claims[0].id}"'
        parts.append(
            f'<mark class="hl hl-{escape(h.state)}{dimmed}{review}" tabindex="-1"'
            f' title="{h.count} claim{plural} · {escape(h.state_label)}{review_title}"'
            f"{which}{head}>{escape(h.text)}</mark>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)


def claim_rows_html(claims: Iterable, *, base: str, query: str) -> SafeString:
    """The panel's list of claims in reading order, one link each."""
    suffix = f"?{query}" if query else ""
    rows = []
    for claim in claims:
        href = escape(f"{base}claims/{claim.pk}/{suffix}")
        statement = escape(_shorten(claim.statement, 120))
        rows.append(
            f'<li><a href="{href}"><span class="dot hl-{escape(claim.state)}"'
            f' title="{escape(claim.state_label)}"></span>'
            f'<span class="text">{statement}</span>'
            f'<span class="where">¶{claim.position} · {escape(claim.state_label)}</span></a></li>'
        )
    return mark_safe("".join(rows))  # noqa: S308 (every piece escaped above)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
