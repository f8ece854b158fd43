"""A span's quote is exactly the paragraph's text between its offsets, in code points."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotate import services
from annotate.models import Claim, Span
from articles.services import revision_create

pytestmark = pytest.mark.django_db


def paragraph_of(article, position):
    return article.revisions.get().paragraphs.get(position=position)


def create_span(paragraph, quote, user, *, start=None, end=None):
    start = paragraph.text.index(quote) if start is None else start
    end = start + len(quote) if end is None else end
    return services.span_create(paragraph=paragraph, start=start, end=end, quote=quote, user=user)


def test_it_saves_a_quote_with_curly_quotes_and_dashes(seed_article, reviewer):
    paragraph = paragraph_of(seed_article, 4)
    quote = "“The [Israel Defense Forces] and [Israeli Security Agency]"

    span = create_span(paragraph, quote, reviewer)

    span.refresh_from_db()
    assert span.start == 0
    assert span.end == len(quote) == 58
    assert paragraph.text[span.start : span.end] == span.quote == quote
    assert span.prefix == ""
    assert span.suffix == paragraph.text[58:90]
    assert span.created_by == reviewer


def test_it_keeps_32_characters_of_context(seed_article, reviewer):
    paragraph = paragraph_of(seed_article, 7)
    quote = "a key party in the ceasefire negotiations between Israel and Hamas"

    span = create_span(paragraph, quote, reviewer)

    assert span.prefix == "known time that Israel has struck Qatar — "[-32:]
    assert len(span.prefix) == len(span.suffix) == 32
    assert span.suffix.startswith(" — amid its genocide in Gaza.")


def test_offsets_count_code_points_not_utf16_units(seed_article, reviewer):
    revision_create(
        article=seed_article,
        paragraphs=["Standfirst.", "Smoke 🔥 rose over Doha 🇶🇦 at dusk."],
    )
    paragraph = seed_article.revisions.get(number=2).paragraphs.get(position=2)

    # In UTF-16 "🔥" takes two units, so a browser sees "rose" at 9; here it is at 8.
    span = create_span(paragraph, "🔥 rose over Doha 🇶🇦", reviewer)

    # The flag is two code points (regional indicators Q and A), four UTF-16 units.
    assert (span.start, span.end) == (6, 25)
    assert paragraph.text[6:25] == "🔥 rose over Doha 🇶🇦"
    with pytest.raises(ValidationError) as raised:
        create_span(paragraph, "rose", reviewer, start=9)  # UTF-16 offset, unconverted
    assert raised.value.message_dict == {
        "quote": ["Does not match the paragraph's text between start and end."]
    }


@pytest.mark.parametrize(
    ("start", "end", "quote", "field"),
    [
        (1, 7, "Israel", "quote"),  # off by one: "Israel" is at 0
        (10, 4, "x", "end"),
        (3, 3, "", "end"),
        (-1, 4, "x", "start"),
        (0, 10_000, "x", "end"),
        ("0", 6, "Israel", "start"),
        (0, 6, None, "quote"),
    ],
)
def test_it_refuses_a_span_that_does_not_select_its_quote(
    seed_article, reviewer, start, end, quote, field
):
    paragraph = paragraph_of(seed_article, 2)
    assert paragraph.text.startswith("Israel struck")

    with pytest.raises(ValidationError) as raised:
        services.span_create(paragraph=paragraph, start=start, end=end, quote=quote, user=reviewer)

    assert list(raised.value.message_dict) == [field]
    assert Span.objects.count() == 0


def test_it_refuses_a_paragraph_of_an_old_revision(seed_article, reviewer):
    old = paragraph_of(seed_article, 2)
    revision_create(article=seed_article, paragraphs=["A newer text."])

    with pytest.raises(ValidationError) as raised:
        create_span(old, "Israel struck", reviewer)

    assert list(raised.value.message_dict) == ["paragraph"]


def test_a_researcher_cannot_make_spans(seed_article, researcher):
    with pytest.raises(PermissionDenied):
        create_span(paragraph_of(seed_article, 2), "Israel struck", researcher)


def test_claim_with_span_writes_nothing_when_the_claim_is_invalid(seed_article, reviewer):
    paragraph = paragraph_of(seed_article, 2)

    with pytest.raises(ValidationError) as raised:
        services.claim_create_with_span(
            paragraph=paragraph,
            start=0,
            end=6,
            quote="Israel",
            statement="Israel struck Doha",
            kind="rumour",
            user=reviewer,
        )

    assert list(raised.value.message_dict) == ["kind"]
    assert (Span.objects.count(), Claim.objects.count()) == (0, 0)
