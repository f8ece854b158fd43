"""The live poll's stamp after a revision: it covers claims re-anchored into the current
text and orphans, so every change the workspace shows reaches an open page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate import restore, services
from annotate.models import Likelihood, SpanAnchor, Verdict
from annotate.reanchoring import reanchor
from annotate.selectors import current_change_stamp
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.revised_seed import claims_across_a_revision
from annotate.tests.workspace_helpers import csrf_client, poll_url, workspace_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(seed_article, reviewer):
    """Claims made on revision 1, shown on revision 2 through their anchors."""
    return claims_across_a_revision(seed_article, reviewer)


def _note(claim, user):
    return make_note(claim=claim, likelihood=Likelihood.LIKELY, user=user)


# Each change a workspace displays, to the moved claim (made on revision 1), by a lead:
# (name, prepare(claim, users) -> state, change(claim, users, state)).
CHANGES = [
    (
        "statement",
        None,
        lambda c, u, _: services.claim_update(claim=c, user=u["lead"], statement="Reworded"),
    ),
    (
        "verdict",
        None,
        lambda c, u, _: services.claim_set_verdict(
            claim=c, verdict=Verdict.MIXED, rationale="Both ways", user=u["lead"]
        ),
    ),
    ("citation added", None, lambda c, u, _: make_citation(claim=c, user=u["other"])),
    (
        "cited source changed",
        lambda c, u: make_citation(claim=c, user=u["other"]).source,
        lambda c, u, source: services.source_update(source=source, user=u["lead"], reliability="E"),
    ),
    (
        "citation deleted",
        lambda c, u: make_citation(claim=c, user=u["other"]),
        lambda c, u, source: services.citation_delete(citation=source, user=u["lead"]),
    ),
    (
        "citation restored",
        lambda c, u: services.citation_delete(
            citation=make_citation(claim=c, user=u["other"]), user=u["lead"]
        ),
        lambda c, u, _: restore.citation_restore(
            citation_id=c.citations.model.history.latest("history_id").id, user=u["lead"]
        ),
    ),
    ("note recorded", None, lambda c, u, _: _note(c, u["other"])),
    (
        "note deleted",
        lambda c, u: _note(c, u["other"]),
        lambda c, u, note: services.confidence_note_delete(note=note, user=u["lead"]),
    ),
    ("claim deleted", None, lambda c, u, _: services.claim_delete(claim=c, user=u["lead"])),
    (
        "claim restored",
        lambda c, u: services.claim_delete(claim=c, user=u["lead"]),
        lambda c, u, _: restore.claim_restore(claim_id=c.pk, user=u["lead"]),
    ),
]


@pytest.mark.parametrize(
    ("prepare", "change"), [pytest.param(p, c, id=name) for name, p, c in CHANGES]
)
def test_a_change_to_a_re_anchored_claim_changes_the_stamp(
    seed_article, revised, reviewer, other_reviewer, lead, prepare, change
):
    users = {"other": other_reviewer, "lead": lead}
    claim = revised["moved"]
    state = prepare(claim, users) if prepare else None
    before = current_change_stamp(seed_article.slug, lead)

    change(claim, users, state)

    assert current_change_stamp(seed_article.slug, lead) != before


def test_confirming_a_placement_changes_the_stamp(seed_article, revised, lead):
    anchor = SpanAnchor.objects.get(span=revised["fuzzy"].span, revision__number=2)
    before = current_change_stamp(seed_article.slug, lead)

    reanchor.span_anchor_confirm(anchor=anchor, user=lead)

    assert current_change_stamp(seed_article.slug, lead) != before


def test_a_change_to_an_orphans_claim_changes_the_stamp(seed_article, revised, reviewer):
    before = current_change_stamp(seed_article.slug, reviewer)

    services.claim_update(claim=revised["orphan"], user=reviewer, statement="Six were killed")

    assert current_change_stamp(seed_article.slug, reviewer) != before


def test_the_stamp_counts_every_claim_shown_and_is_one_query(
    seed_article, revised, reviewer, django_assert_num_queries
):
    current = seed_article.revisions.get(number=2)
    make_claim(paragraph=current.paragraphs.get(position=3), quote="Israel struck", user=reviewer)

    with django_assert_num_queries(1):
        stamp = current_change_stamp(seed_article.slug, reviewer)

    revision, count, _ = stamp.split("-")
    assert (int(revision), int(count)) == (current.pk, 4)  # three carried over, one new
    assert current_change_stamp("no-such-report", reviewer) == ""


def test_the_page_and_the_poll_agree_after_a_revision(seed_article, revised, reviewer, lead):
    client = csrf_client(reviewer)
    url = poll_url(client.get(workspace_url(seed_article)).content.decode())

    assert client.get(url, headers={"HX-Request": "true"}).status_code == 204

    services.claim_update(claim=revised["moved"], user=lead, statement="Loud blasts")
    changed = client.get(url, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert "Loud blasts" in changed.content.decode()
    assert client.get(poll_url(changed.content.decode())).status_code == 204


def test_an_old_revision_is_not_polled(seed_article, revised, reviewer):
    page = csrf_client(reviewer).get(workspace_url(seed_article), {"revision": 1})

    assert page.status_code == 200
    assert 'id="live"' not in page.content.decode()


def test_an_unchanged_poll_after_a_revision_is_one_query(seed_article, revised, reviewer):
    client = csrf_client(reviewer)
    url = poll_url(client.get(workspace_url(seed_article)).content.decode())

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 204

    # The session and its user; the user's and their groups' permissions, in one query
    # (whether independent review hides notes from them); then the stamp, however many
    # claims.
    assert len(queries) == 4


# Independent review: a note a user may not see is no change for them, so their poll
# stays quiet (it would otherwise tell them a note was written).


def _poll(client, url):
    return client.get(url, headers={"HX-Request": "true"})


def _open(user, article):
    """A workspace opened by the user: their client and its poll URL."""
    client = csrf_client(user)
    return client, poll_url(client.get(workspace_url(article)).content.decode())


@pytest.fixture
def noted_by_lead(seed_article, other_reviewer, lead):
    """A claim of reviewer2's with the lead's note on it, under independent review."""
    claim = make_claim(
        paragraph=seed_article.revisions.get().paragraphs.get(position=2),
        quote="Israel struck",
        user=other_reviewer,
    )
    _note(claim, lead)
    return claim


def test_a_note_hidden_from_a_reviewer_does_not_wake_their_poll(
    seed_article, noted_by_lead, reviewer, lead
):
    (blind, blind_url), (leading, lead_url) = (
        _open(reviewer, seed_article),
        _open(lead, seed_article),
    )

    make_note(claim=noted_by_lead, likelihood=Likelihood.UNLIKELY, user=lead)

    assert _poll(blind, blind_url).status_code == 204
    assert _poll(leading, lead_url).status_code == 200


def test_a_reviewer_hears_of_their_own_note_and_then_of_others(
    seed_article, noted_by_lead, reviewer, lead
):
    client, url = _open(reviewer, seed_article)

    _note(noted_by_lead, reviewer)  # now they see every note: a change to them
    changed = _poll(client, url)
    assert changed.status_code == 200
    url = poll_url(changed.content.decode())
    assert _poll(client, url).status_code == 204

    make_note(claim=noted_by_lead, likelihood=Likelihood.UNLIKELY, user=lead)
    assert _poll(client, url).status_code == 200


def test_the_page_polls_as_often_as_configured(seed_article, reviewer, settings):
    settings.CLAIMDESK_LIVE_POLL_SECONDS = 7

    page = csrf_client(reviewer).get(workspace_url(seed_article)).content.decode()

    assert 'hx-trigger="every 7s"' in page
