"""The placement algorithm on its own: strings in, placements out (no database)."""

from __future__ import annotations

import pytest

from annotate.reanchoring.anchoring import (
    Outcome,
    RevisionText,
    Source,
    combined_score,
    context_around,
    place,
)

FLOOR = 80.0


def source(paragraphs: list[str], position: int, quote: str, occurrence: int = 0) -> Source:
    text = paragraphs[position - 1]
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    return Source(position, start, end, quote, *context_around(text, start, end))


def placed(old: list[str], new: list[str], position: int, quote: str, occurrence: int = 0):
    result = place(
        source(old, position, quote, occurrence),
        RevisionText(new, context_length=32),
        min_score=FLOOR,
    )
    if result.position is not None:
        found = new[result.position - 1][result.start : result.end]
        return result.outcome, result.position, result.start, result.end, found
    return result.outcome, None, None, None, None


OLD = [
    "Officials met in Doha on Tuesday. The talks were about a ceasefire.",
    "Qatar condemned the strike. It called the attack a violation of its sovereignty.",
]


def test_unchanged_text_keeps_every_span():
    assert placed(OLD, OLD, 2, "Qatar condemned the strike") == (
        Outcome.KEPT, 2, 0, 26, "Qatar condemned the strike",
    )  # fmt: skip


def test_the_same_offsets_in_the_same_paragraph_position_are_kept_even_if_context_changed():
    new = [OLD[0], "Qatar condemned the strike! Nothing else."]

    assert placed(OLD, new, 2, "Qatar condemned the strike")[0] is Outcome.KEPT


def test_a_unique_exact_quote_elsewhere_is_moved():
    new = ["A new first paragraph.", *OLD]

    assert placed(OLD, new, 1, "The talks were about a ceasefire.") == (
        Outcome.MOVED, 2, 34, 67, "The talks were about a ceasefire.",
    )  # fmt: skip


def test_context_picks_the_one_occurrence_that_has_it():
    old = ["The strike hit Doha. Later, the strike was condemned."]
    new = ["Summary: the strike was condemned.", *old]

    assert placed(old, new, 1, "the strike", occurrence=0) == (
        Outcome.MOVED, 2, 28, 38, "the strike",
    )  # fmt: skip


def test_a_short_quote_found_once_in_another_sentence_is_only_proposed():
    old = ["Israel struck Doha. Qatar said nothing yet.", "Markets were calm."]
    new = ["Israel struck Doha.", "Markets in Qatar were calm."]

    assert placed(old, new, 1, "Qatar") == (Outcome.AMBIGUOUS, 2, 11, 16, "Qatar")
    assert place(
        source(old, 1, "Qatar"), RevisionText(new, context_length=32), min_score=FLOOR
    ).needs_review


def test_a_typo_fix_is_placed_by_similarity_on_word_boundaries():
    old = ["Loud explosions were heard in teh capital, witnesses said."]
    new = ["Loud explosions were heard in the capital, witnesses said."]

    assert placed(old, new, 1, "heard in teh capital") == (
        Outcome.FUZZY, 1, 21, 41, "heard in the capital",
    )  # fmt: skip


def test_a_longer_rewording_finds_the_whole_new_phrase():
    old = ["He said the strike was precise and targeted leaders only, officials added."]
    new = ["He said the strike was very precise and targeted leaders only, officials added."]

    result = placed(old, new, 1, "the strike was precise and targeted leaders only")

    assert result == (
        Outcome.FUZZY, 1, 8, 61, "the strike was very precise and targeted leaders only",
    )  # fmt: skip


def test_a_look_alike_sentence_elsewhere_is_not_taken():
    old = [
        "Israel took responsibility for the strikes, the army said.",
        "His office claimed full responsibility for the strike in a statement.",
    ]
    new = [old[1]]

    assert placed(old, new, 1, "took responsibility for the strikes")[0] is Outcome.ORPHANED


def test_a_quote_longer_than_any_new_paragraph_can_still_be_placed():
    old = ["The army said the strike was precise. Officials disagreed."]
    new = ["The army said the strike was precise.", "Officials disagreed strongly."]

    result = placed(old, new, 1, "The army said the strike was precise. Officials")

    assert result[0] is Outcome.ORPHANED  # it crossed the new paragraph break


def test_the_floor_decides_between_fuzzy_and_orphaned():
    old = ["Casualties: the number is unknown, officials said."]
    new = ["Casualties: the number is not known, officials said."]
    text = RevisionText(new, context_length=32)
    span = source(old, 1, "the number is unknown")

    lenient = place(span, text, min_score=60)
    strict = place(span, text, min_score=99)

    assert (lenient.outcome, new[0][lenient.start : lenient.end]) == (
        Outcome.FUZZY,
        "the number is not known",
    )
    assert (strict.outcome, strict.position, strict.start, strict.end) == (
        Outcome.ORPHANED, None, None, None,
    )  # fmt: skip


