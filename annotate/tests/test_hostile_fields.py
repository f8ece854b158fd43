"""The map of text fields the hostile-input tests work from, and the check they use."""

from __future__ import annotations

import pytest

from annotate.tests.hostile_text import MARKUP, TEXT_FIELDS, assert_inert, text_fields


def test_every_text_field_of_every_model_says_how_it_is_written():
    assert set(TEXT_FIELDS) == text_fields()


@pytest.mark.parametrize(
    "html",
    [
        f"<p>{MARKUP['script']}</p>",
        f'<input value="{MARKUP["attribute_breakout"]}">',
        f"<p title='{MARKUP['single_quote_breakout']}'>",
        '<a href=" JavaScript:alert(1)">x</a>',
        '<form action="data:text/html,x"></form>',
        "<iframe src=/></iframe>",
    ],
)
def test_the_inertness_check_catches_markup_that_escaped(html):
    with pytest.raises(AssertionError):
        assert_inert(html)


def test_the_inertness_check_accepts_escaped_markup_and_finds_it_as_text():
    escaped = '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><input value="&quot;&gt;&lt;img">'

    assert_inert(escaped, "<script>alert(1)</script>", '"><img')
