"""The admin shows every model usefully to a lead, and nothing to a reviewer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotate.tests.factories import TEST_PASSWORD, make_citation, make_claim

pytestmark = pytest.mark.django_db


def test_the_seed_revision_shows_its_15_paragraphs(lead_client, seed_article):
    revision = seed_article.revisions.get()

    response = lead_client.get(reverse("admin:articles_revision_change", args=[revision.pk]))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0]
    assert [form.original.position for form in formset] == list(range(1, 16))
    assert "Israel struck the capital of Qatar on Tuesday" in response.text


def test_the_article_list_shows_the_current_revision(lead_client, seed_article):
    response = lead_client.get(reverse("admin:articles_article_changelist"), {"q": "Doha"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [seed_article]
    assert response.context["cl"].result_list[0].revision_total == 1


@pytest.mark.parametrize(
    "model",
    ["articles_article", "articles_revision", "articles_paragraph", "annotate_span",
     "annotate_claim", "annotate_source", "annotate_confidencenote"],
)  # fmt: skip
def test_every_changelist_searches_and_filters(lead_client, seed_article, reviewer, model):
    paragraph = seed_article.revisions.get().paragraphs.get(position=3)
    claim = make_claim(paragraph=paragraph, quote="Loud explosions", user=reviewer)
    make_citation(claim=claim, user=reviewer)

    url = reverse(f"admin:{model}_changelist")
    assert lead_client.get(url).status_code == 200
    assert lead_client.get(url, {"q": "explosions"}).status_code == 200


def test_claim_page_inlines_citations_and_shows_escaped_user_text(
    lead_client, seed_article, reviewer
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=3)
    claim = make_claim(
        paragraph=paragraph,
        quote="Loud explosions",
        user=reviewer,
        statement="<script>alert(1)</script> explosions",
    )
    make_citation(claim=claim, user=reviewer, title="<b>Wire</b> report")

    response = lead_client.get(reverse("admin:annotate_claim_change", args=[claim.pk]))

    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert ">&lt;b&gt;Wire&lt;/b&gt; report</option>" in response.text  # the cited source
    assert "<b>Wire</b>" not in response.text


def test_reviewers_have_no_admin(client, reviewer):
    client.login(username=reviewer.username, password=TEST_PASSWORD)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
