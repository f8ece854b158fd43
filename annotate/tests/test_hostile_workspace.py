"""Hostile text through the workspace's forms (htmx POSTs, CSRF enforced): each text field
either refuses it with 422 naming the field and nothing written, or stores it exactly;
then the workspace, the claim panel and the edit forms show it only as text."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from annotate import services
from annotate.models import Citation, Claim, ClaimRelation, ConfidenceNote, Source
from annotate.sources import normalise_url
from annotate.tests.factories import make_claim
from annotate.tests.hostile_text import (
    LONE_SURROGATE_BYTES,
    MARKUP_URL,
    STORED,
    Door,
    assert_inert,
    expected_refused,
    fields_written_through,
    inspect_html,
    model_field,
    payloads_for,
)
from annotate.tests.workspace_helpers import (
    claim_url,
    csrf_client,
    csrf_post,
    paragraph,
    workspace_url,
)

SOURCE = {"title": "Evidence", "publisher": "", "archive_url": "", "excerpt": "",
          "stance": "supports", "reliability": "B", "credibility": "3"}  # fmt: skip
_urls = itertools.count()


@dataclass(frozen=True)
class Form:
    """How the workspace writes one field: who posts what where, and where it lands."""

    poster: str  # a fixture: "reviewer" (the claim's author), "other_reviewer" or "lead"
    path: str  # after the claim's URL, or "citations/" for a new citation
    data: Callable[[str], dict]
    error_id: str  # the id of the field's error message in the re-rendered form
    stored: Callable[[Claim], str | None]
    edit_path: str | None = None  # a form that shows the stored value for editing


def _claim_data(field: str) -> Callable[[str], dict]:
    return lambda value: {"statement": "A statement", "kind": "factual", "attributed_to": "",
                          field: value}  # fmt: skip


def _newest_citation(claim: Claim, field: str) -> str | None:
    citation = Citation.objects.filter(claim=claim).select_related("source").order_by("-id")
    newest = citation.first()
    if newest is None:
        return None
    return getattr(newest if field == "excerpt" else newest.source, field)


def _citation_form(field: str) -> Form:
    """A citation of a new source, each at a URL of its own (a recorded URL would cite the
    recorded source, whose fields stand)."""

    def data(value: str) -> dict:
        return {**SOURCE, "url": f"https://example.org/e{next(_urls)}", field: value}

    return Form(
        "reviewer", "citations/", data, f"citation_{field}_error",
        lambda claim: _newest_citation(claim, field),
    )  # fmt: skip


def _as_stored(name: str, payload: str) -> str:
    """A source's URL is stored normalised (annotate.sources); anything else exactly."""
    return normalise_url(payload) if name == "annotate.Source.url" else payload


def _other_note(claim: Claim) -> str | None:
    note = ConfidenceNote.objects.filter(claim=claim).exclude(reviewer=claim.created_by).first()
    return note.rationale if note else None


def _link_data(value: str) -> dict:
    """A link from the test's claim to a new claim each time (one link per pair and type)."""
    claim = Claim.objects.order_by("id").first()
    other = services.claim_create(span=claim.span, statement="Another", user=claim.created_by)
    return {"type": "corroborates", "to_claim": other.pk, "rationale": value}


def _newest_link(claim: Claim) -> str | None:
    link = ClaimRelation.objects.filter(from_claim=claim).order_by("-id").first()
    return link.rationale if link else None


FORMS = {
    "annotate.Claim.statement": Form(
        "reviewer", "edit/", _claim_data("statement"), "claim_statement_error",
        lambda claim: Claim.objects.get(pk=claim.pk).statement, edit_path="edit/",
    ),
    "annotate.Claim.attributed_to": Form(
        "reviewer", "edit/", _claim_data("attributed_to"), "claim_attributed_to_error",
        lambda claim: Claim.objects.get(pk=claim.pk).attributed_to, edit_path="edit/",
    ),
    "annotate.Claim.verdict_rationale": Form(
        "lead", "verdict/", lambda value: {"verdict": "mixed", "rationale": value},
        "verdict_rationale_error", lambda claim: Claim.objects.get(pk=claim.pk).verdict_rationale,
    ),
    "annotate.Source.url": _citation_form("url"),
    "annotate.Source.title": _citation_form("title"),
    "annotate.Source.publisher": _citation_form("publisher"),
    "annotate.Source.archive_url": _citation_form("archive_url"),
    "annotate.Citation.excerpt": _citation_form("excerpt"),
    "annotate.ConfidenceNote.rationale": Form(
        "other_reviewer", "note/",
        lambda value: {"likelihood": "3", "analytic_confidence": "moderate", "rationale": value},
        "note_rationale_error", _other_note,
    ),
    "annotate.ClaimRelation.rationale": Form(
        "other_reviewer", "links/", _link_data, "link_rationale_error", _newest_link,
    ),
}  # fmt: skip


@pytest.fixture
def claim(seed_article, reviewer):
    p = paragraph(seed_article, 2)
    return make_claim(paragraph=p, quote=p.text.split(".")[0], user=reviewer)


def test_every_field_the_workspace_writes_has_a_form_here():
    assert sorted(FORMS) == fields_written_through(Door.WORKSPACE)


