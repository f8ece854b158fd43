"""Our own JSON Lines export (annotate.api.exports.json_lines) read back as items.

Every field the export writes is accepted, so an export imports as it is; a field it
never writes is refused by name ("no request silently ignores part of what it was sent").
Of the accepted fields, those the import keeps are the ones a user may write: the text
(quote, context, place), statement, kind, attribution, verdict with its rationale,
citations with their sources, confidence notes, links, and the names of who made each.
The rest are assigned here or derived (`DERIVED`): ids and addresses, timestamps and
versions, the placement, the confidence summary and labels, a source's bookkeeping.
"""

from __future__ import annotations

from typing import Any

from annotate.imports.items import (
    CitationItem,
    ClaimItem,
    ItemError,
    LinkItem,
    NoteItem,
    Target,
    VerdictItem,
)

# What the export writes that an import cannot keep: assigned by this instance or derived.
DERIVED = {
    "claim": {
        "id", "url", "revision", "verdict_at", "created_at", "updated_at", "version",
        "placement", "confidence",
    },
    "span": {"id", "url", "paragraph"},
    "citation": {"id", "url", "claim", "created_at", "updated_at", "version"},
    "source": {
        "id", "url", "reliability_set_by", "reliability_set_at", "created_by", "created_at",
        "updated_at", "version",
    },
    "note": {
        "id", "url", "claim", "likelihood_label", "analytic_confidence_label", "created_at",
        "updated_at", "version",
    },
    "relation": {"id", "url"},
}  # fmt: skip
KEPT = {
    "claim": {
        "article", "span", "statement", "kind", "attributed_to", "verdict", "verdict_rationale",
        "verdict_by", "created_by", "imported_creator", "citations", "notes", "relations",
        "text_start", "text_end",
    },
    "span": {"paragraph_position", "start", "end", "quote", "prefix", "suffix"},
    "citation": {"source", "stance", "excerpt", "credibility", "added_by"},
    "source": {"link", "title", "publisher", "published_on", "archive_link", "reliability"},
    "note": {
        "reviewer", "likelihood", "analytic_confidence", "rationale",
    },
    "relation": {"type", "from_claim", "to_claim", "rationale"},
}  # fmt: skip


class _Reader:
    """Reads one line's object, each error naming the line's index and the field's path."""

    def __init__(self, index: int) -> None:
        self.index = index

    def fail(self, path: str, message: str) -> ItemError:
        return ItemError(self.index, f"{path}: {message}" if path else message)

    def obj(self, value: Any, path: str, kind: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "Must be an object.")
        unknown = sorted(set(value) - KEPT[kind] - DERIVED[kind])
        if unknown:
            where = f"{path}." if path else ""
            raise self.fail(f"{where}{unknown[0]}", "Unknown field; nothing was imported.")
        return value

    def text(self, data: dict, name: str, path: str, *, default: str | None = "") -> str:
        value = data.get(name, default)
        if value is None and default is not None:
            value = default
        if not isinstance(value, str):
            raise self.fail(f"{path}{name}", "Must be text.")
        return value

    def name(self, data: dict, name: str, path: str) -> str | None:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{path}{name}", "Must be a username (text) or null.")
        return value or None

    def whole(self, data: dict, name: str, path: str) -> int | None:
        value = data.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.fail(f"{path}{name}", "Must be a whole number.")
        return value

    def items(self, data: dict, name: str) -> list:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(name, "Must be a list.")
        return value


