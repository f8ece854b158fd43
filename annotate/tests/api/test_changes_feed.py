"""GET /api/v1/changes/: every write is in the feed, in order, and each reader is told only
what they may read."""

from __future__ import annotations

import pytest

from annotate import restore, services
from annotate.models import Change, Likelihood, Verdict
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note

FEED = "/api/v1/changes/"
QUOTE = "the strike specifically targeted the negotiation team"


def read_all(client, after: str = "", **params) -> tuple[list[dict], str]:
    """Every change after the cursor, page by page; the events and the final cursor."""
    events = []
    query = {"limit": 7, **params} | ({"after": after} if after else {})
    while True:
        response = client.get(FEED, query)
        assert response.status_code == 200, response.content
        body = response.json()
        events += body["results"]
        query["after"] = body["cursor"]
        if not body["has_more"]:
            return events, body["cursor"]


def types(events) -> list[str]:
    return [event["type"] for event in events]


@pytest.fixture
def paragraph(seed_article):
    return seed_article.revisions.get().paragraphs.get(position=6)


def test_a_claims_life_is_in_the_feed_in_order(paragraph, reviewer, lead):
    client = client_for(reviewer)
    _, start = read_all(client)
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    services.claim_update(claim=claim, user=reviewer, statement="Edited")
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.SUPPORTED, rationale="Checked", user=lead
    )
    services.claim_delete(claim=claim, user=lead)
    restore.claim_restore(claim_id=claim.pk, user=lead)

    events, _ = read_all(client, start)

    claim_events = [e for e in events if e["resource"] == "claim"]
    assert types(claim_events) == [
        "claim.created", "claim.updated", "claim.adjudicated", "claim.deleted",
        "claim.restored", "claim.updated",  # the restore moves its version, as any
    ]  # fmt: skip
    assert types(events)[0] == "span.created"
    created = claim_events[0]
    assert created["object_id"] == claim.pk
    assert created["url"].endswith(f"/api/v1/claims/{claim.pk}/")
    assert created["actor"] == reviewer.username
    assert claim_events[2]["actor"] == lead.username
    assert created["article"] == paragraph.revision.article.slug
    # Read now, every event of the restored claim shows it as it is now.
    assert all(not e["tombstone"] for e in claim_events)
    assert {e["data"]["statement"] for e in claim_events} == {"Edited"}
    assert claim_events[0]["data"]["verdict"] == Verdict.SUPPORTED


def test_a_deleted_claim_is_a_tombstone(paragraph, reviewer):
    client = client_for(reviewer)
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    make_citation(claim=claim, user=reviewer)
    services.claim_delete(claim=claim, user=reviewer)

    events, _ = read_all(client)

    mine = [e for e in events if e["resource"] in {"claim", "citation", "span"}]
    assert {e["type"] for e in mine} >= {"claim.deleted", "citation.deleted", "span.deleted"}
    assert all(e["tombstone"] and e["data"] is None for e in mine)


def test_the_cursor_moves_on_and_nothing_is_repeated(paragraph, reviewer):
    client = client_for(reviewer)
    make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    first, cursor = read_all(client)
    claim = make_claim(paragraph=paragraph, quote="negotiation team", user=reviewer)
    second, _ = read_all(client, cursor)

    assert {e["id"] for e in first}.isdisjoint({e["id"] for e in second})
    assert [e["object_id"] for e in second if e["resource"] == "claim"] == [claim.pk]
    assert read_all(client, cursor)[0] == second  # the same cursor reads the same page


def test_a_source_edit_tells_of_every_claim_citing_it(paragraph, reviewer, lead):
    client = client_for(reviewer)
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    citation = make_citation(claim=claim, user=reviewer)
    _, cursor = read_all(client)
    services.source_update(source=citation.source, user=lead, reliability="B")

    events, _ = read_all(client, cursor)

    assert types(events) == ["source.updated", "claim.updated"]
    assert events[1]["data"]["citations"][0]["source"]["reliability"] == "B"


