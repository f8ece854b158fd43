"""A request body to items: which format, within which limits, as which items.

Limits (settings): at most CLAIMDESK_IMPORT_MAX_BYTES of body and
CLAIMDESK_IMPORT_MAX_ITEMS annotations per request, each a 413 naming the limit (the
import is one transaction: a bound on it is a bound on how long it holds its locks).
JSON nests at most annotate.api.parsers.MAX_JSON_DEPTH levels, as everywhere in the API.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from django.conf import settings

from annotate.api.parsers import MAX_JSON_DEPTH, _nesting_exceeds
from annotate.imports import jsonl, w3c
from annotate.imports.items import ClaimItem, Item, ItemError, LinkItem

JSON_LINES_TYPES = {"application/x-ndjson", "application/jsonl", "application/x-jsonlines"}


class TooMany(Exception):
    """More items than one request may hold."""

    def __init__(self, count: int) -> None:
        limit = settings.CLAIMDESK_IMPORT_MAX_ITEMS
        super().__init__(
            f"The import holds {count:,} items; the limit is {limit:,} per request "
            "(CLAIMDESK_IMPORT_MAX_ITEMS): split it."
        )


@dataclass(frozen=True)
class Names:
    """How the file may name the article: our slugs (JSON Lines) and IRIs (W3C)."""

    slugs: set[str]
    iris: set[str]


def _load(text: str, index: int) -> object:
    if _nesting_exceeds(text, MAX_JSON_DEPTH):
        raise ItemError(index, f"Nested deeper than {MAX_JSON_DEPTH} levels.")
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ItemError(index, f"Invalid JSON: {error}.") from None


def _check_count(count: int) -> None:
    if count > settings.CLAIMDESK_IMPORT_MAX_ITEMS:
        raise TooMany(count)


def items_from(body: str, media_type: str, names: Names) -> list[Item]:
    """Parse the body by its media type, or by its shape when sent as plain JSON: lines of
    claims are our JSON Lines, anything else W3C. Raises ItemError for the first item
    that cannot be read (index 0 when the whole body cannot)."""
    if media_type in JSON_LINES_TYPES:
        return _json_lines(body, names)
    try:
        data = orjson.loads(body) if not _nesting_exceeds(body, MAX_JSON_DEPTH) else None
    except orjson.JSONDecodeError:
        data = None
        if len(body.strip().splitlines()) > 1:  # several documents: JSON Lines
            return _json_lines(body, names)
    if data is None:
        _load(body, 0)  # raises the reason
    if _looks_like_ours(data):
        return _json_lines_items(data if isinstance(data, list) else [data], names)
    annotations = w3c.annotations_of(data)
    _check_count(len(annotations))
    return [w3c.annotation_item(i, a, sources=names.iris) for i, a in enumerate(annotations)]


def _looks_like_ours(data: object) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and "statement" in first and "target" not in first


def _json_lines(body: str, names: Names) -> list[Item]:
    lines = [line for line in body.splitlines() if line.strip()]
    _check_count(len(lines))
    return _json_lines_items([_load(line, i) for i, line in enumerate(lines)], names)


def _json_lines_items(rows: list[object], names: Names) -> list[Item]:
    """Claims in order, then each link once (listed under both its claims), at the index
    of the first claim that lists it."""
    _check_count(len(rows))
    claims: list[Item] = []
    links: dict[str, LinkItem] = {}
    for index, row in enumerate(rows):
        claim, listed = jsonl.claim_item(index, row, slugs=names.slugs)
        claims.append(claim)
        for link in listed:
            links.setdefault(link.key or f"{link.from_key}-{link.type}-{link.to_key}", link)
    return claims + list(links.values())


def claim_items(items: list[Item]) -> list[ClaimItem]:
    return [item for item in items if isinstance(item, ClaimItem)]
