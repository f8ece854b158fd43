from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from annotate import access, services
from annotate.models import Claim, ConfidenceNote, Verdict
from annotate.tests.factories import make_citation, make_claim, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=5)
    return make_claim(
        paragraph=paragraph, quote="The number of casualties is currently unknown.", user=reviewer
    )


def test_the_migration_creates_the_three_roles():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    codenames = {name: {p.codename for p in g.permissions.all()} for name, g in groups.items()}

    assert set(groups) == {"reviewer", "lead", "researcher"}
    assert "adjudicate_claim" in codenames["lead"]
    assert "adjudicate_claim" not in codenames["reviewer"]
    assert {"add_claim", "change_claim", "add_article"} <= codenames["lead"]
    assert {"add_claim", "add_source", "add_confidencenote"} <= codenames["reviewer"]
    assert "add_article" not in codenames["reviewer"]
    assert all(name.startswith("view_") for name in codenames["researcher"])


def test_reviewers_change_only_what_they_made(claim, reviewer, other_reviewer, lead):
    assert access.can_change(reviewer, claim)
    assert not access.can_change(other_reviewer, claim)
    assert access.can_change(lead, claim)

    with pytest.raises(PermissionDenied):
        services.claim_update(claim=claim, user=other_reviewer, statement="Rewritten")
    services.claim_update(claim=claim, user=lead, statement="Casualties unknown")
    claim.refresh_from_db()
    assert claim.statement == "Casualties unknown"


def test_a_note_is_changed_only_by_its_reviewer(claim, reviewer, other_reviewer, lead):
    note = make_note(claim=claim, likelihood=5, user=other_reviewer)

    assert access.can_change(other_reviewer, note)
    assert not access.can_change(reviewer, note)
    assert not access.can_change(lead, note)
    assert access.can_delete(lead, note)


def test_saving_a_note_again_revises_it(claim, reviewer):
    make_note(claim=claim, likelihood=2, rationale=" first ", user=reviewer)
    make_note(claim=claim, likelihood=6, rationale="second", user=reviewer)

    note = ConfidenceNote.objects.get()
    assert (note.likelihood, note.rationale) == (6, "second")


def test_researchers_write_nothing(claim, researcher):
    with pytest.raises(PermissionDenied):
        make_note(claim=claim, likelihood=4, user=researcher)
    with pytest.raises(PermissionDenied):
        make_citation(claim=claim, user=researcher)
    assert not access.can_change(researcher, claim)


def test_only_leads_set_verdicts(claim, reviewer, lead):
    with pytest.raises(PermissionDenied):
        services.claim_set_verdict(claim=claim, verdict=Verdict.SUPPORTED, user=reviewer)
    with pytest.raises(ValidationError) as raised:
        services.claim_set_verdict(claim=claim, verdict="true", user=lead)
    assert list(raised.value.message_dict) == ["verdict"]

    services.claim_set_verdict(
        claim=claim, verdict=Verdict.UNVERIFIABLE, rationale="No count yet", user=lead
    )

    claim.refresh_from_db()
    assert (claim.verdict, claim.verdict_by, claim.verdict_rationale) == (
        "unverifiable",
        lead,
        "No count yet",
    )
    assert claim.verdict_at is not None


def test_deleting_the_last_claim_removes_its_span(claim, reviewer):
    span = claim.span
    services.claim_delete(claim=claim, user=reviewer)
    assert not Claim.objects.exists()
    assert not type(span).objects.exists()


def test_a_span_shared_by_two_claims_stays_until_the_last_goes(claim, reviewer):
    second = services.claim_create(
        span=claim.span, statement="A count will follow", kind="prediction", user=reviewer
    )
    services.claim_delete(claim=claim, user=reviewer)
    second.span.refresh_from_db()
    services.claim_delete(claim=second, user=reviewer)
    assert not type(claim.span).objects.exists()
