from __future__ import annotations

import pytest

from annotate import services
from annotate.models import Claim, Span
from annotate.tests.factories import make_claim
from annotate.tests.workspace_helpers import claim_url, csrf_client, csrf_post, paragraph

pytestmark = pytest.mark.django_db


def _new_claim(article, p, selected, **fields):
    start = p.text.index(selected)
    data = {
        "paragraph": p.pk,
        "start": start,
        "end": start + len(selected),
        "quote": selected,
        "statement": selected,
        "kind": "factual",
        "attributed_to": "",
    }
    data.update(fields)
    return data


def test_it_creates_a_claim_with_its_span(seed_article, reviewer):
    client = csrf_client(reviewer)
    p = paragraph(seed_article, 6)
    data = _new_claim(
        seed_article,
        p,
        "specifically targeted the negotiation team",
        statement="The strike targeted the negotiators",
        attributed_to="A Hamas source",
    )

    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/new/", data)

    assert response.status_code == 200
    claim = Claim.objects.get()
    assert (claim.span.start, claim.span.end) == (data["start"], data["end"])
    assert claim.span.quote == "specifically targeted the negotiation team"
    assert claim.statement == "The strike targeted the negotiators"
    assert claim.attributed_to == "A Hamas source"
    html = response.content.decode()
    assert f'data-claim-id="{claim.pk}"' in html
    assert 'id="p6" class="paragraph" ' in html
    assert 'hx-swap-oob="true"' in html
    assert 'id="counters"' in html
    assert response["HX-Push-Url"] == claim_url(seed_article, claim)


def test_without_htmx_it_redirects_to_the_claim(seed_article, reviewer):
    client = csrf_client(reviewer)
    data = _new_claim(seed_article, paragraph(seed_article, 2), "Israel struck")
    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/new/", data, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == claim_url(seed_article, Claim.objects.get())


def test_it_refuses_a_post_without_csrf_token(seed_article, reviewer):
    client = csrf_client(reviewer)
    data = _new_claim(seed_article, paragraph(seed_article, 2), "Israel struck")
    response = client.post(f"/articles/{seed_article.slug}/claims/new/", data)
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_a_wrong_quote_is_a_422_naming_it_and_keeps_the_statement(seed_article, reviewer):
    client = csrf_client(reviewer)
    data = _new_claim(
        seed_article,
        paragraph(seed_article, 2),
        "Israel struck",
        quote="Qatar struck",
        statement="My careful words",
    )

    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/new/", data)

    assert response.status_code == 422
    html = response.content.decode()
    assert "Quote: Does not match the paragraph" in html
    assert "My careful words" in html
    assert not Span.objects.exists()


def test_an_empty_statement_shows_beside_its_field(seed_article, reviewer):
    client = csrf_client(reviewer)
    data = _new_claim(seed_article, paragraph(seed_article, 2), "Israel struck", statement="  ")
    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/new/", data)
    assert response.status_code == 422
    assert 'id="new_statement_error"' in response.content.decode()


def test_a_paragraph_of_another_report_is_refused(seed_article, reviewer):
    client = csrf_client(reviewer)
    data = _new_claim(seed_article, paragraph(seed_article, 2), "Israel struck", paragraph=99999)
    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/new/", data)
    assert response.status_code == 422
    assert "not in a paragraph of this report" in response.content.decode()


