"""How fast one client creates claims through the API, one after another.

    .venv/bin/python bench/creates.py [--claims 1000] [--rounds 5] [--per-round 100]
        [--db URL] [--show-queries]

The create doccano's sequential span create is compared with (issue 13): a reviewer
states a claim on new text in one request, `POST /api/v1/claims/` with `paragraph`,
`start`, `end`, `quote`, `statement` and `kind` (the span and its claim in one
transaction), authenticated by token as a script would be. Sets up its own throwaway
SQLite database (deleted afterwards), or migrates the empty database --db names, imports
the seed report with --claims generated claims (bench/workspace.py), then times rounds of
--per-round creates through Django's full request cycle (middleware, token auth, the write
throttle, permissions, the service, history, the changes feed, the response) in-process,
DEBUG off: server time, without a network. Prints creates/s (median of the rounds), the
CPU time this process spent per create (steadier than wall time on a shared machine; the
database server's own work is not in it) and the queries of one create; --show-queries
lists them, each with its class.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.workspace import generate, setup_django  # noqa: E402

# What each query of a create is for, by the tables it names (first match wins): the
# classes issue 13 asks the profile to count.
CLASSES = [
    ("savepoint", ("SAVEPOINT",)),
    ("transaction", ("BEGIN", "COMMIT")),
    ("authentication", ("authtoken_token", "django_session")),
    ("throttle", ("claimdesk_cache",)),
    ("permissions", ("auth_permission", "auth_group", "auth_user_user_permissions")),
    ("changes feed", ("annotate_change",)),
    ("history", ("annotate_historical",)),
    ("lock", ("FOR SHARE", "FOR UPDATE")),
    ("write", ("INSERT INTO", "UPDATE ", "DELETE FROM")),
]


def classify(sql: str) -> str:
    for name, needles in CLASSES:
        if any(needle in sql for needle in needles):
            return name
    return "read"


def texts(rng: random.Random, paragraphs: list) -> list[dict]:
    """Bodies of claims on new text at word boundaries, as a reviewer selects."""
    bodies = []
    while len(bodies) < 20_000:
        paragraph = rng.choice(paragraphs)
        text = paragraph.text
        bounds = [0] + [i + 1 for i, c in enumerate(text) if c == " "]
        start = rng.choice(bounds)
        ends = [i for i, c in enumerate(text) if c == " " and i > start + 1][:8] or [len(text)]
        end = rng.choice(ends)
        if end <= start:
            continue
        bodies.append(
            {
                "paragraph": paragraph.pk,
                "start": start,
                "end": end,
                "quote": text[start:end],
                "statement": f"The report says: {text[start:end][:60]}",
                "kind": "factual",
            }
        )
    return bodies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000, help="claims there already")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=100)
    parser.add_argument(
        "--db", help="an empty database's URL, e.g. PostgreSQL (default: SQLite in a temp folder)"
    )
    parser.add_argument("--show-queries", action="store_true", help="list one create's queries")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        setup_django(args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        from django.db import connection, reset_queries

        article, reviewer, _claims = generate(args.claims)
        reset_queries()  # generate() ran with DEBUG on: a full log would hide the capture
        result = measure(article, reviewer, rounds=args.rounds, per_round=args.per_round)
        if args.show_queries:
            for number, query in enumerate(result.queries, 1):
                sql = query["sql"]
                print(f"{number:3} {query['time']:>6} {classify(sql):15} {sql[:200]}")
            print()
        counts = result.counts()
        print(
            f"{connection.vendor}: {args.rounds} rounds of {args.per_round} creates on "
            f"{args.claims:,} claims: median {statistics.median(result.rates):.0f} creates/s "
            f"(rounds {', '.join(f'{r:.0f}' for r in result.rates)}), this process's CPU "
            f"{statistics.median(result.cpu_ms):.1f} ms a create; {len(result.queries)} queries "
            f"a create ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})"
        )
    return 0


@dataclass
class Measured:
    rates: list[float]  # creates/s of each round
    cpu_ms: list[float]  # this process's CPU time per create, each round
    queries: list[dict]  # of one create

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for query in self.queries:
            kind = classify(query["sql"])
            counts[kind] = counts.get(kind, 0) + 1
        return counts


def measure(article, reviewer, *, rounds: int, per_round: int) -> Measured:
    """Time rounds of creates by `reviewer` on `article`'s current text (bench/run.py's
    `creates` measure calls it too)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotate.api.tokens import token_for

    # Production-like: no query log, no template debug. The write throttle still counts
    # every request (its queries are part of a create), with room for the run.
    settings.DEBUG = False
    settings.CLAIMDESK_API_WRITE_RATE = "100000000/minute"
    paragraphs = list(article.revisions.order_by("-number").first().paragraphs.all())
    bodies = iter(texts(random.Random(13), paragraphs))  # noqa: S311 (test data)
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token_for(reviewer).key}")

    def create() -> None:
        response = client.post("/api/v1/claims/", next(bodies), content_type="application/json")
        assert response.status_code == 201, (response.status_code, response.content[:300])

    for _ in range(5):
        create()  # warm: URL resolver, serializers, prepared statements
    with CaptureQueriesContext(connection) as captured:
        create()
    queries = list(captured)  # the log is cleared as the next request starts
    rates, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(per_round):
            create()
        rates.append(per_round / (time.perf_counter() - started))
        cpu.append((time.process_time() - started_cpu) * 1000 / per_round)
    return Measured(rates, cpu, queries)


if __name__ == "__main__":
    sys.exit(main())
