"""Claimdesk's benchmarks: one command, figures anyone can reproduce.

    .venv/bin/python bench/run.py [--quick] [--databases sqlite,postgres] [--no-write]
        [--measures workspace,api,exports]

For each database (SQLite in a temp file; PostgreSQL in a fresh `claimdesk_rb_bench`
database on BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432/, skipped when it
does not answer) one generated workspace (bench/generate.py) grows through the scales:
the workspace page and opening a claim at 100, 1,000 and 5,000 claims, re-anchoring 1,000
spans into a revised text, then at the bulk scale (100,000 claims; 10,000 with --quick)
the API's claims list, a walk of every page by cursor, the floor (the same rows read with
the raw driver and serialised with orjson), and each export in a process of its own for
its peak RSS. Everything is in-process through Django's full request cycle (middleware,
auth, serializers) with DEBUG off: server time, no network. Prints a table and writes
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PG_BASE = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
PG_NAME = os.environ.get("BENCH_PG_NAME", "claimdesk_rb_bench")
EXPORTS = ["w3c", "claimreview", "csv", "jsonl"]
SLUG = "doha-strike-2025-09-09"


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


def bench_workspace(claims: int, runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotate.models import Claim

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="reviewer1"))
    page = f"/articles/{SLUG}/"
    timings = timed(lambda: get_ok(client, page), runs)
    emit(
        test="workspace",
        claims=claims,
        median_ms=statistics.median(timings),
        p95_ms=sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
        queries=queries_of(lambda: get_ok(client, page)),
        kib=len(get_ok(client, page).content) / 1024,
    )
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
    from annotate.reanchor import revision_import
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


def floor_page(after: int, size: int) -> bytes:
    """The rows of one API page read with the raw DB-API connection and serialised with
    orjson: what no framework can beat. Exactly the data the page carries: claims with
    span, users and their article's current revision (for the placement), sources, notes
    with reviewers (and their summary), and the anchors of spans re-anchored since."""
    import statistics

    import orjson
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    mark = "%s" if connection.vendor == "postgresql" else "?"
    cur = raw.cursor()
    cur.execute(
        "SELECT c.id, c.statement, c.kind, c.attributed_to, c.verdict, c.verdict_rationale, "
        "c.verdict_at, c.created_at, c.updated_at, u.username AS created_by, "
        "v.username AS verdict_by, s.id AS span_id, s.start, "
        's."end", s.quote, s.prefix, s.suffix, p.id AS paragraph_id, p.position, r.number, '
        "a.slug, (SELECT MAX(t.number) FROM articles_revision t WHERE t.article_id = a.id) "
        "AS target_revision "
        "FROM annotate_claim c JOIN annotate_span s ON s.id = c.span_id "
        "JOIN articles_paragraph p ON p.id = s.paragraph_id "
        "JOIN articles_revision r ON r.id = p.revision_id "
        "JOIN articles_article a ON a.id = r.article_id "
        "JOIN auth_user u ON u.id = c.created_by_id "
        "LEFT JOIN auth_user v ON v.id = c.verdict_by_id "
        f"WHERE c.id > {mark} ORDER BY c.id LIMIT {mark}",
        (after, size),
    )
    cols = [d[0] for d in cur.description]
    claims = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    ids = [c["id"] for c in claims]
    if not ids:  # past the last page
        return orjson.dumps({"results": []})
    marks = ",".join([mark] * len(ids))
    by_id = {c["id"]: c for c in claims}
    for c in claims:
        c["sources"], c["notes"], c["anchor"] = [], [], None
    cur.execute(
        "SELECT claim_id, id, url, title, publisher, excerpt, stance, reliability, created_at, "
        f"updated_at FROM annotate_source WHERE claim_id IN ({marks}) ORDER BY stance, id",
        ids,
    )
    for row in cur.fetchall():
        by_id[row[0]]["sources"].append(row[1:])
    cur.execute(
        "SELECT n.claim_id, n.id, n.likelihood, n.rationale, u.username, n.created_at, "
        "n.updated_at FROM annotate_confidencenote n JOIN auth_user u ON u.id = n.reviewer_id "
        f"WHERE n.claim_id IN ({marks}) ORDER BY n.created_at, n.id",
        ids,
    )
    for row in cur.fetchall():
        by_id[row[0]]["notes"].append(row[1:])
    moved = [c["id"] for c in claims if c["target_revision"] > c["number"]]
    if moved:  # placements in the current revision of spans made on an earlier one
        cur.execute(
            "SELECT c.id, x.status, x.needs_review, x.paragraph_id, q.position, x.start, "
            'x."end", x.quote FROM annotate_claim c JOIN annotate_spananchor x '
            "ON x.span_id = c.span_id JOIN articles_revision t ON t.id = x.revision_id "
            "LEFT JOIN articles_paragraph q ON q.id = x.paragraph_id "
            f"WHERE c.id IN ({','.join([mark] * len(moved))}) AND t.number = "
            "(SELECT MAX(o.number) FROM articles_revision o WHERE o.article_id = t.article_id)",
            moved,
        )
        for row in cur.fetchall():
            by_id[row[0]]["anchor"] = row[1:]
    for c in claims:
        likelihoods = sorted(note[1] for note in c["notes"])
        c["confidence"] = likelihoods and (
            len(likelihoods),
            likelihoods[0],
            statistics.median(likelihoods),
            likelihoods[-1],
        )
    return orjson.dumps({"results": claims}, default=str)


def bench_api(claims: int, runs: int) -> None:
    from annotate.models import Claim

    client = api_client()
    first = "/api/v1/claims/?expand=notes&page_size=100"
    page_ms = timed(lambda: get_ok(client, first), runs)
    floor_ms = timed(lambda: floor_page(0, 100), runs)
    emit(
        test="api_page",
        claims=claims,
        median_ms=statistics.median(page_ms),
        rps=1000 / statistics.median(page_ms),
        floor_ms=statistics.median(floor_ms),
        queries=queries_of(lambda: get_ok(client, first)),
    )
    url, pages, rows = first, 0, 0
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


def bench_export(name: str, claims: int) -> None:
    import resource

    client = api_client()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get(f"/api/v1/articles/{SLUG}/export/{name}/")
    assert response.status_code == 200, response.status_code
    assert response.streaming
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    emit(
        test="export",
        format=name,
        claims=claims,
        seconds=seconds,
        claims_per_s=claims / seconds,
        mib=size / 2**20,
        rss_before_mib=before,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def child(args: argparse.Namespace) -> None:
    setup_django(args.db)
    import generate

    if args.child == "export":
        bench_export(args.format, args.bulk)
        return
    for scale in args.scales if "workspace" in args.measures else []:
        started = time.perf_counter()
        generate.grow_to(scale)
        emit(test="generate", claims=scale, seconds=time.perf_counter() - started)
        bench_workspace(scale, args.runs)
        if scale == 1000:
            bench_reanchor(max(3, args.runs // 5))
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


def pg_admin(action: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_BASE + "postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
            if action == "create":
                conn.execute(f'CREATE DATABASE "{PG_NAME}"')
    except Exception as error:
        print(f"PostgreSQL not available ({error}); skipped", file=sys.stderr)
        return False
    return True


def bench_database(
    kind: str, scales: list[int], bulk: int, runs: int, tmp: str, measures: str
) -> list[dict]:
    if kind == "postgres":
        if not pg_admin("create"):
            return []
        url = PG_BASE + PG_NAME
    else:
        url = f"sqlite:///{tmp}/bench.sqlite3"
    print(f"\n{kind}: scales {scales}, bulk {bulk:,}", flush=True)
    try:
        common = ["--bulk", str(bulk), "--runs", str(runs), "--measures", measures]
        rows = run_child(url, "--child", "main", "--scales", *map(str, scales), *common)
        for name in EXPORTS if "exports" in measures else []:
            rows += run_child(url, "--child", "export", "--format", name, *common)
    finally:
        if kind == "postgres":
            pg_admin("drop")
    for row in rows:
        row["db"] = kind
    return rows


def table(rows: list[dict], bulk: int) -> list[str]:
    def get(db: str, test: str, **match) -> dict | None:
        for row in rows:
            if (
                row["db"] == db
                and row["test"] == test
                and all(row.get(k) == v for k, v in match.items())
            ):
                return row
        return None

    dbs = sorted({r["db"] for r in rows}, key=["sqlite", "postgres"].index)
    lines = [
        "| measure | target | " + " | ".join(dbs) + " |",
        "| --- | --- |" + " --- |" * len(dbs),
    ]

    def line(label: str, target: str, cell) -> None:
        cells = []
        for db in dbs:
            try:
                cells.append(cell(db))
            except (TypeError, KeyError, ZeroDivisionError):
                cells.append("–")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")

    for n in sorted({r["claims"] for r in rows if r["test"] == "workspace"}):
        line(
            f"workspace page, {n:,} claims (median; queries)",
            "≤ 100 ms at 1,000; queries flat" if n == 1000 else "queries flat",
            lambda db, n=n: "{median_ms:.0f} ms; {queries} q".format(
                **get(db, "workspace", claims=n)
            ),
        )
    for n in sorted({r["claims"] for r in rows if r["test"] == "open_claim"}):
        line(
            f"open one claim (htmx panel), {n:,} claims",
            "–",
            lambda db, n=n: "{median_ms:.1f} ms; {queries} q".format(
                **get(db, "open_claim", claims=n)
            ),
        )
    line(
        "re-anchor spans into a revision",
        "≤ 1 s for 1,000",
        lambda db: "{spans:,} spans: {median_ms:.0f} ms".format(**get(db, "reanchor")),
    )
    line(
        f"API claims list, 100/page nested, {bulk:,} claims",
        "≤ 2× floor",
        lambda db: (
            "{median_ms:.1f} ms/page ({rps:.0f} req/s); floor {floor_ms:.1f} ms: {r:.1f}×".format(
                r=get(db, "api_page")["median_ms"] / get(db, "api_page")["floor_ms"],
                **get(db, "api_page"),
            )
        ),
    )
    line(
        f"walk every page by cursor, {bulk:,} claims",
        "≤ 2× floor",
        lambda db: "{pages} pages in {seconds:.1f} s; floor {floor_seconds:.1f} s: {r:.1f}×".format(
            r=get(db, "api_walk")["seconds"] / get(db, "api_walk")["floor_seconds"],
            **get(db, "api_walk"),
        ),
    )
    for name in EXPORTS:
        line(
            f"export {name}, {bulk:,} claims (claims/s; peak RSS)",
            "streams; RSS ≤ 150 MB",
            lambda db, name=name: (
                "{claims_per_s:,.0f}/s, {mib:.0f} MiB out; {peak_rss_mib:.0f} MiB".format(
                    **get(db, "export", format=name)
                )
            ),
        )
    gens = [r for r in rows if r["test"] == "generate" and r["claims"] == bulk]
    line(
        f"generate up to {bulk:,} claims",
        "–",
        lambda db: "{seconds:.0f} s".format(**next(r for r in gens if r["db"] == db)),
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scales, for a fast check")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-write", action="store_true", help="don't write bench/RESULTS.md")
    parser.add_argument(
        "--measures",
        default="workspace,api,exports",
        help="which to run, of workspace (with re-anchoring), api, exports",
    )
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=["main", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--scales", type=int, nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--bulk", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0

    scales, bulk, runs = (
        ([100, 1000], 10_000, 5) if args.quick else ([100, 1000, 5000], 100_000, 15)
    )
    started = time.perf_counter()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        for kind in args.databases.split(","):
            rows += bench_database(kind, scales, bulk, runs, tmp, args.measures)
    lines = table(rows, bulk)
    took = time.perf_counter() - started
    print("\n" + "\n".join(lines))
    print(f"\n({took / 60:.1f} min)")
    if not args.no_write:
        write_results(lines, args, took)
    return 0


def write_results(lines: list[str], args: argparse.Namespace, took: float) -> None:
    """Replace the generated table in RESULTS.md; the analysis around it is kept."""
    path = ROOT / "bench" / "RESULTS.md"
    begin, end = "<!-- figures: begin -->", "<!-- figures: end -->"
    command = ".venv/bin/python bench/run.py" + (" --quick" if args.quick else "")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = "\n".join(
        [
            begin,
            f"`{command}` on {stamp}, {os.cpu_count()} cores, {took / 60:.0f} min:",
            "",
            *lines,
            end,
        ]
    )
    text = path.read_text() if path.exists() else f"# Benchmark results\n\n{begin}\n{end}\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    path.write_text(head + block + tail)


if __name__ == "__main__":
    sys.exit(main())
