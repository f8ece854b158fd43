"""The plain-text report format that `import_article` reads.

A UTF-8 file; paragraphs are separated by one or more blank lines. It may open with
front matter between two lines of three dashes, one ``key: value`` per line::

    ---
    title: Israel strikes Hamas officials in Doha
    date: 2025-09-09
    publisher:
    url: https://example.org/report
    ---
    First paragraph (the standfirst)...

The parser is pure (bytes in, ParsedReport out) so that the command, the admin upload
and the tests share one definition of what a valid file is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePath

FRONT_MATTER_KEYS = {"title", "slug", "date", "publisher", "url", "language", "note"}
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


class ReportFormatError(ValueError):
    """The file is not a report this importer can read; the message says why."""


@dataclass(frozen=True)
class ParsedReport:
    paragraphs: list[str]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def published_on(self) -> dt.date | None:
        return dt.date.fromisoformat(self.meta["date"]) if self.meta.get("date") else None


def parse_report(data: bytes) -> ParsedReport:
    if not data.strip():
        raise ReportFormatError("the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportFormatError(
            f"the file is not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from error
    if "\x00" in text:
        raise ReportFormatError("the file contains a NUL character, so it is not a text file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _split_front_matter(text)
    paragraphs = [block.strip() for block in _BLANK_LINES.split(body)]
    paragraphs = [block for block in paragraphs if block]
    if not paragraphs:
        raise ReportFormatError("the file has no paragraphs")
    return ParsedReport(paragraphs=paragraphs, meta=meta)


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ReportFormatError("the front matter opened with --- is never closed")
    meta: dict[str, str] = {}
    for number, line in enumerate(text[4:end].split("\n"), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in FRONT_MATTER_KEYS:
            raise ReportFormatError(
                f"front matter line {number} is not one of "
                f"{', '.join(sorted(FRONT_MATTER_KEYS))} followed by a colon: {line!r}"
            )
        meta[key] = value.strip()
    if meta.get("date"):
        try:
            dt.date.fromisoformat(meta["date"])
        except ValueError as error:
            raise ReportFormatError(
                f"front matter date {meta['date']!r} is not a date like 2025-09-09"
            ) from error
    return meta, text[end + 5 :]


def title_from_file_name(name: str) -> str:
    """A working title for a report that names none: its file name, readable.

    A plain text file is the most common thing a newcomer imports, and its name is the only
    title it has; the first paragraph is the standfirst, part of the text, so it cannot
    double as a title. ``gaza_ceasefire-talks.txt`` becomes "Gaza ceasefire talks".
    """
    stem = PurePath(name).stem
    words = re.sub(r"[\s_-]+", " ", stem).strip()
    return words[:1].upper() + words[1:]
