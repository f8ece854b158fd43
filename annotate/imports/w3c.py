"""W3C Web Annotations (ours, Hypothesis's, any annotator's) read as items.

Accepted: an AnnotationCollection with its first page embedded (`first.items`), an
AnnotationPage, a list of annotations, or one annotation. A claim's target is the
article (`source`, or the target itself as an IRI is refused: it says no text) with a
TextQuoteSelector and/or a TextPositionSelector, alone, in a list, or inside another
selector's `refinedBy`. The other selector types the model defines (RangeSelector,
XPathSelector, CssSelector, FragmentSelector, DataPositionSelector, SvgSelector) locate
the same text in a page's markup, which the canonical text does not have; beside a
text selector they add nothing, and on their own the item is refused. An unknown
selector type is refused.

Bodies: a `describing` TextualBody (or `commenting`, or one without purpose, as
Hypothesis writes its text) is the statement, the quote itself when there is none;
`classifying` the kind, `identifying` who the report attributes it to, `assessing` a
verdict (a Verdict value) or a confidence note (with `likelihood`); a SpecificResource
with purpose `linking` a citation. Other purposes (tags, replies, ...) have no place on a
claim and are refused. An annotation motivated by `linking` whose targets are two
annotations of the same import is a link between claims (our export's `from_claim`,
`to_claim` and `type` tag).

Properties describing the annotation as a record (id, created, modified, generator,
rights, ...) are not kept: this instance assigns them.
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
from annotate.models import ClaimKind, Verdict

TEXT_SELECTORS = {"TextQuoteSelector", "TextPositionSelector"}
OTHER_SELECTORS = {
    "RangeSelector",
    "XPathSelector",
    "CssSelector",
    "FragmentSelector",
    "DataPositionSelector",
    "SvgSelector",
}
STATEMENT_PURPOSES = {None, "describing", "commenting"}


def annotations_of(data: Any) -> list[Any]:
    """The annotations a W3C document holds, in order."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ItemError(0, "Send an AnnotationCollection, an AnnotationPage or a list.")
    kind = data.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if first is None:
            return []
        if not isinstance(first, dict):
            raise ItemError(0, "first: Embed the collection's first page (`first.items`).")
        if first.get("next"):
            raise ItemError(0, "first.next: Send every annotation in one page.")
        return _page_items(first)
    if "AnnotationPage" in kinds:
        return _page_items(data)
    return [data]


def _page_items(page: dict) -> list[Any]:
    items = page.get("items", [])
    if not isinstance(items, list):
        raise ItemError(0, "items: Must be a list of annotations.")
    return items


