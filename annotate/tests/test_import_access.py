"""annotate.access.may_import_as: whose name a bulk import may record each write under."""

from __future__ import annotations

import pytest

from annotate import access
from annotate.models import Citation, Claim, ClaimRelation, ConfidenceNote

pytestmark = pytest.mark.django_db

MODELS = [Claim, Citation, ConfidenceNote, ClaimRelation]


@pytest.mark.parametrize("what", [*MODELS, "verdict"])
def test_anyone_imports_under_their_own_name_what_their_role_makes(
    reviewer, lead, researcher, what
):
    assert access.may_import_as(lead, lead, what) is True
    assert access.may_import_as(reviewer, reviewer, what) is (what != "verdict")
    assert access.may_import_as(researcher, researcher, what) is False


@pytest.mark.parametrize("what", MODELS)
def test_a_reviewer_never_imports_under_a_colleagues_name(reviewer, other_reviewer, lead, what):
    assert access.may_import_as(reviewer, other_reviewer, what) is False
    assert access.may_import_as(reviewer, lead, what) is False


@pytest.mark.parametrize("what", MODELS)
def test_a_lead_imports_under_the_name_of_whoever_could_have_made_it(
    lead, reviewer, researcher, what
):
    assert access.may_import_as(lead, reviewer, what) is True
    assert access.may_import_as(lead, researcher, what) is False


def test_a_verdict_goes_under_a_leads_name_only(lead, reviewer, django_user_model):
    other_lead = django_user_model.objects.create(username="lead2")
    other_lead.groups.set(lead.groups.all())

    assert access.may_import_as(lead, other_lead, "verdict") is True
    assert access.may_import_as(lead, reviewer, "verdict") is False


def test_no_user_or_an_inactive_one_is_never_recorded(lead, reviewer):
    reviewer.is_active = False
    reviewer.save()

    assert access.may_import_as(lead, None, Claim) is False
    assert access.may_import_as(lead, reviewer, Claim) is False
