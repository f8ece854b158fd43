"""factory_boy factories. Spans go through the service so that every span in a test
obeys the quote rule, as in production."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from annotate import services
from annotate.models import AnalyticConfidence, ClaimKind, Reliability, Stance
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


def make_source(*, claim, user, **fields):
    values = {
        "url": "https://example.org/evidence",
        "title": "Evidence",
        "stance": Stance.SUPPORTS,
        "reliability": Reliability.B,
    }
    values.update(fields)
    return services.source_create(claim=claim, user=user, **values)


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