def test_others_notes_stay_out_of_a_blind_reviewers_feed_until_their_own(
    paragraph, reviewer, other_reviewer
):
    article = paragraph.revision.article
    article.independent_review = True
    article.save()
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=other_reviewer)
    theirs = make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other_reviewer)
    client = client_for(reviewer)

    before, cursor = read_all(client)

    assert theirs.pk not in {e["object_id"] for e in before if e["resource"] == "confidence-note"}
    claim_data = [e["data"] for e in before if e["resource"] == "claim"]
    assert all(data["notes"] == [] and data["confidence"] is None for data in claim_data)

    mine = make_note(claim=claim, likelihood=Likelihood.UNLIKELY, user=reviewer)
    after, cursor = read_all(client, cursor)

    revealed = [e for e in after if e["type"] == "confidence-note.revealed"]
    assert [e["object_id"] for e in revealed] == [theirs.pk]
    assert revealed[0]["data"]["likelihood"] == Likelihood.LIKELY
    assert mine.pk in {e["object_id"] for e in after if e["type"] == "confidence-note.created"}

    services.confidence_note_delete(note=mine, user=reviewer)
    hidden, _ = read_all(client, cursor)

    assert ("confidence-note.hidden", theirs.pk, True) in {
        (e["type"], e["object_id"], e["tombstone"]) for e in hidden
    }
    last_claim = [e for e in hidden if e["resource"] == "claim"][-1]
    assert last_claim["data"]["notes"] == []


def test_a_note_under_independent_review_moves_nothing_in_a_blind_reviewers_feed(
    paragraph, reviewer, other_reviewer
):
    article = paragraph.revision.article
    article.independent_review = True
    article.save()
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=other_reviewer)
    client = client_for(reviewer)
    _, cursor = read_all(client)

    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other_reviewer)

    assert read_all(client, cursor) == ([], cursor)
    assert client.get(FEED, {"after": "latest"}).json()["cursor"] == cursor


def test_a_lead_sees_every_note_change(paragraph, reviewer, lead):
    article = paragraph.revision.article
    article.independent_review = True
    article.save()
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    _, cursor = read_all(client_for(lead))
    note = make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)

    events, _ = read_all(client_for(lead), cursor)

    assert types(events) == ["confidence-note.created", "claim.updated"]
    assert events[0]["object_id"] == note.pk


def test_a_revision_import_tells_of_the_revision_placements_and_claims(paragraph, reviewer, lead):
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    client = client_for(reviewer)
    _, cursor = read_all(client)
    article = paragraph.revision.article
    texts = list(paragraph.revision.paragraphs.order_by("position").values_list("text", flat=True))
    from annotate.reanchoring.reanchor import revision_import

    revision_import(article=article, paragraphs=["A new opening.", *texts], user=lead)

    events, _ = read_all(client, cursor)

    assert types(events)[:2] == ["revision.created", "article.updated"]
    assert events[0]["url"].endswith(f"/api/v1/articles/{article.slug}/?revision=2")
    assert events[0]["data"]["paragraphs"][0]["text"] == "A new opening."
    placement = next(e for e in events if e["resource"] == "placement")
    assert placement["data"]["revision"] == 2
    assert placement["data"]["paragraph_position"] == paragraph.position + 1
    updated = next(e for e in events if e["resource"] == "claim")
    assert updated["object_id"] == claim.pk
    assert updated["data"]["placement"]["paragraph_position"] == paragraph.position + 1
    assert all(e["actor"] == lead.username for e in events)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": "nonsense"}, "after"),
        ({"after": "a.1.2.3"}, "after"),
        ({"after": "-1.2"}, "after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"since": "1"}, "since"),
    ],
)
def test_bad_parameters_are_refused_by_name(reviewer, params, field):
    response = client_for(reviewer).get(FEED, params)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_an_unknown_article_is_a_404(reviewer):
    assert client_for(reviewer).get(FEED, {"article": "no-such"}).status_code == 404


def test_the_feed_needs_a_reader(anonymous):
    assert anonymous.get(FEED).status_code == 401


def test_a_cursor_from_a_database_made_anew_is_refused_not_read_as_nothing_new(paragraph, reviewer):
    client = client_for(reviewer)
    make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    _, cursor = read_all(client)
    Change.objects.all().delete()  # as in a database a backup was loaded into
    make_claim(paragraph=paragraph, quote="negotiation team", user=reviewer)

    response = client.get(FEED, {"after": cursor})

    assert response.status_code == 410
    assert "from the start" in response.json()["error"]["detail"]
    assert len(read_all(client)[0]) > 0  # which works
