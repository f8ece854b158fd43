"""Where a quoted passage of one revision of a report sits in the next: the pure algorithm.

Strings in, placements out, no database: `reanchor` (beside it in annotate.reanchoring)
loads spans and paragraphs, calls `place` once per span and writes the results in bulk.

A span is placed by the first rule that holds, cheapest first:

1. kept: the paragraph at the same position still holds the exact quote at the same
   offsets;
2. moved: the quote occurs exactly once in the new text; or several times but exactly one
   occurrence has the old prefix and suffix around it; or, when none has both, exactly
   one keeps its surviving context: one side exactly as before, the other as far as the
   paragraph now goes (a split cut it off). The exact quote without convincing context
   is *ambiguous* and only proposed for review, never orphaned: several occurrences
   without one clear winner (the one whose context is most alike is proposed), or a
   single occurrence in surroundings unlike the old ones (a short quote such as "Qatar"
   whose sentence was deleted but which occurs once elsewhere);
3. fuzzy: the window of a paragraph most like the quote, scored together with its
   context, reaches the score floor: proposed for review;
4. orphaned: nothing reaches the floor.

Scores run from 0 to 100 (rapidfuzz's scale): half the similarity of the quote, a quarter
each that of the prefix and of the suffix (a side with no old context, at a paragraph's
edge, is left out and the rest reweighted). Context counts that much so that a look-alike
sentence elsewhere in the report (same words, different surroundings) stays below the
floor: a span is never moved silently, and never proposed on similarity of words alone.
Only exact placements (kept, moved) are trusted; fuzzy and ambiguous ones need review.

Cost: a report may have 10,000 paragraphs and an article 1,000 spans. `RevisionText` is
prepared once per import, and a span costs a few searches of the joined text plus a look
at the paragraphs that share its words: never a pass over every paragraph in Python, so an
import grows with its text and its spans, not their product (bench/reanchor.py).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

CONTEXT_LENGTH = 32  # characters of prefix and suffix kept with a quote, to re-find it later
QUOTE_WEIGHT = 0.5  # the rest is split evenly between prefix and suffix
# Searching one string is much faster than searching each paragraph. A quote never holds
# a NUL character (the report format refuses them), so it never matches across the joint.
_JOINT = "\x00"
_WORD = re.compile(r"\w+")
# A bound equal to a score may be computed a hair below it: ties are still refined.
_ROUNDING = 1e-9


class Outcome(StrEnum):
    KEPT = "kept"
    MOVED = "moved"
    FUZZY = "fuzzy"
    AMBIGUOUS = "ambiguous"
    ORPHANED = "orphaned"


NEEDS_REVIEW = frozenset({Outcome.FUZZY, Outcome.AMBIGUOUS, Outcome.ORPHANED})


@dataclass(frozen=True)
class Source:
    """Where a span was in the old text: paragraph position (1..n), offsets and context."""

    position: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Placement:
    """Where a span goes in the new text; position, start and end are None when orphaned."""

    outcome: Outcome
    position: int | None = None
    start: int | None = None
    end: int | None = None
    score: float | None = None

    @property
    def needs_review(self) -> bool:
        return self.outcome in NEEDS_REVIEW


class RevisionText:
    """A revision's paragraphs, prepared once for the look-ups of every span.

    Exact look-ups search one joined string (C speed, however many paragraphs); fuzzy
    ones score only the paragraphs that share words with the quote, found through an
    index of the paragraphs' words built the first time one is needed. So an import
    costs in proportion to its text and its spans, not to their product.
    """

    def __init__(self, paragraphs: Sequence[str], *, context_length: int) -> None:
        self.paragraphs = list(paragraphs)
        self.context_length = context_length
        self._joined = _JOINT.join(self.paragraphs)
        self._offsets: list[int] = []
        offset = 0
        for text in self.paragraphs:
            self._offsets.append(offset)
            offset += len(text) + len(_JOINT)
        self._words: dict[str, list[int]] | None = None

    def paragraph(self, position: int) -> str | None:
        return self.paragraphs[position - 1] if 1 <= position <= len(self.paragraphs) else None

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Every (position, start) where the quote occurs exactly, in reading order."""
        found = []
        at = self._joined.find(quote)
        while at != -1:
            index = bisect.bisect_right(self._offsets, at) - 1
            found.append((index + 1, at - self._offsets[index]))
            at = self._joined.find(quote, at + 1)
        return found

    def context(self, position: int, start: int, end: int) -> tuple[str, str]:
        return context_around(self.paragraphs[position - 1], start, end, self.context_length)

    def sharing_words(self, words: set[str]) -> list[int]:
        """Positions of the paragraphs holding at least half of `words` (casefolded whole
        words), in reading order."""
        if self._words is None:
            self._words = {}
            for position, text in enumerate(self.paragraphs, start=1):
                for word in set(words_of(text)):
                    self._words.setdefault(word, []).append(position)
        counts: Counter[int] = Counter()
        for word in words:
            counts.update(self._words.get(word, ()))
        needed = (len(words) + 1) // 2
        return sorted(position for position, count in counts.items() if count >= needed)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def context_around(
    text: str, start: int, end: int, length: int = CONTEXT_LENGTH
) -> tuple[str, str]:
    """The prefix and suffix kept with the quote text[start:end] of a paragraph: up to
    `length` characters each side, within the paragraph. The one rule for a span when it
    is made, re-attached or re-anchored, so that the next re-anchoring compares like
    with like."""
    return text[max(0, start - length) : start], text[end : end + length]


