"""Re-anchoring at the size of a long report: a revision of 10,000 paragraphs, 1,000 spans.

    .venv/bin/python bench/reanchor.py [--paragraphs 10000] [--spans 1000] [--runs 3]
        [--db URL] [--profile]

Generates (deterministically) an article of --paragraphs paragraphs of report-like
sentences (words drawn from the seed report), --spans spans with a claim each on
word-bounded passages, and a revised text that touches what re-anchoring must handle:
every third paragraph edited ("Updated: …", a word added inside its sentences), sentences split into
paragraphs of their own and paragraphs merged, a block moved, first sentences deleted.
Then times `revision_import` (the same call the admin's upload and `import_revision`
make) --runs times, each in a transaction rolled back, and prints the median and what
happened to the spans. --profile prints pyinstrument's call tree of one more run.

The database is a SQLite file in a temporary folder unless --db names one (it must be
empty or hold a previous run's data: it is migrated, and the article is made once).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run
from generate import SEED, SEED_REPORT

SLUG = "reanchor-bench"


def paragraphs_of(count: int, rng: random.Random) -> list[str]:
    """`count` paragraphs of two to four sentences of the seed report's words."""
    words = re.findall(r"[A-Za-z’'-]+", SEED_REPORT.read_text(encoding="utf-8"))
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20)))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        out.append(" ".join(sentences))
    return out


def revised(paragraphs: list[str]) -> list[str]:
    """A revision touching what re-anchoring handles; the same for the same text."""
    new = []
    skip = False
    for i, text in enumerate(paragraphs):
        if skip:
            skip = False
            continue
        sentences = text.split(". ")
        if i % 3 == 1:  # a correction: a word added inside sentences
            new.append("Updated: " + text.replace(" the ", " the reported "))
        elif i % 50 == 0 and len(sentences) > 1:  # a split
            new += [sentences[0] + ".", ". ".join(sentences[1:])]
        elif i % 70 == 2 and i + 1 < len(paragraphs):  # a merge with the next
            new.append(text + " " + paragraphs[i + 1])
            skip = True
        elif i % 97 == 5 and len(sentences) > 1:  # the first sentence deleted
            new.append(". ".join(sentences[1:]))
        else:
            new.append(text)
    new.insert(2, "This report was revised after publication to add official statements.")
    block = new[10:20]
    del new[10:20]
    return new[: len(new) // 2] + block + new[len(new) // 2 :]


def make_article(paragraph_count: int, span_count: int):
    """The article, its spans and claims (made once per database)."""
    from annotate.models import Claim, ClaimKind, Span
    from annotate.reanchoring.anchoring import context_around
    from articles.models import Article
    from articles.report_format import ParsedReport
    from articles.services import article_import

    article = Article.objects.filter(slug=SLUG).first()
    if article is not None:
        return article
    import generate

    user = generate.prepare()["reviewer1"]
    rng = random.Random(SEED)  # noqa: S311 (reproducible test data, not secrets)
    report = ParsedReport(
        paragraphs=paragraphs_of(paragraph_count, rng), meta={"title": "Bench", "slug": SLUG}
    )
    article = article_import(report=report)
    paragraphs = list(article.revisions.get().paragraphs.order_by("position"))
    spans = []
    for _ in range(span_count):
        paragraph = rng.choice(paragraphs)
        text = paragraph.text
        marks = [0] + [m.end() for m in re.finditer(" ", text)]
        first = rng.randrange(len(marks) - 1)
        start = marks[first]
        end = marks[min(len(marks) - 1, first + rng.randint(1, 12))] - 1
        if end <= start:
            end = len(text)
        prefix, suffix = context_around(text, start, end)
        spans.append(
            Span(paragraph=paragraph, start=start, end=end, quote=text[start:end],
                 prefix=prefix, suffix=suffix, created_by=user)
        )  # fmt: skip
    Span.objects.bulk_create(spans, batch_size=1000)
    Claim.objects.bulk_create(
        [
            Claim(span=s, statement=s.quote[:80], kind=ClaimKind.FACTUAL, created_by=user)
            for s in spans
        ],
        batch_size=1000,
    )
    return article


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="database URL (default: a SQLite file in a temp folder)")
    parser.add_argument("--profile", action="store_true", help="profile one more run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        run.setup_django(args.db or f"sqlite:///{tmp}/reanchor.sqlite3")
        from django.core.management import call_command
        from django.db import transaction

        from annotate.reanchoring.reanchor import revision_import

        call_command("migrate", verbosity=0)
        article = make_article(args.paragraphs, args.spans)
        old = list(
            article.revisions.get(number=1)
            .paragraphs.order_by("position")
            .values_list("text", flat=True)
        )
        new = revised(old)

        def once():
            with transaction.atomic():
                report = revision_import(article=article, paragraphs=new, note="bench")
                transaction.set_rollback(True)  # the same starting point for every run
            return report

        timings, cpu, report = [], [], None
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            report = once()
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        # CPU time too: on a shared machine, wall time also counts others' work.
        print(
            f"re-anchoring {report.total:,} spans onto {len(new):,} paragraphs "
            f"(from {len(old):,}): median {statistics.median(timings):.2f} s "
            f"({statistics.median(cpu):.2f} s CPU) of {args.runs} runs "
            f"({', '.join(f'{t:.2f}' for t in timings)})"
        )
        print(
            f"kept {report.kept}, moved {report.moved}, fuzzy {report.fuzzy}, "
            f"ambiguous {report.ambiguous}, orphaned {report.orphaned}; "
            f"needs review {report.needs_review}"
        )
        if args.profile:
            from pyinstrument import Profiler

            with Profiler(interval=0.001) as profiler:
                once()
            profiler.print(show_all=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
