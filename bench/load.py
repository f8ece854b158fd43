"""A bounded mixed read/write load on a running Claimdesk, optionally with a fault.

    .venv/bin/python bench/load.py --base http://127.0.0.1:8000 --tokens T1,T2 \
        [--seconds 20] [--concurrency 64] [--fault "command" --fault-at 5] \
        [--database-url postgres://…]

Each of `concurrency` threads sends requests back to back for `seconds`: about 70% reads
(the claims list with notes, one claim), 30% writes (a claim on new text, a citation on a
claim made earlier). Prints the count per status and p50/p99 latency. Fails (exit 1) on any
answer other than 2xx or a deliberate 429, except that while a --fault runs (and until the
app answers again) a 503 with a JSON error body is expected; it must come quickly (no
hang past MAX_UNAVAILABLE_SECONDS). With --database-url, every write acknowledged with a
2xx must be in the database afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

SLUG = "doha-strike-2025-09-09"
MAX_UNAVAILABLE_SECONDS = 10.0  # queueing included: 64 connections on a few workers
RECOVERY_SECONDS = 5.0
REQUEST_TIMEOUT = 20


@dataclass
class Result:
    started: float
    seconds: float
    method: str
    path: str
    status: int  # 0: no answer (connection error, timeout)
    body: bytes = b""


@dataclass
class Shared:
    results: list[Result] = field(default_factory=list)
    created: dict[str, list[int]] = field(default_factory=lambda: {"claims": [], "citations": []})
    lock: threading.Lock = field(default_factory=threading.Lock)


def request(base, token: str, method: str, path: str, body: dict | None = None) -> Result:
    started = time.monotonic()
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=REQUEST_TIMEOUT)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        data, status = str(error).encode(), 0
    finally:
        conn.close()
    return Result(started, time.monotonic() - started, method, path, status, data)


def worker(base, token: str, paragraphs: list[dict], shared: Shared, until: float, seed: int):
    rng = random.Random(seed)  # noqa: S311 (load shape, not secrets)
    while time.monotonic() < until:
        roll = rng.random()
        with shared.lock:
            claims = shared.created["claims"][-50:]
        if roll < 0.55:
            result = request(
                base, token, "GET", f"/api/v1/claims/?article={SLUG}&expand=notes&page_size=20"
            )
        elif roll < 0.7 and claims:
            result = request(base, token, "GET", f"/api/v1/claims/{rng.choice(claims)}/")
        elif roll < 0.85 or not claims:
            paragraph = rng.choice(paragraphs)
            text = paragraph["text"]
            start = rng.randrange(0, max(1, len(text) - 40))
            end = start + rng.randint(5, 40)
            result = request(
                base, token, "POST", "/api/v1/claims/",
                {"paragraph": paragraph["id"], "start": start, "end": end, "quote": text[start:end],
                 "statement": f"Load claim {rng.random():.6f}", "kind": "factual"},
            )  # fmt: skip
            kind = "claims"
        else:
            result = request(
                base, token, "POST", "/api/v1/citations/",
                {"claim": rng.choice(claims), "stance": "supports", "credibility": 3,
                 "new_source": {"link": "https://example.org/load", "title": "Load",
                                "reliability": "B"}},
            )  # fmt: skip
            kind = "citations"
        with shared.lock:
            shared.results.append(result)
            if result.method == "POST" and result.status == 201:
                shared.created[kind].append(json.loads(result.body)["id"])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def is_json_unavailable(result: Result) -> bool:
    try:
        return json.loads(result.body)["error"]["code"] == "unavailable"
    except (ValueError, KeyError, TypeError):
        return False


def check(shared: Shared, fault: tuple[float, float] | None) -> list[str]:
    """The problems seen; `fault` is the (start, end) of the fault's command.

    A 503 with a JSON body is expected from a request that was still being answered when
    the fault began (requests queue for seconds under this load) until RECOVERY_SECONDS
    after the fault's command returned; from then on the app must have recovered by itself.
    """
    problems = []
    if fault is not None:
        if not any(r.started >= fault[1] and 200 <= r.status < 300 for r in shared.results):
            problems.append("never recovered after the fault")
        late = [r.started - fault[1] for r in shared.results if r.status == 503]
        if late:
            print(f"last 503 started {max(late):.1f} s after the fault's command returned")
    for r in shared.results:
        if 200 <= r.status < 300 or r.status == 429:
            continue
        during = fault is not None and (
            r.started + r.seconds >= fault[0] and r.started <= fault[1] + RECOVERY_SECONDS
        )
        if during and r.status == 503 and is_json_unavailable(r):
            if r.seconds > MAX_UNAVAILABLE_SECONDS:
                problems.append(f"503 after {r.seconds:.1f} s (a hang): {r.method} {r.path}")
            continue
        problems.append(f"{r.status} {r.method} {r.path}: {r.body[:200]!r}")
    return problems


def check_persisted(shared: Shared, database_url: str) -> list[str]:
    import psycopg

    problems = []
    with psycopg.connect(database_url) as conn:
        for kind, table in [("claims", "annotate_claim"), ("citations", "annotate_citation")]:
            ids = shared.created[kind]
            found = conn.execute(
                f"SELECT count(*) FROM {table} WHERE id = ANY(%s)", (ids,)
            ).fetchone()[0]
            print(f"acknowledged {kind}: {len(ids)}, in the database: {found}")
            if found != len(ids):
                problems.append(f"{len(ids) - found} acknowledged {kind} missing from the database")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--tokens", required=True, help="comma-separated API tokens (writers)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--fault", help="a shell command run during the load")
    parser.add_argument("--fault-at", type=float, default=5, help="seconds into the load")
    parser.add_argument("--database-url", help="check that acknowledged writes were kept")
    args = parser.parse_args()
    base = urlsplit(args.base)
    tokens = args.tokens.split(",")
    article = request(base, tokens[0], "GET", f"/api/v1/articles/{SLUG}/")
    assert article.status == 200, article
    paragraphs = json.loads(article.body)["paragraphs"]

    shared = Shared()
    started = time.monotonic()
    until = started + args.seconds
    threads = [
        threading.Thread(
            target=worker, args=(base, tokens[i % len(tokens)], paragraphs, shared, until, i)
        )
        for i in range(args.concurrency)
    ]
    for thread in threads:
        thread.start()
    fault = None
    if args.fault:
        time.sleep(args.fault_at)
        fault_started = time.monotonic()
        print(f"fault at {args.fault_at:.0f} s: {args.fault}", flush=True)
        subprocess.run(args.fault, shell=True, check=True, timeout=60)  # noqa: S602 (CI's own command)
        fault = (fault_started, time.monotonic())
        print(f"fault command took {fault[1] - fault[0]:.1f} s", flush=True)
    for thread in threads:
        thread.join(timeout=args.seconds + REQUEST_TIMEOUT + 10)

    results = shared.results
    took = time.monotonic() - started
    by_status: dict[int, int] = {}
    for r in results:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    ok = [r.seconds * 1000 for r in results if 200 <= r.status < 300]
    print(
        f"{len(results)} requests in {took:.1f} s at {args.concurrency} connections "
        f"({len(results) / took:.0f}/s); statuses {dict(sorted(by_status.items()))}; "
        f"2xx latency p50 {statistics.median(ok) if ok else float('nan'):.0f} ms, "
        f"p99 {percentile(ok, 0.99):.0f} ms"
    )
    if fault is not None:
        unavailable = [r for r in results if r.status == 503]
        if unavailable:
            print(
                f"503 while the database was away: {len(unavailable)}, slowest "
                f"{max(r.seconds for r in unavailable):.2f} s"
            )
    problems = check(shared, fault)
    if args.database_url:
        problems += check_persisted(shared, args.database_url)
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    if len(problems) > 20:
        print(f"... and {len(problems) - 20} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
