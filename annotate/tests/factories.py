"""factory_boy factories. Spans go through the service so that every span in a test
obeys the quote rule, as in production."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from annotate import services
from annotate.models import AnalyticConfidence, ClaimKind, Credibility, Stance
from articles.models import Paragraph

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_claim(
    *,
    paragraph: Paragraph,
    quote: str,
    user,
    statement: str = "",
    kind: str = ClaimKind.FACTUAL,
    occurrence: int = 0,
):
    """A claim on the given quote of a paragraph (its n-th occurrence), via the services."""
    start = -1
    for _ in range(occurrence + 1):
        start = paragraph.text.index(quote, start + 1)
    return services.claim_create_with_span(
        paragraph=paragraph,
        start=start,
        end=start + len(quote),
        quote=quote,
        statement=statement or quote,
        kind=kind,
        user=user,
    )


def make_citation(*, claim, user, source=None, **fields):
    """A citation via the services: of `source`, or of the source the source fields
    (url, title, publisher, published_on, archive_url, reliability) find or record. A
    title without a url gets a url of its own (a distinct source per title)."""
    url = f"https://example.org/{slugify(fields['title'])}" if "title" in fields else None
    new_source = {
        "url": url or "https://example.org/evidence",
        "title": "Evidence",
        "reliability": "B",
    }
    values = {"stance": Stance.SUPPORTS, "credibility": Credibility.POSSIBLY_TRUE}
    for name, value in fields.items():
        (new_source if name in services.SOURCE_FIELDS else values)[name] = value
    return services.citation_create(
        claim=claim,
        user=user,
        source=source,
        new_source=None if source else new_source,
        **values,
    )


def make_note(
    *,
    claim,
    user,
    likelihood: int,
    analytic_confidence: str = AnalyticConfidence.MODERATE,
    rationale: str = "",
):
    """The user's confidence note on the claim, via the services. Both judgements are
    required; a test that is not about analytic confidence gets a moderate one."""
    return services.confidence_note_save(
        claim=claim,
        user=user,
        likelihood=likelihood,
        analytic_confidence=analytic_confidence,
        rationale=rationale,
    )
