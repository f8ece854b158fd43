"""Claimdesk's benchmarks: one command, figures anyone can reproduce.

    .venv/bin/python bench/run.py [--quick] [--databases sqlite,postgres] [--no-write]
        [--measures workspace,api,exports,articles,creates]

For each database (SQLite in a temp file; PostgreSQL in a fresh database named by
CLAIMDESK_BENCH_PG_NAME, default `claimdesk_rb_bench`, on BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432/, skipped when it does not answer) one generated
workspace (bench/generate.py) grows through the scales: the workspace page and opening a
claim at 100, 1,000 and 5,000 claims, re-anchoring 1,000 spans into a revised text, then at
the bulk scale (100,000 claims; 10,000 with --quick) the API's claims list, a walk of every
page by cursor, the floor (the same rows read with the raw driver and serialised with
orjson), and each export in a process of its own for its peak RSS (JSON Lines and W3C
also against the floor of JSON Lines: the same bytes from raw rows and orjson).

The second scale, many articles (100 articles of 1,000 claims; 20 of 500 with --quick), has
a database of its own (`<name>_articles`): the claims list across articles and its cursor
walk, the list filtered by one article, the articles list, each against its floor, and a
bulk pull of every article's export in turn, one process per format.

Everything is in-process through Django's full request cycle (middleware, auth,
serializers) with DEBUG off: server time, no network. Prints a table and writes
bench/RESULTS.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import report
from floors import floor_articles, floor_export_jsonl, floor_page
from report import EXPORTS, PULLS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PG_BASE = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
# Named by the environment so that parallel runs on one server don't drop each other's.
PG_NAME = os.environ.get("CLAIMDESK_BENCH_PG_NAME") or os.environ.get(
    "BENCH_PG_NAME", "claimdesk_rb_bench"
)
FIRST_PAGE = "/api/v1/claims/?expand=notes&page_size=100"
SLUG = "doha-strike-2025-09-09"
EXPORT_FLOORS = ("jsonl", "w3c")  # held to floor_export_jsonl (issue 13: within 1.5x)


# --- child side: runs inside one Django process ------------------------------------------


def setup_django(url: str) -> None:
    import warnings

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings

    # Production-like: no query log, no template debug; no throttling of the benchmark.
    settings.DEBUG = False
    settings.CLAIMDESK_API_READ_RATE = "100000000/minute"


def emit(**row) -> None:
    print("RESULT " + json.dumps(row), flush=True)


def timed(fn, runs: int) -> list[float]:
    fn()  # warm: templates, URL resolver, prepared statements
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def queries_of(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def get_ok(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response


def api_client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(username="researcher")
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")


def bench_workspace(claims: int, runs: int, *, slug: str = SLUG, test: str = "workspace") -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotate.models import Claim

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="reviewer1"))
    page = f"/articles/{slug}/"
    timings = timed(lambda: get_ok(client, page), runs)
    emit(
        test=test,
        claims=claims,
        median_ms=statistics.median(timings),
        p95_ms=sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
        queries=queries_of(lambda: get_ok(client, page)),
        kib=len(get_ok(client, page).content) / 1024,
    )
    if test != "workspace":
        return
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    middle = f"{page}claims/{ids[len(ids) // 2]}/"
    timings = timed(lambda: get_ok(client, middle, HX_Request="true"), runs)
    emit(
        test="open_claim",
        claims=claims,
        median_ms=statistics.median(timings),
        queries=queries_of(lambda: get_ok(client, middle, HX_Request="true")),
    )


def revised_text(paragraphs: list[str]) -> list[str]:
    """A plausible revision: a correction in some paragraphs, one moved, one added."""
    new = list(paragraphs)
    for i in range(1, len(new), 3):
        new[i] = "Updated: " + new[i].replace(" the ", " the reported ", 1)
    new.insert(2, "This report was revised after publication to add official statements.")
    new.append(new.pop(4))
    return new


def bench_reanchor(runs: int) -> None:
    from django.db import transaction

    from annotate.models import Span
    from annotate.reanchoring.reanchor import revision_import
    from articles.models import Article

    article = Article.objects.get(slug=SLUG)
    paragraphs = list(
        article.revisions.get(number=1)
        .paragraphs.order_by("position")
        .values_list("text", flat=True)
    )
    spans = Span.objects.filter(paragraph__revision__article=article).count()
    new = revised_text(paragraphs)
    timings, report = [], None
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            report = revision_import(article=article, paragraphs=new, note="bench")
            timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)  # the same starting point for every run
    emit(
        test="reanchor",
        spans=spans,
        median_ms=statistics.median(timings),
        kept=report.kept,
        moved=report.moved,
        fuzzy=report.fuzzy,
        ambiguous=report.ambiguous,
        orphaned=report.orphaned,
    )


def bench_page(test: str, url: str, floor, runs: int, **row) -> None:
    """One page of a list against its floor: median time, requests/s, queries."""
    client = api_client()
    page_ms = timed(lambda: get_ok(client, url), runs)
    floor_ms = timed(floor, runs)
    emit(
        test=test,
        **row,
        median_ms=statistics.median(page_ms),
        rps=1000 / statistics.median(page_ms),
        floor_ms=statistics.median(floor_ms),
        queries=queries_of(lambda: get_ok(client, url)),
    )


def bench_api(claims: int, runs: int) -> None:
    from annotate.models import Claim

    client = api_client()
    bench_page("api_page", FIRST_PAGE, lambda: floor_page(0, 100), runs, claims=claims)
    url, pages, rows = FIRST_PAGE, 0, 0
    started = time.perf_counter()
    while url:
        body = get_ok(client, url).json()
        pages, rows = pages + 1, rows + len(body["results"])
        url = body["next"] and body["next"].split("localhost", 1)[1]
    walk_s = time.perf_counter() - started
    assert rows == claims, (rows, claims)
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True)[99::100])
    started = time.perf_counter()
    for after in [0, *ids]:
        floor_page(after, 100)
    emit(
        test="api_walk",
        claims=rows,
        pages=pages,
        seconds=walk_s,
        floor_seconds=time.perf_counter() - started,
    )


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_export(test: str, name: str, slugs: list[str], claims: int, **row) -> None:
    """Stream the export of each article in turn, in this process: its speed and peak RSS."""
    client = api_client()
    before = peak_rss_mib()
    started, size = time.perf_counter(), 0
    for slug in slugs:
        response = client.get(f"/api/v1/articles/{slug}/export/{name}/")
        assert response.status_code == 200, (slug, response.status_code)
        assert response.streaming
        size += sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    peak = peak_rss_mib()  # before the floor, which holds every claim row at once
    floor = {}
    if test == "export" and name in EXPORT_FLOORS:
        # The floor of JSON Lines (raw rows, orjson) in the same process, right after:
        # W3C holds the same rows, written another way, so it is held to the same floor.
        floor_started = time.perf_counter()
        floor_bytes = floor_export_jsonl(slugs[0])
        floor_seconds = time.perf_counter() - floor_started
        floor = {"floor_claims_per_s": claims / floor_seconds, "floor_seconds": floor_seconds}
        if name == "jsonl":
            floor["floor_same_size"] = floor_bytes == size
    emit(
        test=test,
        format=name,
        **row,
        claims=claims,
        seconds=seconds,
        claims_per_s=claims / seconds,
        mib=size / 2**20,
        rss_before_mib=before,
        peak_rss_mib=peak,
        **floor,
    )


def bench_articles(args: argparse.Namespace) -> None:
    """The many-articles scale: lists across articles, by article, and of articles."""
    import generate

    started = time.perf_counter()
    claims = generate.many_articles(args.articles, args.bulk)
    emit(
        test="generate",
        articles=args.articles,
        claims=claims,
        seconds=time.perf_counter() - started,
    )
    bench_api(claims, args.runs)
    slug = generate.copy_slug(args.articles // 2)
    bench_page(
        "api_article_page",
        f"{FIRST_PAGE}&article={slug}",
        lambda: floor_page(0, 100, article=slug),
        args.runs,
        claims=args.bulk,
    )
    # The workspace of the middle article among all of them, against the one-article
    # database's workspace at the same size (report: "workspace among N articles").
    bench_workspace(args.bulk, args.runs, slug=slug, test="workspace_among")
    bench_page(
        "articles_page",
        "/api/v1/articles/?page_size=100",
        lambda: floor_articles(100),
        args.runs,
        articles=args.articles,
    )


def bench_creates(claims: int, runs: int) -> None:
    """Claims made with their span through the API, one after another (bench/creates.py):
    on a database of their own, so that the other measures' claim counts stay exact."""
    import creates
    import generate
    from django.contrib.auth import get_user_model

    from articles.models import Article

    generate.grow_to(claims)
    reviewer = get_user_model().objects.get(username="reviewer1")
    result = creates.measure(
        Article.objects.get(slug=SLUG), reviewer, rounds=max(3, runs // 3), per_round=50
    )
    emit(
        test="creates",
        claims=claims,
        creates_per_s=statistics.median(result.rates),
        cpu_ms=statistics.median(result.cpu_ms),
        queries=len(result.queries),
    )


def child(args: argparse.Namespace) -> None:
    setup_django(args.db)
    import generate

    if args.child == "creates":
        bench_creates(1000, args.runs)
        return

    if args.child == "export":
        bench_export("export", args.format, [SLUG], args.bulk)
        return
    if args.child == "pull":
        slugs = [generate.copy_slug(index) for index in range(args.articles)]
        bench_export("pull", args.format, slugs, args.articles * args.bulk, articles=len(slugs))
        return
    if args.child == "articles":
        bench_articles(args)
        return
    for scale in args.scales if "workspace" in args.measures else []:
        started = time.perf_counter()
        generate.grow_to(scale)
        emit(test="generate", claims=scale, seconds=time.perf_counter() - started)
        bench_workspace(scale, args.runs)
        if scale == 1000:
            bench_reanchor(max(3, args.runs // 5))
    if not {"api", "exports"} & set(args.measures.split(",")):
        return  # the workspace alone needs no bulk scale
    started = time.perf_counter()
    generate.grow_to(args.bulk)
    emit(test="generate", claims=args.bulk, seconds=time.perf_counter() - started)
    if "api" in args.measures:
        bench_api(args.bulk, args.runs)


# --- parent side: one process per database, one more per export ----------------------------


def run_child(url: str, *extra: str) -> list[dict]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, str(Path(__file__).resolve()), "--db", url, *extra]
    process = subprocess.run(  # noqa: S603 (our own script)
        command, env=env, capture_output=True, text=True, timeout=3600, check=False
    )
    if process.returncode:
        sys.stderr.write(process.stdout + process.stderr)
        raise SystemExit(f"bench child failed: {' '.join(extra)}")
    rows = [
        json.loads(line[7:]) for line in process.stdout.splitlines() if line.startswith("RESULT ")
    ]
    for row in rows:
        print("  ", json.dumps(row), flush=True)
    return rows


def pg_admin(action: str, name: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_BASE + "postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if action == "create":
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:
        print(f"PostgreSQL not available ({error}); skipped", file=sys.stderr)
        return False
    return True


@dataclass(frozen=True)
class Plan:
    scales: list[int]  # of the workspace page, on the one article
    bulk: int  # claims of the one article for the API and the exports
    articles: int  # the many-articles scale: this many articles …
    per_article: int  # … of this many claims each
    runs: int
    measures: str

    def common(self) -> list[str]:
        return ["--runs", str(self.runs), "--measures", self.measures]


def in_database(kind: str, name: str, tmp: str, scale: str, children) -> list[dict]:
    """Run `children(url)` on a fresh database of its own (a PostgreSQL one is dropped
    afterwards); tag the rows with the database and the scale."""
    if kind == "postgres":
        if not pg_admin("create", name):
            return []
        url = PG_BASE + name
    else:
        url = f"sqlite:///{tmp}/{name}.sqlite3"
    try:
        rows = children(url)
    finally:
        if kind == "postgres":
            pg_admin("drop", name)
    for row in rows:
        row.update(db=kind, scale=scale)
    return rows


def one_article(url: str, plan: Plan) -> list[dict]:
    common = ["--bulk", str(plan.bulk), *plan.common()]
    rows = run_child(url, "--child", "main", "--scales", *map(str, plan.scales), *common)
    for name in EXPORTS if "exports" in plan.measures else []:
        rows += run_child(url, "--child", "export", "--format", name, *common)
    return rows


def many_articles(url: str, plan: Plan) -> list[dict]:
    common = ["--articles", str(plan.articles), "--bulk", str(plan.per_article), *plan.common()]
    rows = run_child(url, "--child", "articles", *common)
    for name in PULLS:
        rows += run_child(url, "--child", "pull", "--format", name, *common)
    return rows


def bench_database(kind: str, plan: Plan, tmp: str) -> list[dict]:
    rows = []
    if {"workspace", "api", "exports"} & set(plan.measures.split(",")):
        print(f"\n{kind}: scales {plan.scales}, bulk {plan.bulk:,}", flush=True)
        rows += in_database(kind, PG_NAME, tmp, "one", lambda url: one_article(url, plan))
    if "creates" in plan.measures.split(","):
        print(f"\n{kind}: claims created through the API", flush=True)
        rows += in_database(
            kind,
            f"{PG_NAME}_creates",
            tmp,
            "creates",
            lambda url: run_child(url, "--child", "creates", *plan.common()),
        )
    if "articles" in plan.measures.split(","):
        print(f"\n{kind}: {plan.articles} articles × {plan.per_article:,} claims", flush=True)
        rows += in_database(
            kind, f"{PG_NAME}_articles", tmp, "articles", lambda url: many_articles(url, plan)
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scales, for a fast check")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-write", action="store_true", help="don't write bench/RESULTS.md")
    parser.add_argument(
        "--measures",
        default="workspace,api,exports,articles,creates",
        help="which to run, of workspace (with re-anchoring), api, exports, articles "
        "(the many-articles scale), creates (claims made through the API)",
    )
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument(
        "--child",
        choices=["main", "export", "articles", "pull", "creates"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--scales", type=int, nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--bulk", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0

    if args.quick:
        plan = Plan([100, 1000], 10_000, 20, 500, runs=5, measures=args.measures)
    else:
        plan = Plan([100, 1000, 5000], 100_000, 100, 1000, runs=15, measures=args.measures)
    started = time.perf_counter()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        for kind in args.databases.split(","):
            rows += bench_database(kind, plan, tmp)
    lines = report.table(rows, plan)
    took = time.perf_counter() - started
    print("\n" + "\n".join(lines))
    print(f"\n({took / 60:.1f} min)")
    if not args.no_write:
        report.write_results(lines, args, took)
    return 0


if __name__ == "__main__":
    sys.exit(main())
