from __future__ import annotations

from dataclasses import dataclass

from annotate.highlights import segments


@dataclass(frozen=True)
class Mark:
    start: int
    end: int


def test_it_covers_the_text_exactly_once():
    text = "The strike came as officials met."
    parts = segments(text, [Mark(4, 10), Mark(0, 33)])
    assert "".join(p.text for p in parts) == text
    assert [(p.start, p.end) for p in parts] == [(0, 4), (4, 10), (10, 33)]


def test_a_nested_span_shows_inside_its_outer_one():
    outer, inner = Mark(0, 20), Mark(5, 9)
    parts = segments("x" * 25, [inner, outer])
    assert [p.spans for p in parts] == [(outer,), (outer, inner), (outer,), ()]


def test_overlapping_spans_split_at_every_boundary():
    a, b = Mark(2, 8), Mark(5, 12)
    parts = segments("abcdefghijklmn", [a, b])
    assert [(p.text, p.spans) for p in parts] == [
        ("ab", ()),
        ("cde", (a,)),
        ("fgh", (b, a)),  # longest first
        ("ijkl", (b,)),
        ("mn", ()),
    ]


def test_spans_with_the_same_range_share_segments():
    a, b = Mark(0, 3), Mark(0, 3)
    parts = segments("abc", [a, b])
    assert len(parts) == 1
    assert set(parts[0].spans) == {a, b}


def test_offsets_are_code_points():
    text = "Flags 🇶🇦 and 🙂 here"
    start = text.index("🙂")
    parts = segments(text, [Mark(start, start + 1)])
    assert [p.text for p in parts] == ["Flags 🇶🇦 and ", "🙂", " here"]


def test_a_span_outside_the_text_is_left_out():
    parts = segments("short", [Mark(2, 40)])
    assert [(p.text, p.spans) for p in parts] == [("short", ())]


def test_no_spans_give_one_plain_segment():
    assert [(p.text, p.spans) for p in segments("plain", [])] == [("plain", ())]
