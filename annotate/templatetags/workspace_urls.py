"""`{% filtered_url %}`: a workspace URL that keeps the filter bar's state.

A filtered view is shareable and survives every click (opening a claim, saving a note,
closing the panel) because each link and form carries the filters. The views put the
filters' query string into the context once, as `filter_query` (annotate.views.filters);
this tag reverses the URL by name, like `{% url %}`, and appends it, so no template
builds a path or a query string by hand.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def filtered_url(context: template.Context, name: str, *args: Any) -> str:
    url = reverse(name, args=args)
    query = context.get("filter_query", "")
    return f"{url}?{query}" if query else url