def combined_score(quote: float, prefix: float | None, suffix: float | None) -> float:
    """Weighted similarity; a side without old context (None) is left out, not guessed."""
    side = (1 - QUOTE_WEIGHT) / 2
    parts = [(QUOTE_WEIGHT, quote)] + [(side, s) for s in (prefix, suffix) if s is not None]
    return sum(weight * score for weight, score in parts) / sum(weight for weight, _ in parts)


def place(source: Source, text: RevisionText, *, min_score: float) -> Placement:
    """Place one span in the new text by the first rule that holds (see the module)."""
    same = text.paragraph(source.position)
    if same is not None and same[source.start : source.end] == source.quote:
        return Placement(Outcome.KEPT, source.position, source.start, source.end, 100.0)

    # The quote with its whole old context, found once: the commonest case after an
    # insertion or a move, decided by one search however often the quote itself occurs.
    in_context = text.occurrences(source.prefix + source.quote + source.suffix)
    if len(in_context) == 1:
        position, start = in_context[0]
        return _exact(Outcome.MOVED, source, (position, start + len(source.prefix)), 100.0)
    hits = text.occurrences(source.quote)
    if len(hits) == 1:
        return _only_occurrence(source, text, hits[0], min_score)
    if hits:
        agreeing = [(position, start + len(source.prefix)) for position, start in in_context]
        return _among_occurrences(source, text, hits, agreeing)
    return _fuzzy(source, text, min_score)


def _exact(outcome: Outcome, source: Source, hit: tuple[int, int], score: float) -> Placement:
    position, start = hit
    return Placement(outcome, position, start, start + len(source.quote), score)


def _comparable(source: Source, text: RevisionText, position: int, start: int, end: int):
    """Old and new prefix and suffix, the new cut to the length of the old.

    A new side shorter than the old one (the quote now ends its paragraph) is compared as
    it is: context that disappeared counts against the match. An empty old side (the quote
    began or ended its paragraph) says nothing: it agrees with anything, and similarity
    scores leave it out.
    """
    prefix, suffix = text.context(position, start, end)
    p, q = len(source.prefix), len(source.suffix)
    return (source.prefix, prefix[max(0, len(prefix) - p) :]), (source.suffix, suffix[:q])


class Side(StrEnum):
    """How one side of an occurrence's new context compares with the old."""

    SAME = "same"  # as before (or there was none before: the quote began or ended it)
    CUT = "cut"  # as before as far as it goes, but the paragraph now ends sooner
    DIFFERS = "differs"


