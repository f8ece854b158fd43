"""How fast a bulk import writes: annotations per second, our JSON Lines and W3C.

    .venv/bin/python bench/import_speed.py [--claims 1000] [--db URL]

Sets up its own throwaway SQLite database (deleted afterwards), or migrates the empty
database --db names; generates claims on the seed report as bench/workspace.py does
(citations, notes from several reviewers, verdicts, links), exports them as JSON Lines
and as W3C, and imports each export as a lead into a fresh copy of the report through
Django's full request cycle (POST /api/v1/articles/{slug}/import/), timing a dry run and
the import itself. Prints annotations per second (links count as annotations, as in
the W3C file) and the queries each took.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.workspace import generate, setup_django  # noqa: E402


class QueryCounter:
    """Counts every query a request makes (without keeping them, as the query log would:
    it holds only the last 9,000)."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument(
        "--db", help="an empty database's URL, e.g. PostgreSQL (default: SQLite in a temp folder)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        setup_django(args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from rest_framework.test import APIClient

        from annotate.api.tokens import token_for
        from annotate.models import Claim
        from articles.report_format import parse_report
        from articles.services import article_import

        article, _user, claims = generate(args.claims)
        # The generator writes verdicts in bulk without the reason every adjudication
        # through the services has; an import (rightly) refuses a verdict without one.
        Claim.objects.exclude(verdict="").filter(verdict_rationale="").update(
            verdict_rationale="Generated."
        )
        settings.DEBUG = False
        settings.CLAIMDESK_API_WRITE_RATE = settings.CLAIMDESK_API_READ_RATE = "100000/minute"
        # The whole export in one request, to measure throughput (production splits it).
        settings.CLAIMDESK_IMPORT_MAX_ITEMS = 100_000
        lead = get_user_model().objects.get(username="lead")
        client = APIClient(HTTP_HOST="localhost")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(lead).key}")
        seed = (ROOT / "fixtures" / "seed-report.txt").read_bytes()
        print(f"Seed report with {len(claims)} claims; importing as a lead.\n")
        formats = [("jsonl", "application/x-ndjson"), ("w3c", "application/ld+json")]
        for name, media_type in formats:
            response = client.get(f"/api/v1/articles/{article.slug}/export/{name}/")
            body = b"".join(response.streaming_content)
            copy = article_import(report=parse_report(seed), slug=f"copy-{name}")
            url = f"/api/v1/articles/{copy.slug}/import/?from_article={article.slug}"
            for label, query in (("dry run", "&dry_run=true"), ("import", "")):
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    response = client.post(url + query, body, content_type=media_type)
                seconds = time.perf_counter() - started
                assert response.status_code in (200, 201), response.content[:500]
                items = len(response.json()["items"])
                print(
                    f"{name:5} {label:8} {items:6,} annotations ({len(body) / 1e6:.1f} MB) "
                    f"in {seconds:6.2f} s: {items / seconds:7,.0f} annotations/s, "
                    f"{counter.queries / items:.1f} queries an annotation"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
