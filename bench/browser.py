"""The workspace as a reader's browser meets it: Chromium against gunicorn, DEBUG off.

    .venv/bin/python bench/browser.py [--claims 5000] [--runs 5] [--databases sqlite,postgres]

For each database (SQLite in a temp file; PostgreSQL in a fresh database named by
CLAIMDESK_BENCH_PG_NAME with `_browser` appended, on BENCH_POSTGRES, as bench/run.py) it
grows the seed report to --claims with bench/generate.py, serves it with `bin/start-web`
(migrate, collectstatic, gunicorn; DEBUG off, plain http on loopback) and drives Debian's
Chromium (Playwright) as reviewer1. Each run, after one warm-up, measures:

- the page: DOMContentLoaded and load (Navigation Timing, from the start of navigation)
  and the HTML's size (decoded body bytes);
- select → "Add claim" shown: from a selection made in a paragraph to the Add claim
  button being displayed (selection.js fills it on the next animation frame);
- open a claim: from a click on a row of the claims list to its panel swapped in
  (htmx:afterSettle);
- search typed → list updated: from the input event of the search box (the filter bar
  waits for typing to pause, hx-trigger `delay`) to the reading area swapped in.

The interactions are timed inside the page (performance.now), so Playwright's own round
trips are not counted. Prints the medians as a table. The machine may be shared: read
medians, and compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import PG_BASE, PG_NAME, SLUG, pg_admin  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
# Budgets of issue 13 (medians at 5,000 claims).
BUDGETS = {
    "dom_content_loaded_ms": 600,
    "html_kib": 500,
    "select_to_add_ms": 50,
    "open_claim_ms": 150,
    "search_to_list_ms": 200,
}
LABELS = {
    "dom_content_loaded_ms": "DOMContentLoaded",
    "load_ms": "load",
    "html_kib": "HTML (KiB)",
    "select_to_add_ms": 'select → "Add claim" shown',
    "open_claim_ms": "open a claim",
    "search_to_list_ms": "search typed → list updated",
}


# --- in the page ----------------------------------------------------------------------------

NAVIGATION = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: n.decodedBodySize};
}"""

# Select the words of a paragraph without a highlight's help; resolve when the form shows.
SELECT_TO_ADD = """() => new Promise((resolve) => {
  const form = document.getElementById("add-claim");
  const paragraph = document.querySelector("#report p.paragraph:nth-of-type(3)");
  const text = Array.from(paragraph.childNodes).find((n) => n.nodeType === 3 && n.length > 12)
    || paragraph.querySelector("mark").firstChild;
  const range = document.createRange();
  range.setStart(text, 1);
  range.setEnd(text, Math.min(text.length, 12));
  form.hidden = true;
  const started = performance.now();
  const check = () => {
    if (!form.hidden && form.offsetParent !== null) resolve(performance.now() - started);
    else requestAnimationFrame(check);
  };
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  requestAnimationFrame(check);
})"""

OPEN_CLAIM = """(index) => new Promise((resolve) => {
  // A row of the claims list: at thousands of claims nearly every highlight is shared by
  // several claims (it opens the chooser, not a claim).
  const rows = document.querySelectorAll("#claim-list li:not(.more) a");
  const row = rows[index % rows.length];
  const started = performance.now();
  document.addEventListener("htmx:afterSettle", function done(event) {
    if (!document.querySelector("#panel section.claim")) return;
    document.removeEventListener("htmx:afterSettle", done);
    resolve(performance.now() - started);
  });
  row.click();
})"""

SEARCH = """(words) => new Promise((resolve) => {
  const box = document.getElementById("f-q");
  let started = 0;
  document.addEventListener("htmx:afterSettle", function done(event) {
    const target = event.detail.target;
    if (target.id !== "reading" && !(target.closest && target.closest("#reading"))) return;
    document.removeEventListener("htmx:afterSettle", done);
    resolve(performance.now() - started);
  });
  box.value = words;
  started = performance.now();
  box.dispatchEvent(new Event("input", {bubbles: true}));
})"""


