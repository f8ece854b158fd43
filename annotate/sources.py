"""Sources as shared records: one Source per document, found by its normalised URL.

Two citations of "HTTP://Example.com:80/a#top" and "http://example.com/a" cite one
document, so they must find one Source. url-normalize (RFC 3986 normalisation: case of
scheme and host, default ports, dot segments, percent-encoding) does the work; we drop
the fragment as well, which points into a document rather than at another one. Query
parameters stay: `?id=3` can name a different article, and no list of "tracking"
parameters is safe to strip for every site.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from url_normalize import url_normalize

from annotate.models import Reliability

# Worst first. F ("cannot be judged") is no rating at all rather than one below E, so
# merging keeps the worst letter anyone judged, and F only when nobody could judge.
WORST_FIRST = [Reliability.E, Reliability.D, Reliability.C, Reliability.B, Reliability.A]


def normalise_url(url: str) -> str:
    """The form a source's URL is stored and looked up in (see the module docstring)."""
    normal = url_normalize(url.strip()) or ""
    parts = urlsplit(normal)
    return urlunsplit(parts._replace(fragment=""))


def worst_reliability(letters: list[str]) -> str:
    """The letter kept where records of one source disagree: the worst judged (E worst),
    F only when no one judged it."""
    for letter in WORST_FIRST:
        if letter in letters:
            return letter
    return Reliability.F