def test_a_researcher_may_not_add_claims(seed_article, researcher):
    client = csrf_client(researcher)
    data = _new_claim(seed_article, paragraph(seed_article, 2), "Israel struck")
    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/new/", data)
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_the_form_for_a_selection_shows_the_quote(client, seed_article, reviewer):
    p = paragraph(seed_article, 2)
    client.force_login(reviewer)
    response = client.get(
        f"/articles/{seed_article.slug}/claims/new/",
        {"paragraph": p.pk, "start": 0, "end": 13, "quote": "Israel struck"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert '<blockquote class="quote">Israel struck</blockquote>' in html
    assert "Israel struck</textarea>" in html


def _claim(article, user):
    return make_claim(paragraph=paragraph(article, 2), quote="Israel struck", user=user)


def test_the_author_edits_a_claim(seed_article, reviewer):
    claim = _claim(seed_article, reviewer)
    client = csrf_client(reviewer)
    data = {
        "statement": "Revised",
        "kind": "opinion",
        "attributed_to": "",
        "version": services_version(claim),
    }
    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/{claim.pk}/edit/", data)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.statement, claim.kind) == ("Revised", "opinion")


def services_version(obj):
    from annotate.versioning import version_of

    obj.refresh_from_db()
    return version_of(obj)


def test_a_stale_edit_is_a_409_showing_the_current_version(seed_article, reviewer):
    claim = _claim(seed_article, reviewer)
    seen = services_version(claim)
    services.claim_update(claim=claim, user=reviewer, statement="Changed meanwhile")
    client = csrf_client(reviewer)
    data = {"statement": "Mine", "kind": "factual", "attributed_to": "", "version": seen}

    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/{claim.pk}/edit/", data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed this claim" in html
    assert "Changed meanwhile" in html
    claim.refresh_from_db()
    assert claim.statement == "Changed meanwhile"


def test_another_reviewer_sees_no_edit_control_and_a_forged_post_is_refused(
    seed_article, reviewer, other_reviewer
):
    claim = _claim(seed_article, reviewer)
    client = csrf_client(other_reviewer)

    html = client.get(claim_url(seed_article, claim)).content.decode()
    assert "Edit claim" not in html
    assert "Delete claim" not in html

    data = {"statement": "Hijacked", "kind": "factual", "version": services_version(claim)}
    edit = csrf_post(client, f"/articles/{seed_article.slug}/claims/{claim.pk}/edit/", data)
    delete = csrf_post(client, f"/articles/{seed_article.slug}/claims/{claim.pk}/delete/", {})
    assert (edit.status_code, delete.status_code) == (403, 403)
    claim.refresh_from_db()
    assert claim.statement == "Israel struck"


def test_the_author_deletes_a_claim(seed_article, reviewer):
    claim = _claim(seed_article, reviewer)
    client = csrf_client(reviewer)
    response = csrf_post(
        client,
        f"/articles/{seed_article.slug}/claims/{claim.pk}/delete/",
        {"version": services_version(claim)},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#reading"
    assert not Claim.objects.exists()
    assert not Span.objects.exists()


def test_a_lead_sets_a_verdict_and_a_reviewer_may_not(seed_article, reviewer, lead):
    claim = _claim(seed_article, reviewer)
    url = f"/articles/{seed_article.slug}/claims/{claim.pk}/verdict/"
    data = {"verdict": "mixed", "rationale": "Both sides have a point."}

    refused = csrf_post(csrf_client(reviewer), url, data)
    assert refused.status_code == 403
    assert (
        "Save verdict"
        not in csrf_client(reviewer).get(claim_url(seed_article, claim)).content.decode()
    )

    allowed = csrf_post(csrf_client(lead), url, {**data, "version": services_version(claim)})
    assert allowed.status_code == 200
    claim.refresh_from_db()
    assert (claim.verdict, claim.verdict_rationale, claim.verdict_by) == (
        "mixed",
        "Both sides have a point.",
        lead,
    )
    assert 'class="hl hl-mixed"' in allowed.content.decode()


def test_an_unknown_verdict_is_a_422_naming_it(seed_article, reviewer, lead):
    claim = _claim(seed_article, reviewer)
    url = f"/articles/{seed_article.slug}/claims/{claim.pk}/verdict/"
    response = csrf_post(csrf_client(lead), url, {"verdict": "true-ish"})
    assert response.status_code == 422
    assert 'id="verdict_verdict_error"' in response.content.decode()


def test_a_claim_is_only_reached_through_its_own_report(seed_article, reviewer):
    from articles.report_format import parse_report
    from articles.services import article_import

    other = article_import(
        report=parse_report(b"---\ntitle: Other\nslug: other\n---\nAnother text.\n")
    )
    claim = _claim(seed_article, reviewer)
    client = csrf_client(reviewer)

    assert client.get(f"/articles/{other.slug}/claims/{claim.pk}/").status_code == 404
    data = {"statement": "Moved", "kind": "factual", "version": services_version(claim)}
    response = csrf_post(client, f"/articles/{other.slug}/claims/{claim.pk}/edit/", data)
    assert response.status_code == 404
