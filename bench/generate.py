"""A deterministic workspace of a given size, written with bulk_create.

The seed report (fixtures/seed-report.txt) with claims spread over its paragraphs on
overlapping spans (about one in four nested in an earlier span of its paragraph), each claim
with 2 citations (of 300 shared sources) and 3 confidence notes (one per reviewer), and one
link between claims for every two claims.
`grow_to(n)` adds claims until the article has n, so one database serves every scale of
a run. `many_articles(count, claims)` is the second scale, for bulk pulls: `count` copies
of the seed report under their own slugs and titles, imported through the import service,
each grown to `claims` the same way.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT / "fixtures" / "seed-report.txt"
SEED = 20250909
BATCH = 5000
# Each copy draws from its own seed, this far apart, so that no two articles' generators
# ever start from the same state (an article holds far fewer claims than this).
SEED_STRIDE = 10_000_000


def prepare():
    """Migrate and create the demo users; return them by username."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    with override_settings(DEBUG=True):  # the demo accounts exist only with DEBUG on
        call_command("create_demo_users", stdout=io.StringIO())
    return {u.username: u for u in get_user_model().objects.all()}


def base():
    """Migrate, import the seed report and the demo users; return (article, users)."""
    from django.core.management import call_command

    from articles.models import Article

    users = prepare()
    call_command("import_article", "--skip-existing", str(SEED_REPORT), stdout=io.StringIO())
    return Article.objects.get(slug="doha-strike-2025-09-09"), users


def copy_slug(index: int) -> str:
    return f"doha-strike-copy-{index:03d}"


def many_articles(count: int, claims: int, *, seed: int = SEED) -> int:
    """Import `count` copies of the seed report (through `articles.services.article_import`,
    as the import command does) and grow each to `claims`; return the claims in all."""
    from articles.models import Article
    from articles.report_format import parse_report
    from articles.services import article_import

    users = prepare()
    report = parse_report(SEED_REPORT.read_bytes())
    for index in range(count):
        slug = copy_slug(index)
        article = Article.objects.filter(slug=slug).first() or article_import(
            report=report, slug=slug, title=f"{report.meta['title']} (copy {index})"
        )
        grow_to(
            claims, article=article, users=users, seed=seed + index * SEED_STRIDE, analyze=False
        )
    refresh_statistics()
    return count * claims


