"""The two hot loops of the workspace, rendered in Python rather than in the template.

With a thousand claims the report has a few thousand highlight segments and the panel
a thousand rows; Django's template engine spends most of the page's time there. These
functions build the same markup with every piece of text and every attribute value
passed through `escape`, so user content is still never HTML.

Their links follow annotate/urls.py's `claim` and `claims_here` patterns from the
workspace's reversed URL (`base`) rather than calling `reverse` per link: at about 45 µs a
call, that would cost a large page a tenth of a second. A test checks they agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotate.highlights import Highlight


def paragraph_html(
    highlights: Iterable[Highlight], *, position: int, base: str, query: str
) -> SafeString:
    """A paragraph's text with a <mark> per highlighted segment. `base` is the
    workspace's URL; a mark opens its claim, or the chooser when several share it."""
    suffix = f"?{query}" if query else ""
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
            href = f"{base}at/{position}/{h.start}/{suffix}"
            count = f' data-count="{h.count}"'
        else:
            href = f"{base}claims/{h.claims[0].id}/{suffix}"
            count = ""
        parts.append(
            f'<mark class="hl hl-{escape(h.state)}{dimmed}{review}" tabindex="-1"'
            f' title="{h.count} claim{plural} · {escape(h.state_label)}{review_title}"'
            f"{count}{head}"
            f' hx-get="{escape(href)}" hx-trigger="open">{escape(h.text)}</mark>'
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
