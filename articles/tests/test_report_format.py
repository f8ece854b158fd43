from __future__ import annotations

import datetime as dt

import pytest

from articles.report_format import ReportFormatError, parse_report


def test_it_splits_paragraphs_on_blank_lines():
    report = parse_report(b"One.\n\nTwo,\nstill two.\n \n\n\nThree.\n")
    assert report.paragraphs == ["One.", "Two,\nstill two.", "Three."]
    assert report.meta == {}


def test_it_reads_front_matter():
    report = parse_report(
        b"---\ntitle: A title: with colon\ndate: 2025-09-09\npublisher:\n"
        b"url: https://example.org/a\n---\nBody.\n"
    )
    assert report.meta == {
        "title": "A title: with colon",
        "date": "2025-09-09",
        "publisher": "",
        "url": "https://example.org/a",
    }
    assert report.published_on == dt.date(2025, 9, 9)
    assert report.paragraphs == ["Body."]


def test_it_accepts_windows_line_endings_and_a_byte_order_mark():
    report = parse_report("\ufeffFirst “quoted”.\r\n\r\nSecond — dash.\r\n".encode())
    assert report.paragraphs == ["First “quoted”.", "Second — dash."]


def test_it_keeps_non_bmp_characters():
    assert parse_report("Flag 🇶🇦 and 🔥.".encode()).paragraphs == ["Flag 🇶🇦 and 🔥."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" \n\n \t\n", "the file is empty"),
        (b"caf\xe9 au lait", "not UTF-8"),
        (b"text\x00more", "NUL character"),
        (b"---\ntitle: Only front matter\n---\n\n\n", "no paragraphs"),
        (b"---\ntitle: Never closed\nBody\n", "never closed"),
        (b"---\nheadline: Unknown key\n---\nBody\n", "front matter line 2"),
        (b"---\ndate: 9 September\n---\nBody\n", "is not a date"),
    ],
)
def test_it_rejects_bad_files_with_a_clear_reason(data, message):
    with pytest.raises(ReportFormatError, match=message):
        parse_report(data)
