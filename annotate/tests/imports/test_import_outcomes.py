"""Each item is placed by re-anchoring's rules: exact accepted, fuzzy and ambiguous
accepted for review, the rest refused; a dry run writes nothing; a refusal writes
nothing."""

from __future__ import annotations

import pytest
from django.apps import apps

from annotate.models import AnchorStatus, Claim, SpanAnchor
from annotate.reanchoring.placements import anchors_needing_review, spans_in_revision
from annotate.reanchoring.reanchor import revision_import
from annotate.tests.imports.conftest import annotation, export, post_import
from annotate.tests.revised_seed import SEED, claims_across_a_revision

pytestmark = pytest.mark.django_db

QUOTE = "the strike specifically targeted the negotiation team"
# The sentence as another copy of the report had it: two words changed.
REWORDED = "the strike deliberately targeted the negotiating team"
PREFIX = "mas source told Al Jazeera that "


def _report(response) -> list[dict]:
    assert response.status_code in (200, 201), response.json()
    return response.json()["items"]


def _all_rows() -> dict[str, int]:
    """Every table of ours, history included: what a dry run must leave as it was."""
    models = [*apps.get_app_config("annotate").get_models()]
    models += apps.get_app_config("articles").get_models()
    return {m._meta.label: m.objects.count() for m in models}


def test_an_exact_quote_is_placed_exactly(seed_article, reviewer):
    items = _report(post_import(seed_article, reviewer, [annotation(QUOTE, prefix=PREFIX)],
                                content_type="application/json"))  # fmt: skip

    assert items[0]["outcome"] == "exact"
    assert items[0]["quote"] == QUOTE
    assert items[0]["needs_review"] is False
    assert not SpanAnchor.objects.exists()


def test_a_position_alone_selects_the_text_there_exactly(seed_article, reviewer):
    text = "\n\n".join(seed_article.revisions.get().paragraphs.values_list("text", flat=True))
    start = text.index(QUOTE)
    item = annotation(QUOTE)
    item["target"]["selector"] = {"type": "TextPositionSelector", "start": start,
                                  "end": start + len(QUOTE)}  # fmt: skip

    items = _report(post_import(seed_article, reviewer, [item], content_type="application/json"))

    assert (items[0]["outcome"], items[0]["quote"]) == ("exact", QUOTE)


def test_a_reworded_quote_is_placed_by_similarity_and_needs_review(seed_article, reviewer):
    response = post_import(
        seed_article, reviewer, [annotation(REWORDED, prefix=PREFIX, suffix=".")],
        content_type="application/json",
    )  # fmt: skip

    items = _report(response)
    assert (items[0]["outcome"], items[0]["quote"], items[0]["needs_review"]) == (
        "fuzzy", QUOTE, True,
    )  # fmt: skip
    anchor = anchors_needing_review(seed_article).get()
    assert (anchor.status, anchor.quote, anchor.previous_quote) == (
        AnchorStatus.FUZZY, QUOTE, REWORDED,
    )  # fmt: skip
    assert anchor.span.claims.get().pk == items[0]["claim"]
    highlighted = spans_in_revision(seed_article.revisions.get()).get(pk=anchor.span_id)
    assert highlighted.needs_review is True


def test_a_quote_found_several_times_without_context_is_ambiguous(seed_article, reviewer):
    items = _report(post_import(seed_article, reviewer, [annotation("Hamas")],
                                content_type="application/json"))  # fmt: skip

    assert (items[0]["outcome"], items[0]["needs_review"]) == ("ambiguous", True)
    assert anchors_needing_review(seed_article).get().status == AnchorStatus.AMBIGUOUS


def test_a_quote_not_in_the_text_is_refused_and_nothing_is_written(seed_article, reviewer):
    before = _all_rows()
    body = [annotation(QUOTE, prefix=PREFIX), annotation("Paris was bombed on Monday.")]

    response = post_import(seed_article, reviewer, body, content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["items[1]"]
    assert error["fields"]["items[1]"][0].startswith("Not found in revision 1")
    assert _all_rows() == before


def test_a_dry_run_reports_every_outcome_and_writes_nothing(seed_article, reviewer):
    before = _all_rows()
    body = [
        annotation(QUOTE, prefix=PREFIX),
        annotation(REWORDED, prefix=PREFIX, suffix="."),
        annotation("Hamas"),
        annotation("Paris was bombed on Monday."),
    ]

    response = post_import(seed_article, reviewer, body, content_type="application/json",
                           query="?dry_run=true")  # fmt: skip

    assert response.status_code == 200
    report = response.json()
    assert [i["outcome"] for i in report["items"]] == ["exact", "fuzzy", "ambiguous", "refused"]
    assert (report["exact"], report["fuzzy"], report["ambiguous"], report["refused"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert all(i["claim"] is None for i in report["items"])
    assert _all_rows() == before


def test_one_refused_item_among_many_leaves_nothing_written(seed_article, lead, reviewer):
    body = [annotation(QUOTE, prefix=PREFIX)] * 3 + [
        annotation(
            QUOTE,
            prefix=PREFIX,
            body={"type": "TextualBody", "purpose": "classifying", "value": "gossip"},
        )
    ]
    before = _all_rows()

    response = post_import(seed_article, reviewer, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "items[3]": ["kind: Value 'gossip' is not a valid choice."]
    }
    assert _all_rows() == before
    assert not Claim.objects.exists()


def test_an_export_into_a_revised_copy_is_placed_as_re_anchoring_places_it(
    seed_article, copy_article, reviewer
):
    """The same three claims, carried into revision 2 by re-anchoring in one article and
    imported into revision 2 of a copy: the same outcome for each, the orphan refused."""
    claims = claims_across_a_revision(seed_article, reviewer)
    exported = export(seed_article, reviewer)  # positions in revision 1, where they were made
    new = list(seed_article.revisions.get(number=2).paragraphs.values_list("text", flat=True))
    assert len(new) == len(SEED) + 1
    revision_import(article=copy_article, paragraphs=new)

    response = post_import(
        copy_article, reviewer, exported, query=f"?dry_run=true&from_article={seed_article.slug}"
    )

    assert response.status_code == 200
    outcome_of = {i["index"]: i["outcome"] for i in response.json()["items"]}
    order = [c.pk for c in sorted(claims.values(), key=lambda c: (c.span.paragraph.position,
                                                                   c.span.start))]  # fmt: skip
    reanchored = {
        a.span.claims.get().pk: a.status for a in SpanAnchor.objects.filter(revision__number=2)
    }
    expected = {"kept": "exact", "moved": "exact", "fuzzy": "fuzzy", "orphaned": "refused",
                "ambiguous": "ambiguous"}  # fmt: skip
    assert [outcome_of[n] for n in range(3)] == [expected[reanchored[pk]] for pk in order]
    assert sorted(outcome_of.values()) == ["exact", "fuzzy", "refused"]