def test_offsets_count_code_points():
    old = ["Crowds 🙂 cheered in Doha 🙂 today."]
    new = ["Update: crowds 🙂 cheered in Doha 🙂 today."]

    assert placed(old, new, 1, "cheered in Doha 🙂") == (
        Outcome.MOVED, 1, 17, 34, "cheered in Doha 🙂",
    )  # fmt: skip


def test_a_missing_context_side_is_left_out_of_the_score():
    assert combined_score(90.0, None, 100.0) == (0.5 * 90 + 0.25 * 100) / 0.75
    assert combined_score(90.0, 100.0, 100.0) == 95.0
    assert combined_score(80.0, None, None) == 80.0


# Paragraph splits, merges and reorders, each with and without a look-alike: the same
# quote elsewhere in the new text, in other surroundings. An exact quote that still exists
# is never orphaned; the occurrence whose surviving context agrees is placed.
STRIKE = "On Tuesday, Israel struck Doha. Qatar condemned the strike. Officials met at noon."
QUOTE = "Qatar condemned the strike"
LOOK_ALIKE = "Analysts said Qatar condemned the strike only mildly."
EDITS = {
    # The split cuts the suffix: the quote now ends its paragraph but for the full stop.
    "split after": (
        ["On Tuesday, Israel struck Doha. Qatar condemned the strike.", "Officials met at noon."],
        1,
        32,
    ),
    # The split cuts the prefix: the quote now opens its paragraph.
    "split before": (
        ["On Tuesday, Israel struck Doha.", "Qatar condemned the strike. Officials met at noon."],
        2,
        0,
    ),
    "merged": ([f"Markets were calm. {STRIKE}"], 1, 51),
    "reordered": ([STRIKE, "Markets were calm."], 1, 32),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("look_alike", [False, True], ids=["alone", "with a look-alike"])
def test_an_exact_quote_keeping_its_surviving_context_is_moved(edit, look_alike):
    old = ["Markets were calm.", STRIKE]
    new, position, start = EDITS[edit]
    new = [*new, LOOK_ALIKE] if look_alike else new

    assert placed(old, new, 2, QUOTE) == (
        Outcome.MOVED, position, start, start + len(QUOTE), QUOTE,
    )  # fmt: skip


def test_a_look_alike_alone_in_its_paragraph_does_not_tie_with_the_context_that_survived():
    old = [STRIKE]
    new = [QUOTE, *EDITS["split after"][0]]

    assert placed(old, new, 1, QUOTE) == (Outcome.MOVED, 2, 32, 58, QUOTE)


def test_two_occurrences_that_kept_the_same_surviving_context_are_a_tie_to_review():
    old = [STRIKE]
    cut = "On Tuesday, Israel struck Doha. Qatar condemned the strike."
    new = ["Later: " + cut, "Officials met at noon.", cut]

    # Proposed nearest the old place, but flagged.
    assert placed(old, new, 1, QUOTE) == (Outcome.AMBIGUOUS, 1, 39, 65, QUOTE)


def test_an_exact_quote_in_unlike_surroundings_is_proposed_never_orphaned():
    old = ["Israel struck Doha. Qatar said nothing yet.", "Markets were calm."]
    new = ["Israel struck Doha.", "Markets in Qatar were calm.", "Qatar hosts a base."]

    result = place(source(old, 1, "Qatar"), RevisionText(new, context_length=32), min_score=FLOOR)

    assert (result.outcome, result.position) == (Outcome.AMBIGUOUS, 2)
    assert result.score is not None
    assert result.score < FLOOR  # the proposal is weak


def test_fuzzy_matching_looks_only_at_paragraphs_that_share_the_quotes_words():
    # The cost of an import grows with its text, not with spans × paragraphs: a quote
    # that is no longer exact is compared with the paragraphs sharing its words only.
    filler = [f"Paragraph {n}: markets stayed calm and the weather was fair." for n in range(5000)]
    typo = "Loud explosions were heard in the capital, witnesses said."
    new = [*filler[:2500], typo, *filler[2500:]]
    text = RevisionText(new, context_length=32)

    assert text.sharing_words({"heard", "in", "teh", "capital"}) == [2501]
    everywhere = set(range(1, 5002)) - {2501}
    assert text.sharing_words({"markets", "calm", "strike"}) == sorted(everywhere)
    old = [typo.replace(" the ", " teh ")]
    assert placed(old, new, 1, "heard in teh capital") == (
        Outcome.FUZZY, 2501, 21, 41, "heard in the capital",
    )  # fmt: skip