def _one_or_many(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _agent_name(value: Any) -> str | None:
    """A creator's username: our `nickname`, else `name`; an IRI is kept as it is (it
    names an account elsewhere, which no local username is)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        for key in ("nickname", "name", "id"):
            if isinstance(value.get(key), str) and value[key]:
                return value[key]
    return None


def _iri(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def annotation_item(index: int, data: Any, *, sources: set[str]) -> ClaimItem | LinkItem:
    """One annotation as a claim or a link. `sources`: the IRIs that name this article.

    Read strictly where it matters to us (selectors, bodies, targets) and leniently
    elsewhere: annotators' exports break the model's MUSTs in harmless ways (Hypothesis's
    RangeSelector has a shape of its own). The W3C suite is not run here: at about 20 ms
    an annotation it would cost a 1,500-item import half a minute
    (annotate.linked_data.w3c_suite; the tests run it over what they import)."""
    return _annotation_item(index, data, sources=sources)


def _annotation_item(index: int, data: Any, *, sources: set[str]) -> ClaimItem | LinkItem:
    if not isinstance(data, dict):
        raise ItemError(index, "Must be an annotation (an object).")
    kinds = _one_or_many(data.get("type"))
    if "Annotation" not in kinds and "oa:Annotation" not in kinds:
        raise ItemError(index, "type: Must be Annotation.")
    motivations = set(_one_or_many(data.get("motivation")))
    if "linking" in motivations:
        return _link(index, data)
    if motivations & {"replying", "bookmarking", "editing", "questioning", "moderating"}:
        raise ItemError(index, f"motivation: {sorted(motivations)} has no place on a claim.")
    targets = _one_or_many(data.get("target"))
    if len(targets) != 1:
        raise ItemError(index, "target: Must be one passage of the article.")
    target = _target(index, targets[0], sources)
    claim = ClaimItem(
        index=index,
        key=_iri(data),
        target=target,
        statement="",
        kind=ClaimKind.FACTUAL,
        attributed_to="",
        creator=_agent_name(data.get("imported_creator")) or _agent_name(data.get("creator")),
    )
    _read_bodies(index, _one_or_many(data.get("body")), claim)
    if not claim.statement.strip():
        claim.statement = target.quote or ""  # a bare highlight claims what it quotes
    return claim


def _target(index: int, target: Any, sources: set[str]) -> Target:
    if not isinstance(target, dict):
        raise ItemError(index, "target: Must name the article and select text in it.")
    source = _iri(target.get("source"))
    if source not in sources:
        shown = (source or "")[:200]
        raise ItemError(index, f"target.source: Names another document ({shown!r}).")
    found: dict[str, dict] = {}
    _selectors(index, target.get("selector"), found, nested=False)
    if not found:
        raise ItemError(
            index, "target.selector: Needs a TextQuoteSelector or a TextPositionSelector."
        )
    quote = found.get("TextQuoteSelector", {})
    position = found.get("TextPositionSelector", {})
    for name, value in (
        ("exact", quote.get("exact")),
        ("prefix", quote.get("prefix", "")),
        ("suffix", quote.get("suffix", "")),
    ):
        if value is not None and not isinstance(value, str):
            raise ItemError(index, f"target.selector.{name}: Must be text.")
    if quote and not quote.get("exact"):
        raise ItemError(index, "target.selector.exact: Must be the quoted text.")
    start, end = position.get("start"), position.get("end")
    if position:
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ItemError(index, f"target.selector.{name}: Must be a whole number ≥ 0.")
        if end <= start:
            raise ItemError(index, "target.selector.end: Must be greater than start.")
    return Target(
        quote=quote.get("exact"),
        prefix=quote.get("prefix") or "",
        suffix=quote.get("suffix") or "",
        text_start=start,
        text_end=end,
    )


def _selectors(index: int, value: Any, found: dict[str, dict], *, nested: bool) -> None:
    """Collect the text selectors of `value` (one, a list, and their refinements). A
    position inside another selector counts within that selector's part of the page, not
    in the canonical text, so only a quote is taken from there."""
    for selector in _one_or_many(value):
        if not isinstance(selector, dict):
            raise ItemError(index, "target.selector: Must be an object.")
        kind = selector.get("type")
        if kind in TEXT_SELECTORS:
            if kind in found:
                raise ItemError(index, f"target.selector: More than one {kind}.")
            if not (nested and kind == "TextPositionSelector"):
                found[kind] = selector
        elif kind not in OTHER_SELECTORS:
            shown = str(kind)[:100]
            raise ItemError(index, f"target.selector.type: Unknown selector type {shown!r}.")
        if "refinedBy" in selector:
            inner_nested = nested or kind not in TEXT_SELECTORS
            _selectors(index, selector["refinedBy"], found, nested=inner_nested)


def _text(index: int, body: dict, name: str = "value") -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ItemError(index, f"body.{name}: Must be text.")
    return value


def _read_bodies(index: int, bodies: list[Any], claim: ClaimItem) -> None:
    statements = []
    for body in bodies:
        if isinstance(body, str):  # an IRI: a resource we cannot read
            raise ItemError(index, "body: An external body cannot be imported.")
        if not isinstance(body, dict):
            raise ItemError(index, "body: Must be an object.")
        purpose = body.get("purpose")
        kind = body.get("type")
        if kind == "SpecificResource" and purpose == "linking":
            claim.citations.append(_citation(index, body))
        elif kind not in {"TextualBody", None}:
            raise ItemError(index, f"body.type: {str(kind)[:100]!r} cannot be imported.")
        elif purpose in STATEMENT_PURPOSES:
            statements.append(_text(index, body))
        elif purpose == "classifying":
            claim.kind = _text(index, body)
        elif purpose == "identifying":
            claim.attributed_to = _text(index, body)
        elif purpose == "assessing" and "likelihood" in body:
            claim.notes.append(
                NoteItem(
                    reviewer=_agent_name(body.get("creator")),
                    likelihood=body.get("likelihood"),
                    analytic_confidence=body.get("analytic_confidence"),
                    # Our export writes the label as the value of a note without rationale.
                    rationale=""
                    if _text(index, body) == body.get("likelihood_label")
                    else _text(index, body),
                )
            )
        elif purpose == "assessing" and body.get("value") in Verdict.values:
            if claim.verdict is not None:
                raise ItemError(index, "body: More than one verdict.")
            claim.verdict = VerdictItem(
                verdict=body["value"],
                rationale=_text(index, body, "description"),
                by=_agent_name(body.get("creator")),
            )
        else:
            shown = str(purpose)[:100]
            raise ItemError(index, f"body.purpose: {shown!r} has no place on a claim.")
    claim.statement = "\n\n".join(text for text in statements if text.strip())


def _citation(index: int, body: dict) -> CitationItem:
    document = body.get("source")
    if not isinstance(document, dict) or not isinstance(document.get("id"), str):
        raise ItemError(index, "body.source: A citation names its document (`source.id`).")
    fields: dict[str, Any] = {
        "url": document["id"],
        "title": _text(index, document, "title"),
        "publisher": _text(index, document, "publisher"),
        "archive_url": _text(index, document, "archived"),
        "reliability": body.get("reliability"),
    }
    if document.get("published"):
        fields["published_on"] = _text(index, document, "published")
    excerpt = ""
    selector = body.get("selector")
    if selector is not None:
        if not isinstance(selector, dict) or selector.get("type") != "TextQuoteSelector":
            raise ItemError(index, "body.selector: An excerpt is a TextQuoteSelector.")
        excerpt = _text(index, selector, "exact")
    return CitationItem(
        source=fields,
        stance=body.get("stance"),  # type: ignore[arg-type]  (full_clean checks it)
        credibility=body.get("credibility"),  # type: ignore[arg-type]
        excerpt=excerpt,
        added_by=_agent_name(body.get("creator")),
    )


def _link(index: int, data: dict) -> LinkItem:
    """Our link annotation: `from_claim`/`to_claim` say which way it reads; failing
    those, the two targets in order."""
    targets = [_iri(t) for t in _one_or_many(data.get("target"))]
    ends = [_iri(data.get("from_claim")), _iri(data.get("to_claim"))]
    if None in ends:
        ends = targets
    if len(ends) != 2 or None in ends:
        raise ItemError(index, "target: A link names two annotations of this import.")
    kind, rationale = None, ""
    for body in _one_or_many(data.get("body")):
        if not isinstance(body, dict):
            raise ItemError(index, "body: Must be an object.")
        if body.get("purpose") == "tagging":
            kind = _text(index, body)
        elif body.get("purpose") in {"describing", None, "commenting"}:
            rationale = _text(index, body)
        else:
            raise ItemError(index, f"body.purpose: {str(body.get('purpose'))[:100]!r}.")
    if kind is None:
        raise ItemError(index, "body: A link's type is its `tagging` body.")
    return LinkItem(
        index=index,
        key=_iri(data),
        from_key=str(ends[0]),
        to_key=str(ends[1]),
        type=kind,
        rationale=rationale,
        creator=_agent_name(data.get("creator")),
    )
