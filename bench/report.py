"""The table of figures that bench/run.py prints and writes into bench/RESULTS.md.

Rows are the children's RESULT lines tagged with their database (`db`) and their scale
(`scale`: "one" for the seed report grown to the bulk size, "articles" for many articles).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

EXPORTS = ["w3c", "claimreview", "csv", "jsonl"]
PULLS = ["jsonl", "w3c"]  # the bulk pull of every article, at the many-articles scale
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def page_cell(row: dict) -> str:
    return "{median_ms:.1f} ms/page ({rps:.0f} req/s); floor {floor_ms:.1f} ms: {r:.1f}×".format(
        r=row["median_ms"] / row["floor_ms"], **row
    )


def walk_cell(row: dict) -> str:
    return "{pages} pages in {seconds:.1f} s; floor {floor_seconds:.1f} s: {r:.1f}×".format(
        r=row["seconds"] / row["floor_seconds"], **row
    )


def export_cell(row: dict) -> str:
    cell = "{claims_per_s:,.0f}/s, {mib:.0f} MiB out; {peak_rss_mib:.0f} MiB".format(**row)
    if "floor_claims_per_s" in row:  # JSON Lines and W3C: against the raw JSON Lines floor
        cell += "; floor {floor_claims_per_s:,.0f}/s: {r:.2f}×".format(
            r=row["floor_claims_per_s"] / row["claims_per_s"], **row
        )
        if row.get("floor_same_size") is False:
            cell += " (floor's bytes differ)"
    return cell


def table(rows: list[dict], plan) -> list[str]:
    def get(db: str, test: str, scale: str = "one", **match) -> dict | None:
        for row in rows:
            if (
                row["db"] == db
                and row["test"] == test
                and row["scale"] == scale
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
        if any(cell != "–" for cell in cells):  # a measure this run left out has no line
            lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")

    for n in sorted({r["claims"] for r in rows if r["test"] == "workspace"}):
        line(
            f"workspace page, {n:,} claims (median; queries)",
            {1000: "≤ 50 ms; queries flat", 5000: "≤ 200 ms; queries flat"}.get(n, "queries flat"),
            lambda db, n=n: "{median_ms:.0f} ms; {queries} q".format(
                **get(db, "workspace", claims=n)
            ),
        )

    def among_vs_alone(db: str, n: int) -> str:
        among = get(db, "workspace_among", "articles")["median_ms"]
        alone = get(db, "workspace", claims=n)["median_ms"]
        return f"{among:.0f} ms vs {alone:.0f} ms alone ({among / alone:.2f}x)"

    for n in sorted({r["claims"] for r in rows if r["test"] == "workspace_among"}):
        line(
            f"workspace of the middle article among {plan.articles} of {n:,} claims",
            "within 10% of the same size alone",
            lambda db, n=n: among_vs_alone(db, n),
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
    bulk = plan.bulk
    line(
        f"API claims list, 100/page nested, {bulk:,} claims",
        "≤ 1.5× floor (PG), ≤ 3× (SQLite)",
        lambda db: page_cell(get(db, "api_page")),
    )
    line(
        f"walk every page by cursor, {bulk:,} claims",
        "≤ 2× floor",
        lambda db: walk_cell(get(db, "api_walk")),
    )
    for name in EXPORTS:
        line(
            f"export {name}, {bulk:,} claims (claims/s; peak RSS)",
            "≥ 20,000/s, ≤ 1.5× floor (PG); streams; RSS ≤ 150 MB"
            if name in ("jsonl", "w3c")
            else "streams; RSS ≤ 150 MB",
            lambda db, name=name: export_cell(get(db, "export", format=name)),
        )
    line(
        f"generate up to {bulk:,} claims",
        "–",
        lambda db: "{seconds:.0f} s".format(**get(db, "generate", claims=bulk)),
    )
    line(
        "claim+span creates through the API, one client (per s; CPU; queries)",
        "≥ doccano's 131/s; ≤ 15 q",
        lambda db: "{creates_per_s:.0f}/s; {cpu_ms:.0f} ms CPU; {queries} q".format(
            **get(db, "creates", "creates")
        ),
    )
    many_articles(line, get, plan)
    return lines


def many_articles(line, get, plan) -> None:
    """The rows of the second scale: many articles in a database of their own."""
    scale = f"{plan.articles} articles × {plan.per_article:,} claims"
    total = plan.articles * plan.per_article
    line(
        f"{scale}: API claims list across articles, 100/page nested",
        "≤ 2× floor",
        lambda db: page_cell(get(db, "api_page", "articles")),
    )
    line(
        f"{scale}: walk every page by cursor, {total:,} claims",
        "≤ 2× floor",
        lambda db: walk_cell(get(db, "api_walk", "articles")),
    )
    line(
        f"{scale}: claims list of one article (`?article=`), 100/page nested",
        "≤ 2× floor",
        lambda db: page_cell(get(db, "api_article_page", "articles")),
    )
    line(
        f"{scale}: articles list, {plan.articles} articles on one page (queries)",
        "–",
        lambda db: "{cell}; {queries} q".format(
            cell=page_cell(get(db, "articles_page", "articles")),
            **get(db, "articles_page", "articles"),
        ),
    )
    for name in PULLS:
        line(
            f"{scale}: bulk pull, export {name} of every article in turn, one process "
            "(claims/s; peak RSS)",
            "streams; RSS ≤ 150 MB",
            lambda db, name=name: export_cell(get(db, "pull", "articles", format=name)),
        )
    line(
        f"generate {scale}",
        "–",
        lambda db: "{seconds:.0f} s".format(**get(db, "generate", "articles")),
    )


def write_results(lines: list[str], args: argparse.Namespace, took: float) -> None:
    """Replace the generated table in RESULTS.md; the analysis around it is kept."""
    path = RESULTS
    begin, end = "<!-- figures: begin -->", "<!-- figures: end -->"
    command = " ".join(
        [".venv/bin/python bench/run.py"]
        + (["--quick"] if args.quick else [])
        + [f"--{name} {getattr(args, name)}" for name in ("databases", "measures")]
    )
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