WORKSPACE_FIELDS = fields_written_through(Door.WORKSPACE)


@pytest.mark.parametrize("name", WORKSPACE_FIELDS, ids=lambda n: n.split(".", 1)[1])
def test_hostile_text_is_refused_naming_the_field_or_stored_exactly_and_shown_inert(
    request, seed_article, claim, lead, name
):
    """Every payload in turn (one test per field: each test makes four users)."""
    form = FORMS[name]
    poster = csrf_client(request.getfixturevalue(form.poster))
    reader = csrf_client(lead)  # sees everyone's notes, whatever independent review hides
    for key, payload in payloads_for(model_field(name)).items():
        before = form.stored(claim)

        response = csrf_post(poster, claim_url(seed_article, claim) + form.path, form.data(payload))

        html = response.content.decode()
        if expected_refused(model_field(name), payload):
            assert (response.status_code, form.stored(claim)) == (422, before), key
            assert f'id="{form.error_id}"' in html, key
            assert_inert(html)
            continue
        stored = _as_stored(name, payload)
        assert (response.status_code, form.stored(claim)) == (200, stored), key
        # The whole page: the report, the claim list and the panel with its history.
        assert_inert(reader.get(claim_url(seed_article, claim)).content.decode(), stored)
        if form.edit_path:
            editor = claim_url(seed_article, claim) + form.edit_path
            assert_inert(poster.get(editor).content.decode(), stored)


def _hostile_source(reviewer, url: str = MARKUP_URL) -> Source:
    return Source.objects.create(
        url=url, title=STORED["attribute_breakout"], publisher=STORED["script"],
        archive_url=MARKUP_URL, reliability="C", created_by=reviewer,
        reliability_set_by=reviewer,
    )  # fmt: skip


def test_a_citation_edit_form_shows_a_hostile_citation_inert(seed_article, claim, reviewer):
    source = _hostile_source(reviewer)
    citation = Citation.objects.create(
        claim=claim, source=source, added_by=reviewer, stance="refutes", credibility=3,
        excerpt=STORED["single_quote_breakout"],
    )  # fmt: skip

    response = csrf_client(reviewer).get(
        f"{workspace_url(seed_article)}citations/{citation.pk}/edit/"
    )

    assert response.status_code == 200
    assert_inert(response.content.decode(), source.title, source.publisher, citation.excerpt)


def test_the_source_search_shows_hostile_sources_and_queries_inert(seed_article, reviewer):
    source = _hostile_source(reviewer)
    client = csrf_client(reviewer)
    search = f"{workspace_url(seed_article)}sources/search/"

    found = client.get(search, {"source_query": "example.org"}).content.decode()
    assert_inert(found, source.title, source.publisher, source.url)
    for payload in STORED.values():
        response = client.get(search, {"source_query": payload})
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_a_source_link_is_the_stored_address_exactly_never_a_script(seed_article, claim, reviewer):
    source = _hostile_source(reviewer)
    Citation.objects.create(
        claim=claim, source=source, added_by=reviewer, stance="supports", credibility=2
    )

    page = csrf_client(reviewer).get(claim_url(seed_article, claim)).content.decode()

    links = [attrs for tag, attrs in inspect_html(page).tags if attrs.get("class") == "title"]
    assert [(link["href"], link["rel"]) for link in links] == [
        (MARKUP_URL, "noopener noreferrer nofollow")
    ]


@pytest.mark.parametrize(
    "name", [n for n in FORMS if not n.endswith("url")], ids=lambda n: n.split(".", 1)[1]
)
def test_bytes_that_are_not_utf8_arrive_as_replacement_characters(
    request, seed_article, claim, name
):
    """A browser cannot send a lone surrogate (it sends U+FFFD); a raw client's invalid
    bytes are decoded the same way, so what is stored is valid text."""
    form = FORMS[name]
    poster = csrf_client(request.getfixturevalue(form.poster))
    poster.get(workspace_url(seed_article))
    body = urlencode(form.data("a-SURROGATE-b")).replace("SURROGATE", LONE_SURROGATE_BYTES.decode())

    response = poster.post(
        claim_url(seed_article, claim) + form.path, body,
        content_type="application/x-www-form-urlencoded",
        headers={"X-CSRFToken": poster.cookies["csrftoken"].value, "HX-Request": "true"},
    )  # fmt: skip

    assert response.status_code == 200
    assert form.stored(claim) == "a-\ufffd\ufffd\ufffd-b"


def test_text_sent_back_in_the_address_is_shown_inert(seed_article, claim, reviewer):
    """The search box and a new claim's selected quote come back from the query string."""
    client = csrf_client(reviewer)
    ws = workspace_url(seed_article)
    p = paragraph(seed_article, 2)
    for payload in STORED.values():
        selection = {"paragraph": p.pk, "start": 0, "end": 5, "quote": payload}

        search = client.get(ws, {"q": payload})
        new_claim = client.get(f"{ws}claims/new/", selection)

        assert (search.status_code, new_claim.status_code) == (200, 200)
        assert_inert(search.content.decode(), payload)
        assert_inert(new_claim.content.decode(), payload)
