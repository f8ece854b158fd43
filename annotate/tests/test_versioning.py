from __future__ import annotations

import pytest

from annotate import services
from annotate.models import Claim, Likelihood
from annotate.selectors import api_claims
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.versioning import StaleEdit, version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    return make_claim(
        paragraph=paragraph,
        quote="the strike specifically targeted the negotiation team",
        user=reviewer,
    )


def test_an_edit_of_a_stale_copy_is_refused_and_shows_the_current_one(claim, reviewer, lead):
    read_by_reviewer = Claim.objects.get(pk=claim.pk)
    read_by_lead = Claim.objects.get(pk=claim.pk)
    version = version_of(read_by_reviewer)

    services.claim_update(
        claim=read_by_lead, user=lead, expected_version=version, statement="Lead's wording"
    )
    with pytest.raises(StaleEdit) as raised:
        services.claim_update(
            claim=read_by_reviewer, user=reviewer, expected_version=version, statement="Mine"
        )

    assert raised.value.current.statement == "Lead's wording"
    assert Claim.objects.get(pk=claim.pk).statement == "Lead's wording"


def test_a_current_copy_saves_and_moves_the_version(claim, reviewer):
    before = version_of(claim)

    updated = services.claim_update(
        claim=claim, user=reviewer, expected_version=before, attributed_to="A Hamas source"
    )

    assert version_of(updated) != before
    assert updated.attributed_to == "A Hamas source"


def _as_seen_by(user, claim) -> str:
    return version_of(api_claims(user).get(pk=claim.pk))


def test_sources_and_notes_move_their_claims_version(claim, reviewer, other_reviewer, lead):
    versions = [_as_seen_by(lead, claim)]

    source = make_citation(claim=claim, user=reviewer)
    versions.append(_as_seen_by(lead, claim))
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other_reviewer)
    versions.append(_as_seen_by(lead, claim))
    services.citation_delete(citation=source, user=reviewer)
    versions.append(_as_seen_by(lead, claim))

    assert len(set(versions)) == 4


def test_a_lead_edits_with_the_version_they_were_shown_notes_included(claim, other_reviewer, lead):
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other_reviewer)
    shown = _as_seen_by(lead, claim)
    assert shown != version_of(Claim.objects.get(pk=claim.pk))  # the notes moved it

    services.claim_update(claim=claim, user=lead, expected_version=shown, statement="Reworded")
    make_note(claim=claim, likelihood=Likelihood.UNLIKELY, user=other_reviewer)

    with pytest.raises(StaleEdit) as raised:
        services.claim_update(
            claim=claim, user=lead, expected_version=_as_seen_by(lead, claim) + "0", statement="x"
        )
    assert version_of(raised.value.current) == _as_seen_by(lead, claim)


def test_a_blind_reviewer_edits_with_their_version_though_a_note_moved(
    claim, reviewer, other_reviewer
):
    shown = _as_seen_by(reviewer, claim)
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other_reviewer)

    assert _as_seen_by(reviewer, claim) == shown
    updated = services.claim_update(
        claim=claim, user=reviewer, expected_version=shown, statement="Mine"
    )
    assert updated.statement == "Mine"


def test_a_stale_delete_is_refused(claim, reviewer):
    source = make_citation(claim=claim, user=reviewer)
    old_version = version_of(source)
    services.citation_update(citation=source, user=reviewer, excerpt="Reworded")

    with pytest.raises(StaleEdit):
        services.citation_delete(citation=source, user=reviewer, expected_version=old_version)
    assert claim.citations.get().excerpt == "Reworded"