def _side(old: str, new: str, *, before: bool) -> Side:
    if new == old:
        return Side.SAME
    # `new` is cut to the old length, so it is shorter only at the paragraph's edge.
    if len(new) < len(old) and (old.endswith(new) if before else old.startswith(new)):
        return Side.CUT
    return Side.DIFFERS


def _sides(
    source: Source, text: RevisionText, position: int, start: int, end: int
) -> tuple[Side, Side]:
    (old_prefix, new_prefix), (old_suffix, new_suffix) = _comparable(
        source, text, position, start, end
    )
    return _side(old_prefix, new_prefix, before=True), _side(old_suffix, new_suffix, before=False)


def _keeps_surviving_context(source: Source, sides: tuple[Side, Side]) -> bool:
    """Nothing around the occurrence contradicts the old context, and one side that had
    context keeps all of it: what a paragraph split leaves. A look-alike standing alone
    in its paragraph (both sides cut away) contradicts nothing but shows nothing either."""
    prefix, suffix = sides
    if Side.DIFFERS in sides:
        return False
    return (prefix is Side.SAME and bool(source.prefix)) or (
        suffix is Side.SAME and bool(source.suffix)
    )


def _context_score(
    source: Source, text: RevisionText, position: int, start: int, end: int
) -> tuple[float | None, float | None]:
    (old_prefix, new_prefix), (old_suffix, new_suffix) = _comparable(
        source, text, position, start, end
    )
    return (
        fuzz.ratio(old_prefix, new_prefix) if old_prefix else None,
        fuzz.ratio(old_suffix, new_suffix) if old_suffix else None,
    )


def _only_occurrence(
    source: Source, text: RevisionText, hit: tuple[int, int], min_score: float
) -> Placement:
    """One exact occurrence moves the span, unless nothing around it is the same.

    One side of the context agreeing is enough: the sentence before or after a quote is
    often what an editor changed, or a split or merge cut it off. A short quote ("Qatar",
    "the strike") whose sentence was deleted may well occur once in another sentence,
    with neither side alike: that is a look-alike, so it is only proposed.
    """
    position, start = hit
    sides = _context_score(source, text, position, start, start + len(source.quote))
    known = [score for score in sides if score is not None]
    if not known or max(known) >= min_score:
        return _exact(Outcome.MOVED, source, hit, 100.0)
    return _exact(Outcome.AMBIGUOUS, source, hit, combined_score(100.0, *sides))


def _among_occurrences(
    source: Source,
    text: RevisionText,
    hits: list[tuple[int, int]],
    agreeing: list[tuple[int, int]],
) -> Placement:
    """Several exact occurrences (`hits`), `agreeing` those with both sides as before:
    the one that kept its context moves the span.

    Both sides as before decide first. Failing that, one side as before and the other
    cut off by a paragraph split (see `_keeps_surviving_context`) is as sound as the one
    agreeing side `_only_occurrence` accepts, provided no other occurrence has as much.
    Otherwise the best is proposed for review: the quote still exists, so it is never
    orphaned, however unlike its surroundings.
    """
    if not agreeing:
        end_of = len(source.quote)
        agreeing = [
            (p, s)
            for p, s in _one_side_kept(source, text)
            if _keeps_surviving_context(source, _sides(source, text, p, s, s + end_of))
        ]
    if len(agreeing) == 1:
        return _exact(Outcome.MOVED, source, agreeing[0], 100.0)
    candidates = agreeing or hits
    scores = _context_scores(source, text, candidates)
    # An occurrence cut out of words as the old quote was (usually: whole words) before
    # any other; then the most alike; among equals, the nearest the old place: a passage
    # repeated verbatim elsewhere (a summary quoting it, say) should not pull it away.
    score, hit = max(
        zip(scores, candidates, strict=True),
        key=lambda item: (
            _edges_as_before(source, text, item[1]),
            item[0],
            -abs(item[1][0] - source.position),
            -abs(item[1][1] - source.start),
        ),
    )
    return _exact(Outcome.AMBIGUOUS, source, hit, score)