def measure_page(page, base: str, runs: int) -> dict[str, list[float]]:
    url = f"{base}/articles/{SLUG}/"
    found: dict[str, list[float]] = {key: [] for key in LABELS}
    for run in range(runs + 1):  # the first is a warm-up
        page.goto(url, wait_until="load")
        nav = page.evaluate(NAVIGATION)
        select_ms = page.evaluate(SELECT_TO_ADD)
        page.evaluate("() => window.getSelection().removeAllRanges()")
        open_ms = page.evaluate(OPEN_CLAIM, run * 7)
        page.goto(url, wait_until="load")
        search_ms = page.evaluate(SEARCH, "Claim 1" if run % 2 else "Qatar")
        if run == 0:
            continue
        found["dom_content_loaded_ms"].append(nav["dcl"])
        found["load_ms"].append(nav["load"])
        found["html_kib"].append(nav["bytes"] / 1024)
        found["select_to_add_ms"].append(select_ms)
        found["open_claim_ms"].append(open_ms)
        found["search_to_list_ms"].append(search_ms)
    return found


def drive(base: str, password: str, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("reviewer1")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        found = measure_page(page, base, runs)
        browser.close()
    return {key: statistics.median(values) for key, values in found.items()}


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "PYTHON": sys.executable,
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def serving(url: str, tmp: str):
    port = free_port()
    env = server_env(url, port)
    log = open(Path(tmp) / f"web-{port}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603 (our own script)
        [str(ROOT / "bin" / "start-web")], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"bin/start-web did not start; see {log.name}") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def grow(url: str, claims: int) -> str:
    """Generate the workspace in a child process; return the demo accounts' password."""
    code = (
        "import sys, json; sys.path[:0] = [sys.argv[1] + '/bench', sys.argv[1]]\n"
        "import run; run.setup_django(sys.argv[2])\n"
        "import generate; generate.grow_to(int(sys.argv[3]))\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.CLAIMDESK_DEMO_PASSWORD))\n"
    )
    done = subprocess.run(  # noqa: S603 (our own code)
        [sys.executable, "-c", code, str(ROOT), url, str(claims)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_database(kind: str, claims: int, runs: int, tmp: str) -> dict[str, float] | None:
    name = f"{PG_NAME}_browser"
    if kind == "postgres":
        if not pg_admin("create", name):
            return None
        url = PG_BASE + name
    else:
        url = f"sqlite:///{tmp}/browser.sqlite3"
    try:
        started = time.perf_counter()
        password = grow(url, claims)
        print(f"{kind}: {claims:,} claims generated in {time.perf_counter() - started:.0f} s")
        with serving(url, tmp) as base:
            return drive(base, password, runs)
    finally:
        if kind == "postgres":
            pg_admin("drop", name)


def table(results: dict[str, dict[str, float]], claims: int, runs: int) -> list[str]:
    kinds = list(results)
    lines = [
        f"Workspace in Chromium, {claims:,} claims, medians of {runs} runs",
        "",
        "| measure | target | " + " | ".join(kinds) + " |",
        "| --- | --- | " + " | ".join("---" for _ in kinds) + " |",
    ]
    for key, label in LABELS.items():
        budget = BUDGETS.get(key)
        target = f"≤ {budget}" if budget else "–"
        cells = []
        for kind in kinds:
            value = results[kind][key]
            mark = "" if budget is None or value <= budget else " (over)"
            cells.append(f"{value:,.0f}{mark}")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="claimdesk-browser-") as tmp:
        for kind in args.databases.split(","):
            found = bench_database(kind, args.claims, args.runs, tmp)
            if found is not None:
                results[kind] = found
                print(f"  {kind}: " + json.dumps({k: round(v, 1) for k, v in found.items()}))
    print("\n" + "\n".join(table(results, args.claims, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