def refresh_statistics() -> None:
    """ANALYZE, as PostgreSQL's autovacuum does within a minute or so of a bulk load: without
    it the planner knows nothing of the rows just written (it took a parallel sequential
    scan of 200,000 sources for one page's 200, 23 ms instead of 1 ms), so every figure
    measured straight after generating, floor included, measured stale statistics. SQLite
    never gathers them by itself; there it informs the planner likewise."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


SHARED_SOURCES = 300  # the figure: 2,000 citations of 300 shared sources


def shared_sources(user, rng: random.Random) -> list:
    """The pool of shared sources the claims cite, made once (one per URL)."""
    from annotate.models import Reliability, Source

    have = list(Source.objects.filter(url__startswith="https://example.org/source/"))
    if len(have) >= SHARED_SOURCES:
        return have
    Source.objects.bulk_create(
        [
            Source(
                url=f"https://example.org/source/{n}",
                title=f"Source {n}",
                publisher=f"Example Wire {n % 12}",
                reliability=rng.choice(Reliability.values),
                reliability_set_by=user,
                created_by=user,
            )
            for n in range(len(have), SHARED_SOURCES)
        ]
    )
    return list(Source.objects.filter(url__startswith="https://example.org/source/"))


def grow_to(
    claims: int, *, article=None, users=None, seed: int = SEED, analyze: bool = True
) -> int:
    """Add claims (with spans, citations, notes, links) until the article (by default the seed
    report, imported if need be) holds `claims`; then refresh the planner's statistics."""
    from django.utils import timezone

    from annotate.models import (
        CONTEXT_LENGTH,
        AnalyticConfidence,
        Citation,
        Claim,
        ClaimKind,
        ClaimRelation,
        ConfidenceNote,
        RelationType,
        Span,
        Stance,
        Verdict,
    )

    if article is None:
        article, users = base()
    users = users or prepare()
    now = timezone.now()
    reviewers = [users["reviewer1"], users["reviewer2"], users["lead"]]
    paragraphs = list(article.revisions.get(number=1).paragraphs.order_by("position"))
    have = Claim.objects.filter(span__paragraph__revision__article=article).count()
    if have >= claims:
        return have
    rng = random.Random(seed + have)  # noqa: S311 (reproducible test data, not secrets)
    pool = shared_sources(users["lead"], rng)
    bounds = {
        p.pk: [0] + [i + 1 for i, c in enumerate(p.text) if c == " "] + [len(p.text) + 1]
        for p in paragraphs
    }
    for first in range(have, claims, BATCH):
        count = min(BATCH, claims - first)
        spans: list[Span] = []
        for _ in range(count):
            paragraph = rng.choice(paragraphs)
            text, marks = paragraph.text, bounds[paragraph.pk]
            if spans and rng.random() < 0.25:
                outer = rng.choice(spans[-50:])
                if outer.paragraph is paragraph:  # nest inside it
                    inner = [b for b in marks if outer.start <= b < outer.end] or marks[:-1]
                    start = rng.choice(inner)
                else:
                    start = rng.choice(marks[:-1])
            else:
                start = rng.choice(marks[:-1])
            later = [b for b in marks if b > start + 1][:12] or [len(text) + 1]
            end = min(rng.choice(later), len(text) + 1) - 1
            end = max(end, start + 1)
            spans.append(
                Span(
                    paragraph=paragraph,
                    start=start,
                    end=end,
                    quote=text[start:end],
                    prefix=text[max(0, start - CONTEXT_LENGTH) : start],
                    suffix=text[end : end + CONTEXT_LENGTH],
                    created_by=rng.choice(reviewers),
                )
            )
        Span.objects.bulk_create(spans, batch_size=1000)
        new = []
        for i, span in enumerate(spans):
            claim = Claim(
                span=span,
                statement=f"Claim {first + i}: {span.quote[:80]}",
                kind=rng.choice(ClaimKind.values),
                attributed_to=rng.choice(["", "the Israeli military", "Qatar's ministry"]),
                created_by=rng.choice(reviewers),
            )
            if rng.random() < 0.2:  # one in five adjudicated
                claim.verdict, claim.verdict_rationale = (
                    rng.choice(Verdict.values),
                    "Sources agree.",
                )
                claim.verdict_by, claim.verdict_at = users["lead"], now
            new.append(claim)
        Claim.objects.bulk_create(new, batch_size=1000)
        citations, notes = [], []
        for claim in new:
            for _ in range(2):
                citations.append(
                    Citation(
                        claim=claim,
                        source=rng.choice(pool),
                        stance=rng.choice(Stance.values),
                        credibility=rng.randint(1, 6),
                        added_by=rng.choice(reviewers),
                    )
                )
            for reviewer in reviewers:
                notes.append(
                    ConfidenceNote(
                        claim=claim,
                        reviewer=reviewer,
                        likelihood=rng.randint(1, 7),
                        analytic_confidence=rng.choice(AnalyticConfidence.values),
                        rationale="Two sources, one of them close to the events.",
                    )
                )
        Citation.objects.bulk_create(citations, batch_size=2000)
        ConfidenceNote.objects.bulk_create(notes, batch_size=2000)
        # One link for every two claims, between neighbours of the batch: ids rise through
        # it, so the symmetric types are in the order annotate.relations stores them.
        links = [
            ClaimRelation(
                from_claim=first,
                to_claim=second,
                type=rng.choice(RelationType.values),
                created_by=rng.choice(reviewers),
            )
            for first, second in zip(new[0::2], new[1::2], strict=False)
        ]
        ClaimRelation.objects.bulk_create(links, batch_size=2000)
    if analyze:
        refresh_statistics()
    return claims
