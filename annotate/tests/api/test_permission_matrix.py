"""Every endpoint x method x role, with the exact status code. The objects acted on
belong to reviewer1 ("author"); reviewer2 is another reviewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from annotate import relations, services
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.webhooks import services as webhook_services
from annotate.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "researcher", "author", "other_reviewer", "lead"]
SLUG = "doha-strike-2025-09-09"


@dataclass
class World:
    paragraph: Any
    claim: Any
    citation: Any
    source: Any
    uncited_source: Any
    note: Any
    bare_span: Any
    deleted_citation: Any
    deleted_note: Any
    second: Any  # another claim of reviewer1's
    relation: Any  # reviewer1's link of claim and second
    webhook: Any  # reviewer1's webhook endpoint
    delivery: Any  # an attempt in its log


@pytest.fixture
def world(claim, paragraph, seed_article, reviewer, lead) -> World:
    bare = make_claim(paragraph=paragraph, quote="A Hamas source told Al Jazeera", user=reviewer)
    bare_span = bare.span
    bare.delete()  # leaves a span without claims, which may be deleted
    deleted_citation = make_citation(
        claim=claim, user=reviewer, url="https://example.org/withdrawn", title="Withdrawn"
    )
    services.citation_delete(citation=deleted_citation, user=reviewer)
    # Recorded by the author and never cited: the only kind of source that may be deleted.
    uncited = services.source_create(
        url="https://example.org/unused", title="Unused", reliability="F", user=reviewer
    )
    # The lead's own note, deleted: no role's other requests meet it.
    deleted_note = make_note(claim=claim, likelihood=4, user=lead)
    services.confidence_note_delete(note=deleted_note, user=lead)
    second = make_claim(
        paragraph=seed_article.revisions.get().paragraphs.get(position=5),
        quote="The number of casualties is currently unknown.",
        user=reviewer,
    )
    relation = relations.relation_create(
        from_claim=claim, to_claim=second, type="contradicts", user=reviewer
    )
    webhook = webhook_services.webhook_create(user=reviewer, url=WEBHOOK_LINK)
    delivery = WebhookDelivery.objects.create(
        endpoint=webhook, change_id=1, change_txid=0, event_type="claim.created", attempt=1,
        ok=False, error="Refused", duration_ms=0,
    )  # fmt: skip
    return World(
        paragraph=paragraph,
        claim=claim,
        citation=claim.citations.get(),
        source=claim.citations.get().source,
        uncited_source=uncited,
        note=claim.notes.get(),
        bare_span=bare_span,
        deleted_citation=deleted_citation,
        deleted_note=deleted_note,
        second=second,
        relation=relation,
        webhook=webhook,
        delivery=delivery,
    )


def span_body(w: World) -> dict:
    quote = "Hamas officials were meeting in Doha"
    start = w.paragraph.text.index(quote)
    return {"paragraph": w.paragraph.pk, "start": start, "end": start + len(quote), "quote": quote}


WEBHOOK_LINK = "https://93.184.215.14/hook"  # public, and no DNS needed
SOURCE = {"link": "https://example.org/x", "title": "X", "reliability": "C"}
IMPORT = [
    {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "Hamas met in Doha"},
        "target": {
            "source": f"http://testserver/api/v1/articles/{SLUG}/",
            "selector": {"type": "TextQuoteSelector", "exact": "Hamas officials were meeting"},
        },
    }
]
CITATION = {"stance": "refutes", "credibility": 2, "excerpt": "X says otherwise."}

# (label, method, url(world), body(world), {role: status})
READ = dict.fromkeys(["researcher", "author", "other_reviewer", "lead"], 200) | {"anonymous": 401}
CREATE = {"anonymous": 401, "researcher": 403, "author": 201, "other_reviewer": 201, "lead": 201}
OWN_EDIT = {"anonymous": 401, "researcher": 403, "author": 200, "other_reviewer": 403, "lead": 200}
OWN_DELETE = OWN_EDIT | {"author": 204, "lead": 204}
NOTE_EDIT = OWN_EDIT | {"lead": 403}  # a note is its reviewer's own judgement
# Independent review (on by default): a reviewer who has not judged the claim does not
# see another's note on it at all.
HIDDEN_NOTE = {"other_reviewer": 404}
LEAD_ONLY = {"anonymous": 401, "researcher": 403, "author": 403, "other_reviewer": 403, "lead": 200}
# A webhook endpoint is its owner's alone, leads' included: another's answers 404.
OWN_WEBHOOK = {"anonymous": 401, "researcher": 404, "author": 200, "other_reviewer": 404} | {
    "lead": 404
}
ANY_ACCOUNT_CREATES = dict.fromkeys(["researcher", "author", "other_reviewer", "lead"], 201) | {
    "anonymous": 401
}
NO_SUCH_METHOD = dict.fromkeys(["researcher", "author", "other_reviewer", "lead"], 405) | {
    "anonymous": 401
}

CASES = [
    ("articles list", "get", lambda w: "/api/v1/articles/", None, READ),
    ("article", "get", lambda w: f"/api/v1/articles/{SLUG}/", None, READ),
    ("article create", "post", lambda w: "/api/v1/articles/", lambda w: {}, NO_SUCH_METHOD),
    ("article delete", "delete", lambda w: f"/api/v1/articles/{SLUG}/", None, NO_SUCH_METHOD),
    *[
        (
            f"export {fmt}",
            "get",
            lambda w, f=fmt: f"/api/v1/articles/{SLUG}/export/{f}/",
            None,
            READ,
        )
        for fmt in ("w3c", "claimreview", "csv", "jsonl", "datapackage")
    ],
    (
        "import (dry run)",
        "post",
        lambda w: f"/api/v1/articles/{SLUG}/import/?dry_run=true",
        lambda w: IMPORT,
        CREATE | {"author": 200, "other_reviewer": 200, "lead": 200},
    ),
    (
        "import",
        "post",
        lambda w: f"/api/v1/articles/{SLUG}/import/",
        lambda w: IMPORT,
        CREATE,
    ),
    ("import read", "get", lambda w: f"/api/v1/articles/{SLUG}/import/", None, NO_SUCH_METHOD),
    ("spans list", "get", lambda w: "/api/v1/spans/", None, READ),
    ("span", "get", lambda w: f"/api/v1/spans/{w.bare_span.pk}/", None, READ),
    ("span create", "post", lambda w: "/api/v1/spans/", span_body, CREATE),
    ("span delete", "delete", lambda w: f"/api/v1/spans/{w.bare_span.pk}/", None, OWN_DELETE),
    (
        "span patch",
        "patch",
        lambda w: f"/api/v1/spans/{w.bare_span.pk}/",
        lambda w: {"start": 0},
        NO_SUCH_METHOD,
    ),
    ("claims list", "get", lambda w: "/api/v1/claims/", None, READ),
    ("claim", "get", lambda w: f"/api/v1/claims/{w.claim.pk}/", None, READ),
    (
        "claim create",
        "post",
        lambda w: "/api/v1/claims/",
        lambda w: {**span_body(w), "statement": "Hamas met in Doha"},
        CREATE,
    ),
    (
        "claim patch",
        "patch",
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        lambda w: {"statement": "Reworded"},
        OWN_EDIT,
    ),
    (
        "claim put",
        "put",
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        lambda w: {"statement": "Reworded", "kind": "attribution", "attributed_to": "Hamas"},
        OWN_EDIT,
    ),
    ("claim delete", "delete", lambda w: f"/api/v1/claims/{w.claim.pk}/", None, OWN_DELETE),
    (
        "claim verdict",
        "post",
        lambda w: f"/api/v1/claims/{w.claim.pk}/verdict/",
        lambda w: {"verdict": "supported", "rationale": "Two sources agree."},
        LEAD_ONLY,
    ),
    ("sources list", "get", lambda w: "/api/v1/sources/", None, READ),
    ("source", "get", lambda w: f"/api/v1/sources/{w.source.pk}/", None, READ),
    ("source create", "post", lambda w: "/api/v1/sources/", lambda w: SOURCE, CREATE),
    (
        "source patch",
        "patch",
        lambda w: f"/api/v1/sources/{w.source.pk}/",
        lambda w: {"reliability": "D"},
        OWN_EDIT,
    ),
    ("source put", "put", lambda w: f"/api/v1/sources/{w.source.pk}/", lambda w: SOURCE, OWN_EDIT),
    (
        "source delete",
        "delete",
        lambda w: f"/api/v1/sources/{w.uncited_source.pk}/",
        None,
        OWN_DELETE,
    ),
    ("citations list", "get", lambda w: "/api/v1/citations/", None, READ),
    ("citation", "get", lambda w: f"/api/v1/citations/{w.citation.pk}/", None, READ),
    (
        "citation create",
        "post",
        lambda w: "/api/v1/citations/",
        lambda w: {**CITATION, "claim": w.claim.pk, "new_source": SOURCE},
        CREATE,
    ),
    (
        "citation of a recorded source",
        "post",
        lambda w: "/api/v1/citations/",
        lambda w: {**CITATION, "claim": w.claim.pk, "source": w.source.pk},
        CREATE,
    ),
    (
        "citation patch",
        "patch",
        lambda w: f"/api/v1/citations/{w.citation.pk}/",
        lambda w: {"credibility": 5},
        OWN_EDIT,
    ),
    (
        "citation put",
        "put",
        lambda w: f"/api/v1/citations/{w.citation.pk}/",
        lambda w: CITATION,
        OWN_EDIT,
    ),
    (
        "citation delete",
        "delete",
        lambda w: f"/api/v1/citations/{w.citation.pk}/",
        None,
        OWN_DELETE,
    ),
    (
        "citation restore",
        "post",
        lambda w: f"/api/v1/citations/{w.deleted_citation.pk}/restore/",
        None,
        LEAD_ONLY,
    ),
    ("notes list", "get", lambda w: "/api/v1/confidence-notes/", None, READ),
    ("note", "get", lambda w: f"/api/v1/confidence-notes/{w.note.pk}/", None, READ | HIDDEN_NOTE),
    (
        "note create",
        "post",
        lambda w: "/api/v1/confidence-notes/",
        lambda w: {"claim": w.claim.pk, "likelihood": 3, "analytic_confidence": "moderate"},
        # the author already has a note on the claim: posting revises it (200)
        CREATE | {"author": 200},
    ),
    (
        "note patch",
        "patch",
        lambda w: f"/api/v1/confidence-notes/{w.note.pk}/",
        lambda w: {"likelihood": 2},
        NOTE_EDIT | HIDDEN_NOTE,
    ),
    (
        "note put",
        "put",
        lambda w: f"/api/v1/confidence-notes/{w.note.pk}/",
        lambda w: {
            "likelihood": 2,
            "analytic_confidence": "moderate",
            "rationale": "Single source.",
        },
        NOTE_EDIT | HIDDEN_NOTE,
    ),
    (
        "note delete",
        "delete",
        lambda w: f"/api/v1/confidence-notes/{w.note.pk}/",
        None,
        OWN_DELETE | HIDDEN_NOTE,
    ),
    (
        "note restore",
        "post",
        lambda w: f"/api/v1/confidence-notes/{w.deleted_note.pk}/restore/",
        None,
        LEAD_ONLY,
    ),
    ("relations list", "get", lambda w: "/api/v1/relations/", None, READ),
    ("relation", "get", lambda w: f"/api/v1/relations/{w.relation.pk}/", None, READ),
    (
        "relation create",
        "post",
        lambda w: "/api/v1/relations/",
        lambda w: {"from_claim": w.second.pk, "to_claim": w.claim.pk, "type": "part_of"},
        CREATE,
    ),
    (
        "relation patch",
        "patch",
        lambda w: f"/api/v1/relations/{w.relation.pk}/",
        lambda w: {"rationale": "Killed or not"},
        OWN_EDIT,
    ),
    (
        "relation put",
        "put",
        lambda w: f"/api/v1/relations/{w.relation.pk}/",
        lambda w: {"rationale": "Killed or not"},
        OWN_EDIT,
    ),
    (
        "relation delete",
        "delete",
        lambda w: f"/api/v1/relations/{w.relation.pk}/",
        None,
        OWN_DELETE,
    ),
    ("webhooks list", "get", lambda w: "/api/v1/webhooks/", None, READ),
    ("webhook", "get", lambda w: f"/api/v1/webhooks/{w.webhook.pk}/", None, OWN_WEBHOOK),
    (
        "webhook create",
        "post",
        lambda w: "/api/v1/webhooks/",
        lambda w: {"link": WEBHOOK_LINK},
        ANY_ACCOUNT_CREATES,
    ),
    (
        "webhook patch",
        "patch",
        lambda w: f"/api/v1/webhooks/{w.webhook.pk}/",
        lambda w: {"active": False},
        OWN_WEBHOOK,
    ),
    (
        "webhook put",
        "put",
        lambda w: f"/api/v1/webhooks/{w.webhook.pk}/",
        lambda w: {"link": WEBHOOK_LINK, "event_types": ["claim.*"]},
        OWN_WEBHOOK,
    ),
    (
        "webhook delete",
        "delete",
        lambda w: f"/api/v1/webhooks/{w.webhook.pk}/",
        None,
        OWN_WEBHOOK | {"author": 204},
    ),
    (
        "webhook deliveries",
        "get",
        lambda w: f"/api/v1/webhooks/{w.webhook.pk}/deliveries/",
        None,
        OWN_WEBHOOK,
    ),
    (
        "webhook redeliver",
        "post",
        lambda w: f"/api/v1/webhooks/{w.webhook.pk}/deliveries/{w.delivery.pk}/redeliver/",
        None,
        OWN_WEBHOOK | {"author": 202},
    ),
]


@pytest.fixture
def users(reviewer, other_reviewer, lead, researcher) -> dict:
    return {
        "anonymous": None,
        "researcher": researcher,
        "author": reviewer,
        "other_reviewer": other_reviewer,
        "lead": lead,
    }


@pytest.mark.parametrize(
    ("method", "url", "body", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_each_role_gets_exactly_its_status(world, users, method, url, body, expected):
    # Every role on one world, each request rolled back after it (a savepoint), so that
    # each meets the world as it was: one world per operation instead of per role (its
    # setup was most of this module's time).
    statuses, bodies = {}, {}
    for role in ROLES:
        with transaction.atomic():
            response = getattr(client_for(users[role]), method)(
                url(world), body(world) if body else None, format="json"
            )
            statuses[role] = response.status_code
            if response.status_code >= 400:
                bodies[role] = response.content
                assert response["Content-Type"] == "application/json", role
                assert response.json()["error"]["status"] == response.status_code, role
            transaction.set_rollback(True)

    assert statuses == {role: expected[role] for role in ROLES}, bodies


def test_public_read_opens_reading_but_not_writing(world, settings, anonymous):
    settings.CLAIMDESK_PUBLIC_READ = True

    assert anonymous.get("/api/v1/claims/").status_code == 200
    assert anonymous.get(f"/api/v1/articles/{SLUG}/export/csv/").status_code == 200
    response = anonymous.post("/api/v1/citations/", {**CITATION, "claim": world.claim.pk})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