def claim_item(index: int, data: Any, *, slugs: set[str]) -> tuple[ClaimItem, list[LinkItem]]:
    """One line as a claim, and the links it lists (each link is listed under both of its
    claims; the reader keeps one per id). `slugs`: the article names it may give."""
    read = _Reader(index)
    data = read.obj(data, "", "claim")
    article = data.get("article")
    if article is not None and article not in slugs:
        raise read.fail(
            "article",
            f"Names another article ({str(article)[:100]!r}); import it there, or say it is a "
            "copy of this one with ?from_article=.",
        )
    span = read.obj(data.get("span"), "span", "span")
    if not isinstance(span.get("quote"), str):
        raise read.fail("span.quote", "Must be the quoted text.")
    target = Target(
        quote=span["quote"],
        prefix=read.text(span, "prefix", "span."),
        suffix=read.text(span, "suffix", "span."),
        text_start=read.whole(data, "text_start", ""),
        text_end=read.whole(data, "text_end", ""),
        paragraph_position=read.whole(span, "paragraph_position", "span."),
        start=read.whole(span, "start", "span."),
        end=read.whole(span, "end", "span."),
    )
    verdict = None
    if data.get("verdict"):
        verdict = VerdictItem(
            verdict=read.text(data, "verdict", ""),
            rationale=read.text(data, "verdict_rationale", ""),
            by=read.name(data, "verdict_by", ""),
        )
    elif read.text(data, "verdict_rationale", "").strip():
        raise read.fail(
            "verdict_rationale",
            "A rationale without a verdict (a withdrawn verdict's) cannot be imported.",
        )
    claim = ClaimItem(
        index=index,
        key=_key(data.get("id")),
        target=target,
        statement=read.text(data, "statement", "", default=None),
        kind=read.text(data, "kind", "", default="factual"),
        attributed_to=read.text(data, "attributed_to", ""),
        creator=read.name(data, "imported_creator", "") or read.name(data, "created_by", ""),
        citations=[
            _citation(read, value, f"citations[{n}]")
            for n, value in enumerate(read.items(data, "citations"))
        ],
        notes=[
            _note(read, value, f"notes[{n}]") for n, value in enumerate(read.items(data, "notes"))
        ],
        verdict=verdict,
    )
    links = [
        _link(read, value, f"relations[{n}]")
        for n, value in enumerate(read.items(data, "relations"))
    ]
    return claim, links


def _key(value: Any) -> str | None:
    return None if value is None else str(value)


def _citation(read: _Reader, value: Any, path: str) -> CitationItem:
    data = read.obj(value, path, "citation")
    source = read.obj(data.get("source"), f"{path}.source", "source")
    fields: dict[str, Any] = {
        "url": read.text(source, "link", f"{path}.source.", default=None),
        "title": read.text(source, "title", f"{path}.source."),
        "publisher": read.text(source, "publisher", f"{path}.source."),
        "archive_url": read.text(source, "archive_link", f"{path}.source."),
        "reliability": source.get("reliability"),
    }
    if source.get("published_on") is not None:
        fields["published_on"] = read.text(source, "published_on", f"{path}.source.")
    return CitationItem(
        source=fields,
        stance=data.get("stance"),  # type: ignore[arg-type]  (full_clean checks it)
        credibility=data.get("credibility"),  # type: ignore[arg-type]
        excerpt=read.text(data, "excerpt", f"{path}."),
        added_by=read.name(data, "added_by", f"{path}."),
    )


def _note(read: _Reader, value: Any, path: str) -> NoteItem:
    data = read.obj(value, path, "note")
    return NoteItem(
        reviewer=read.name(data, "reviewer", f"{path}."),
        likelihood=data.get("likelihood"),
        analytic_confidence=data.get("analytic_confidence"),
        rationale=read.text(data, "rationale", f"{path}."),
    )


def _link(read: _Reader, value: Any, path: str) -> LinkItem:
    data = read.obj(value, path, "relation")
    ends = []
    for name in ("from_claim", "to_claim"):
        if data.get(name) is None:
            raise read.fail(f"{path}.{name}", "Must name a claim of this import.")
        ends.append(str(data[name]))
    return LinkItem(
        index=read.index,
        key=_key(data.get("id")),
        from_key=ends[0],
        to_key=ends[1],
        type=read.text(data, "type", f"{path}."),
        rationale=read.text(data, "rationale", f"{path}."),
        creator=None,  # the export does not say who linked them: the importer did
    )
