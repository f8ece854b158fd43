"""The seed report's contradiction, as claims to link: al-Hayya "was not killed" against
"Saudi Arabian media put out a conflicting report" (both in paragraph 5)."""

from __future__ import annotations

from annotate.tests.factories import make_claim

NOT_KILLED = "was not killed in the strike"
CONFLICTING = "Saudi Arabian media put out a conflicting report"
UNKNOWN = "The number of casualties is currently unknown."


def seed_claims(article, user, *quotes: str) -> list:
    """Claims by `user` on the given quotes of the seed report's paragraph 5."""
    paragraph = article.revisions.get().paragraphs.get(position=5)
    return [make_claim(paragraph=paragraph, quote=quote, user=user) for quote in quotes]
