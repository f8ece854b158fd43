"""One database kind, both apps: build the same document at each scale, serve both, and time
each measure in interleaved rounds (bench/peers/doccano.py describes the measures).

Interleaving is what makes the ratios fair on a shared machine: within a round the two apps
run one after the other (who goes first alternates between rounds), so a burst of load from
elsewhere falls on both, and the median of the rounds keeps the typical round.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import page_requests
from clients import CREATE_SEED, Claimdesk, Doccano, create_bodies
from doccano_side import paragraph_offsets
from servers import (
    PG_BASE,
    claimdesk_env,
    doccano_env,
    free_port,
    pg_reset,
    serve_claimdesk,
    serve_doccano,
)

HERE = Path(__file__).resolve().parent
OURS_PG, DOCCANO_PG = "claimdesk_peer_doccano", "doccano_peer"
CREATE_BATCH = 100


@dataclass(frozen=True)
class Plan:
    scales: list[int]
    rounds: int
    creates: int


def run_child(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 (our own scripts)
        command, env=env, capture_output=True, text=True, timeout=3600, check=False
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Loop:
    """A child process that does one timed piece of work per line it reads, answering a JSON
    line: for the exports, so that each app's export runs in its own process, warm."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("w") as err:
            self.process = subprocess.Popen(  # noqa: S603 (our own scripts)
                command,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )

    def once(self) -> tuple[float, int]:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"export loop ended:\n{self.log.read_text()[-3000:]}")
        answer = json.loads(line)
        return answer["ms"], answer["bytes"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@contextmanager
def loop(command: list[str], env: dict[str, str], log: Path) -> Iterator[Loop]:
    child = Loop(command, env, log)
    try:
        yield child
    finally:
        child.close()


def timed(fn: Callable[[], int]) -> Callable[[], tuple[float, int]]:
    """Time a client's call in this process: (milliseconds, bytes or rows it returned)."""

    def run() -> tuple[float, int]:
        started = time.perf_counter()
        size = fn()
        return (time.perf_counter() - started) * 1000, size

    return run


def interleave(sides: dict[str, Callable[[], tuple[float, int]]], rounds: int) -> dict:
    """Each side once per round, in an order that rotates every round, after one warm-up
    call of each (per gunicorn worker, two); the median time and the size of each side."""
    for fn in sides.values():
        fn(), fn()
    names, times = list(sides), {name: [] for name in sides}
    sizes = {}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            ms, sizes[name] = sides[name]()
            times[name].append(ms)
    return {name: (statistics.median(times[name]), sizes[name]) for name in names}


def measure(kind: str, scale: int, plan: Plan, ours: Claimdesk, doc: Doccano, exports) -> list:
    row = {"db": kind, "annotations": scale}
    assert ours.read_all() == scale, "Claimdesk's list does not hold every claim"
    assert doc.read_all() == scale, "doccano's spans endpoint does not hold every span"
    out = []
    read = interleave({"ours": timed(ours.read_all), "doccano": timed(doc.read_all)}, plan.rounds)
    out.append({**row, "measure": "read", **pair(read, "ours", "doccano")})
    page = interleave({"ours": timed(ours.open_page), "doccano": timed(doc.open_page)}, plan.rounds)
    out.append(
        {
            **row,
            "measure": "page",
            **pair(page, "ours", "doccano"),
            "ours_requests": [ours.page, *ours.page_requests],
            "doccano_requests": 11,
        }
    )
    ours_export, doc_export = exports
    export = interleave(
        {"ours": ours_export.once, "doccano": doc_export.once, "http": timed(ours.export)},
        plan.rounds,
    )
    out.append({**row, "measure": "export", **pair(export, "ours", "doccano")})
    out.append({**row, "measure": "export_http", **pair(export, "http", "doccano")})
    out.append({**row, "measure": "create", **creates(plan, ours, doc)})
    assert ours.read_all() == scale + plan.creates
    assert doc.read_all() == scale + plan.creates
    return out


def pair(medians: dict, ours: str, doccano: str) -> dict:
    return {
        "ours_ms": medians[ours][0],
        "ours_size": medians[ours][1],
        "doccano_ms": medians[doccano][0],
        "doccano_size": medians[doccano][1],
    }


def creates(plan: Plan, ours: Claimdesk, doc: Doccano) -> dict:
    """`plan.creates` annotations through each API, one request each, in interleaved rounds
    of CREATE_BATCH: milliseconds per create, median of the rounds. The same spans on both
    sides, so the two documents stay the same for the next scale."""
    paragraphs, kinds = ours.data["paragraphs"], ours.data["kinds"]
    starts = paragraph_offsets(paragraphs)
    spans = create_bodies(paragraphs, plan.creates, CREATE_SEED + len(ours.data["spans"]))
    times = {"ours": [], "doccano": []}
    for index, first in enumerate(range(0, plan.creates, CREATE_BATCH)):
        batch = spans[first : first + CREATE_BATCH]
        batch_kinds = [kinds[(first + i) % len(kinds)] for i in range(len(batch))]
        sides = {
            "ours": lambda b=batch, k=batch_kinds: ours.create(b, k),
            "doccano": lambda b=batch, k=batch_kinds: doc.create(b, k, starts),
        }
        for name in list(sides)[index % 2 :] + list(sides)[: index % 2]:
            started = time.perf_counter()
            sides[name]()
            times[name].append((time.perf_counter() - started) * 1000 / len(batch))
    return {
        "ours_ms": statistics.median(times["ours"]),
        "doccano_ms": statistics.median(times["doccano"]),
        "ours_size": plan.creates,
        "doccano_size": plan.creates,
    }


def database_urls(kind: str, tmp: Path, home: Path) -> tuple[str, str]:
    if kind == "sqlite":
        return f"sqlite:///{tmp}/claimdesk-peer.sqlite3", f"sqlite:///{home}/db.sqlite3"
    if kind != "postgres":
        raise SystemExit(f"unknown database {kind}: sqlite or postgres")
    pg_reset(OURS_PG)
    pg_reset(DOCCANO_PG)
    # doccano asks for TLS unless the URL says otherwise (its settings: ssl_require).
    return PG_BASE + OURS_PG, PG_BASE + DOCCANO_PG + "?sslmode=disable"


def ours_command(*args: str) -> list[str]:
    return [sys.executable, str(HERE / "claimdesk_side.py"), *args]


@dataclass(frozen=True)
class Apps:
    """Where each app of one database kind lives: its database, environment and port."""

    python: str  # doccano's interpreter
    tmp: Path
    ours_url: str
    ours_env: dict[str, str]
    ours_port: int
    doccano_env: dict[str, str]
    doccano_port: int

    def doccano_command(self, *args: str) -> list[str]:
        return [self.python, str(HERE / "doccano_side.py"), *args]

    def build(self, scale: int) -> tuple[dict, dict]:
        """Grow our article to `scale` claims, give doccano the same spans; both descriptions."""
        described = self.tmp / "claimdesk.json"
        command = ours_command(
            "--db", self.ours_url, "--claims", str(scale), "--out", str(described)
        )
        run_child(command, {**self.ours_env, "DEBUG": "true"})  # demo users need DEBUG
        data = json.loads(described.read_text())
        loaded = run_child(self.doccano_command("load", str(described)), self.doccano_env)
        ids = json.loads(loaded.splitlines()[-1])  # after what migrate printed
        assert ids["spans"] == len(data["spans"]) == scale, (ids["spans"], scale)
        return data, ids

    def serve(self, stack: ExitStack, data: dict, ids: dict) -> tuple[Loop, Loop]:
        """Start both servers and both export loops, stopped when `stack` closes."""
        tmp = self.tmp
        stack.enter_context(serve_claimdesk(self.ours_url, self.ours_port, tmp / "ours.log"))
        stack.enter_context(
            serve_doccano(self.python, self.doccano_env, self.doccano_port, tmp / "doccano.log")
        )
        export_loop = ours_command("--db", self.ours_url, "--export-loop", "--token", data["token"])
        return (
            stack.enter_context(loop(export_loop, self.ours_env, tmp / "ours-export.log")),
            stack.enter_context(
                loop(
                    self.doccano_command("export", str(ids["project"])),
                    self.doccano_env,
                    tmp / "doccano-export.log",
                )
            ),
        )


def bench_database(kind: str, python: str, plan: Plan, tmp: Path) -> list[dict]:
    home = tmp / f"doccano-{kind}"
    (home / "media").mkdir(parents=True)
    ours_url, doccano_url = database_urls(kind, tmp, home)
    ours_port, doccano_port = free_port(), free_port()
    apps = Apps(
        python=python,
        tmp=tmp,
        ours_url=ours_url,
        ours_env=claimdesk_env(ours_url, ours_port),
        ours_port=ours_port,
        doccano_env=doccano_env(python, home, doccano_url),
        doccano_port=doccano_port,
    )
    rows: list[dict] = []
    try:
        with ExitStack() as stack:
            exports = None
            for scale in plan.scales:
                started = time.perf_counter()
                data, ids = apps.build(scale)
                exports = exports or apps.serve(stack, data, ids)
                ready = time.perf_counter()
                print(
                    f"{kind}: {scale:,} annotations, built in {ready - started:.0f} s", flush=True
                )
                ours = Claimdesk(f"http://127.0.0.1:{ours_port}", data)
                cookies = ours.browser.cookies.get_dict()
                ours.page_requests = page_requests.discover(ours.base, ours.page, cookies) or []
                doc = Doccano(f"http://127.0.0.1:{doccano_port}", ids)
                rows += measure(kind, scale, plan, ours, doc, exports)
                for row in rows[-5:]:
                    print("  ", json.dumps(row), flush=True)
                print(f"  measured in {time.perf_counter() - ready:.0f} s", flush=True)
    except BaseException:
        for log in sorted(tmp.glob("*.log")):  # the servers' side of a failure
            print(f"--- {log.name}:\n{log.read_text()[-2000:]}", file=sys.stderr)
        raise
    finally:
        if kind == "postgres":
            pg_reset(OURS_PG, drop_only=True)
            pg_reset(DOCCANO_PG, drop_only=True)
    return rows
