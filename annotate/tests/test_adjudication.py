"""Adjudication rules (annotate.services.claim_set_verdict): every verdict has a written
reason, a change or withdrawal a new one, and the reviewers' notes stay as they were; the
workspace and the API both follow them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotate import services
from annotate.models import Claim, Verdict
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_claim, make_note
from annotate.tests.workspace_helpers import (
    claim_url,
    csrf_client,
    csrf_post,
    paragraph,
)
from annotate.versioning import version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seed_article, reviewer):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    make_note(claim=claim, likelihood=5, rationale="Plausible.", user=reviewer)
    return claim


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_setting_a_verdict_needs_a_rationale(claim, lead):
    with pytest.raises(ValidationError) as excinfo:
        services.claim_set_verdict(claim=claim, verdict=Verdict.SUPPORTED, rationale=" ", user=lead)

    assert list(_errors(excinfo)) == ["rationale"]
    assert Claim.objects.get(pk=claim.pk).verdict == ""


def test_changing_a_verdict_needs_a_new_rationale(claim, lead):
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.SUPPORTED, rationale="Two wires.", user=lead
    )

    for old in ("Two wires.", " Two wires. ", ""):
        with pytest.raises(ValidationError) as excinfo:
            services.claim_set_verdict(claim=claim, verdict=Verdict.MIXED, rationale=old, user=lead)
        assert list(_errors(excinfo)) == ["rationale"]
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.MIXED, rationale="A denial came in.", user=lead
    )

    claim.refresh_from_db()
    assert (claim.verdict, claim.verdict_rationale, claim.verdict_by) == (
        Verdict.MIXED,
        "A denial came in.",
        lead,
    )


def test_withdrawing_a_verdict_needs_a_rationale_and_keeps_it(claim, lead):
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.SUPPORTED, rationale="Two wires.", user=lead
    )
    with pytest.raises(ValidationError) as excinfo:
        services.claim_set_verdict(claim=claim, verdict="", rationale="", user=lead)
    assert list(_errors(excinfo)) == ["rationale"]

    services.claim_set_verdict(claim=claim, verdict="", rationale="Premature.", user=lead)

    claim.refresh_from_db()
    assert (claim.verdict, claim.verdict_by, claim.verdict_at) == ("", None, None)
    assert claim.verdict_rationale == "Premature."


def test_there_is_nothing_to_withdraw_without_a_verdict(claim, lead):
    with pytest.raises(ValidationError) as excinfo:
        services.claim_set_verdict(claim=claim, verdict="", rationale="Why not.", user=lead)

    assert list(_errors(excinfo)) == ["verdict"]


def test_the_reviewers_notes_stay_as_they_were(claim, lead):
    before = list(claim.notes.values_list("pk", "likelihood", "rationale", "updated_at"))

    services.claim_set_verdict(
        claim=claim, verdict=Verdict.UNSUPPORTED, rationale="Denied.", user=lead
    )
    services.claim_set_verdict(claim=claim, verdict="", rationale="Reopened.", user=lead)

    assert list(claim.notes.values_list("pk", "likelihood", "rationale", "updated_at")) == before


# The workspace --------------------------------------------------------------------------


def test_the_workspace_refuses_the_old_rationale_beside_the_field(seed_article, claim, lead):
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.SUPPORTED, rationale="Two wires.", user=lead
    )
    claim.refresh_from_db()
    url = claim_url(seed_article, claim) + "verdict/"
    data = {"verdict": "mixed", "rationale": "Two wires.", "version": version_of(claim)}

    response = csrf_post(csrf_client(lead), url, data)

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="verdict_rationale_error"' in html
    assert "Give a new reason" in html
    assert Claim.objects.get(pk=claim.pk).verdict == Verdict.SUPPORTED


def test_everyone_sees_the_verdict_its_rationale_who_and_when(
    client, seed_article, claim, lead, other_reviewer
):
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.SUPPORTED, rationale="Two <b>wires</b>.", user=lead
    )
    claim.refresh_from_db()
    client.force_login(other_reviewer)

    html = client.get(claim_url(seed_article, claim)).content.decode()

    assert "Supported</span>" in html
    assert '<p class="rationale">Two &lt;b&gt;wires&lt;/b&gt;.</p>' in html
    assert f"by lead, {claim.verdict_at:%-d %b %Y}" in html


def test_a_withdrawn_verdict_shows_its_reason(client, seed_article, claim, lead, reviewer):
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.SUPPORTED, rationale="Two wires.", user=lead
    )
    services.claim_set_verdict(claim=claim, verdict="", rationale="Premature.", user=lead)
    client.force_login(reviewer)

    html = client.get(claim_url(seed_article, claim)).content.decode()

    assert "the last verdict was withdrawn" in html
    assert '<p class="rationale">Premature.</p>' in html


# The API --------------------------------------------------------------------------------


def test_the_api_follows_the_same_rules(claim, lead):
    client = client_for(lead)
    url = f"/api/v1/claims/{claim.pk}/verdict/"

    missing = client.post(url, {"verdict": "supported"})
    first = client.post(url, {"verdict": "supported", "rationale": "Two wires."})
    same = client.post(url, {"verdict": "mixed", "rationale": "Two wires."})
    changed = client.post(url, {"verdict": "mixed", "rationale": "A denial came in."})
    withdrawn = client.post(url, {"verdict": "", "rationale": "Premature."})
    again = client.post(url, {"verdict": "", "rationale": "Once more."})

    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["rationale"]
    assert first.status_code == 200
    assert same.status_code == 400
    assert list(same.json()["error"]["fields"]) == ["rationale"]
    assert changed.json()["verdict"] == "mixed"
    assert withdrawn.json()["verdict"] is None
    assert withdrawn.json()["verdict_rationale"] == "Premature."
    assert again.status_code == 400
    assert list(again.json()["error"]["fields"]) == ["verdict"]