def _edges_as_before(source: Source, text: RevisionText, hit: tuple[int, int]) -> bool:
    """Whether the occurrence starts and ends inside a word exactly where the old quote
    did: "Hamas leaders" selected as two words is not proposed inside "Hamas leadership"
    when it also occurs as words."""
    position, start = hit
    paragraph, end = text.paragraphs[position - 1], start + len(source.quote)
    quote = source.quote

    def inside(before: str, after: str) -> bool:
        return bool(before and after) and _is_word(before) and _is_word(after)

    return inside(source.prefix[-1:], quote[0]) == inside(
        paragraph[start - 1 : start], quote[0]
    ) and inside(quote[-1], source.suffix[:1]) == inside(quote[-1], paragraph[end : end + 1])


def _one_side_kept(source: Source, text: RevisionText) -> list[tuple[int, int]]:
    """The occurrences with their old prefix or their old suffix (where there was one)
    right beside them, in reading order: two searches instead of a look at each."""
    found = set()
    if source.prefix:
        shift = len(source.prefix)
        found.update((p, s + shift) for p, s in text.occurrences(source.prefix + source.quote))
    if source.suffix:
        found.update(text.occurrences(source.quote + source.suffix))
    return sorted(found)


def _context_scores(source: Source, text: RevisionText, hits: list[tuple[int, int]]) -> list[float]:
    """`combined_score` of each exact occurrence, as `_context_score` would give it: a
    short quote may occur thousands of times, so this is `_comparable` unrolled."""
    old_prefix, old_suffix, size = source.prefix, source.suffix, len(source.quote)
    before = min(len(old_prefix), text.context_length)
    after = min(len(old_suffix), text.context_length)
    paragraphs, ratio = text.paragraphs, fuzz.ratio
    scores = []
    for position, start in hits:
        paragraph, end = paragraphs[position - 1], start + size
        new_prefix = paragraph[max(0, start - before) : start]
        prefix = ratio(old_prefix, new_prefix) if old_prefix else None
        suffix = ratio(old_suffix, paragraph[end : end + after]) if old_suffix else None
        scores.append(combined_score(100.0, prefix, suffix))
    return scores


def _fuzzy(source: Source, text: RevisionText, min_score: float) -> Placement:
    """The most alike passage of the paragraphs that share words with the quote.

    Each candidate's window is found by partial_ratio, then its edges refined and its
    context scored (`_refine`, `_context_score`): the costly part. So candidates are
    refined best bound first, and one whose bound (`_score_bound`) is below the best
    score so far is not refined at all: the result is the one refining every candidate
    gives, ties going to the earliest paragraph.
    """
    quote = source.quote
    # A paragraph whose best window is less like the quote than this cannot reach the
    # floor even with perfect context; the fixed-length windows of partial_ratio can
    # underrate an insertion or deletion a little, hence the slack.
    needed = (min_score - (1 - QUOTE_WEIGHT) * 100) / QUOTE_WEIGHT
    cutoff = max(0.0, needed - 10)
    windows = []
    for position in _fuzzy_candidates(source, text):
        paragraph = text.paragraphs[position - 1]
        if len(paragraph) >= len(quote):
            found = fuzz.partial_ratio_alignment(quote, paragraph, score_cutoff=cutoff)
            if found is None:
                continue
            window = (found.dest_start, found.dest_end)
        elif fuzz.ratio(quote, paragraph) >= cutoff:
            window = (0, len(paragraph))
        else:
            continue
        windows.append((_score_bound(source, text, paragraph, *window), position, window))
    best: Placement | None = None
    for bound, position, window in sorted(windows, key=lambda item: (-item[0], item[1])):
        if best is not None and bound < (best.score or 0) - _ROUNDING:
            break
        start, end, similarity = _refine(source, text.paragraphs[position - 1], *window)
        score = combined_score(similarity, *_context_score(source, text, position, start, end))
        if best is None or (score, -position) > (best.score or 0, -(best.position or 0)):
            best = Placement(Outcome.FUZZY, position, start, end, score)
    if best is None or (best.score or 0) < min_score:
        return Placement(Outcome.ORPHANED, score=best.score if best else None)
    return best


def _slack(quote: str) -> int:
    """How far `_refine` moves a window's edges."""
    return max(3, len(quote) // 4)


def _at_most(old: str, wider: str, shortest: int) -> float:
    """An upper bound of fuzz.ratio(old, new) for every `new` of at least `shortest`
    characters taken from `wider`: their longest common subsequence is no longer than
    old's with all of `wider` (rapidfuzz's ratio is 2 * LCS / (len(old) + len(new)))."""
    common = LCSseq.similarity(old, wider)
    return min(100.0, 200.0 * common / max(1, len(old) + max(shortest, common)))


def _score_bound(source: Source, text: RevisionText, paragraph: str, start: int, end: int) -> float:
    """No placement `_refine` can make from this window scores more (it moves each edge
    by at most the slack): three LCS lengths in C instead of refining."""
    quote, slack, size = source.quote, _slack(source.quote), len(paragraph)
    lowest, highest = max(0, start - slack), min(size, end + slack)
    p, q = len(source.prefix), len(source.suffix)
    kept = text.context_length  # the new context is cut to the old's length, and to this
    # A window is at least as long as what it shares with the quote.
    similarity = _at_most(quote, paragraph[lowest:highest], 0)
    prefix = suffix = None
    if p:
        before = paragraph[max(0, lowest - p) : min(size, start + slack)]
        prefix = _at_most(source.prefix, before, min(p, kept, lowest))
    if q:
        after = paragraph[max(0, end - slack) : highest + q]
        suffix = _at_most(source.suffix, after, min(q, kept, size - highest))
    return combined_score(similarity, prefix, suffix)


def _fuzzy_candidates(source: Source, text: RevisionText) -> Sequence[int]:
    """The paragraphs worth scoring: those sharing at least half the quote's words.

    A passage at least 60% like the quote (what the floor needs, with perfect context)
    keeps most of its words: a typo or an inserted word changes one of several. A word
    cut by the old selection (a quote starting or ending inside a word) is left out, as
    it is no word of the text. A quote with no whole word (a fragment of one word) is
    compared with every paragraph.
    """
    words = words_of(source.quote)
    if words and source.prefix and _is_word(source.prefix[-1]) and _is_word(source.quote[0]):
        words = words[1:]
    if words and source.suffix and _is_word(source.suffix[0]) and _is_word(source.quote[-1]):
        words = words[:-1]
    if not words:
        return range(1, len(text.paragraphs) + 1)
    return text.sharing_words(set(words))


def _is_word(char: str) -> bool:
    return char.isalnum()


def _refine(source: Source, paragraph: str, start: int, end: int) -> tuple[int, int, float]:
    """Adjust a window's edges to the span most like the quote.

    partial_ratio compares windows as long as the quote; an edit that adds or removes
    characters needs the edges moved. Where the old quote began or ended on a word
    boundary, only word boundaries are tried, which is both faster and what a reader
    would have selected.
    """
    quote, size = source.quote, len(paragraph)
    slack = _slack(quote)
    starts = range(max(0, start - slack), min(size - 1, start + slack) + 1)
    ends = range(max(1, end - slack), min(size, end + slack) + 1)
    if _is_word(quote[0]) and not (source.prefix and _is_word(source.prefix[-1])):
        starts = [s for s in starts if _is_word(paragraph[s]) and not (
            s > 0 and _is_word(paragraph[s - 1]))] or starts  # fmt: skip
    if _is_word(quote[-1]) and not (source.suffix and _is_word(source.suffix[0])):
        ends = [e for e in ends if _is_word(paragraph[e - 1]) and not (
            e < size and _is_word(paragraph[e]))] or ends  # fmt: skip
    best = (-1.0, 0, 0, start, end)
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            similarity = fuzz.ratio(quote, paragraph[s:e])
            # Prefer the most alike; then the length closest to the quote's; then the
            # window partial_ratio found.
            key = (similarity, -abs((e - s) - len(quote)), -abs(s - start), s, e)
            if key[:3] > best[:3]:
                best = key
    similarity, _, _, s, e = best
    return s, e, similarity
