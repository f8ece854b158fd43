"""Proof that the changes feed misses nothing: a mirror kept through GET /api/v1/changes/
equals the JSON Lines export, field for field, after random operations ran meanwhile.

    .venv/bin/python bench/mirror.py [--ops 10000] [--db URL] [--seed N] [--workers 2]

Makes a fresh database (a throwaway SQLite file, or the empty PostgreSQL database --db
names, dropped and created), imports the seed report with independent review on, and
serves it with gunicorn on loopback. Another process then runs `--ops` random operations
through the API, from two reviewers and a lead: claims created, edited, deleted and
restored, verdicts, notes recorded, changed and deleted, citations of shared sources,
source reliability changes, links between claims, deliberate 412 conflicts (an edit with
a stale If-Match), and, halfway, a revision import (`manage.py import_revision`, the way
revisions arrive). Meanwhile this process mirrors the workspace through the feed into a
local SQLite file, twice: as the lead, who sees everything, and as a reviewer under
independent review, whose view of others' notes comes and goes with their own.

At the end each mirror is compared with that user's JSON Lines export: every claim, every
field, with 0 differences expected. Then a fresh mirror reads the whole feed from the
start, timed: the feed's events per second. Prints the figures; exits 1 on a difference.

The mirror is bench/feed_client.py, the shape of a researcher's client; the operations
are bench/random_ops.py.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.feed_client import Api, Mirror, differences, export_lines, notes_agree  # noqa: E402
from bench.random_ops import SLUG, operate  # noqa: E402

# The bench itself: a database, a server, the operations and the mirrors ---------------


def setup_database(database_url: str) -> dict[str, str]:
    """Migrate, import the seed report (independent review on), make the demo users; their
    tokens."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from annotate.api.tokens import token_for
    from articles.models import Article

    call_command("migrate", verbosity=0)
    call_command("import_article", str(ROOT / "fixtures" / "seed-report.txt"), verbosity=0)
    call_command("create_demo_users", verbosity=0)
    Article.objects.filter(slug=SLUG).update(independent_review=True)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=["reviewer1", "reviewer2", "lead"])
    return {user.username: token_for(user).key for user in users}


def recreate_postgres(url: str) -> None:
    """Drop and create the database the URL names (a bench's own, never a real one)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(database_url: str, workers: int) -> tuple[subprocess.Popen, str]:
    """gunicorn as production runs it (DEBUG off), its API budgets raised so that the
    operations measure the app, not the throttle."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "mirror-bench-" + "x9Qz!k3Lm#" * 6,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "CLAIMDESK_API_READ_RATE": "1000000/minute",
        "CLAIMDESK_API_WRITE_RATE": "1000000/minute",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/api/v1/")
            return server, base
        except OSError:
            time.sleep(0.2)  # a condition, polled: the server is not listening yet
    server.kill()
    raise RuntimeError("gunicorn did not start")


def revised_report(workdir: Path) -> Path:
    """The seed report with a new opening paragraph and one sentence reworded: revision 2."""
    text = (ROOT / "fixtures" / "seed-report.txt").read_text()
    head, sep, body = text.partition("\n---\n")
    if not sep:
        head, body = "", text
    revised = body.replace("The attack comes", "The attack came", 1)
    path = workdir / "revision-2.txt"
    path.write_text(f"{head}{sep}Editor's note: this report was updated.\n\n{revised.lstrip()}")
    return path


def operate_concurrently(spec: dict, writers: int) -> Counter:
    """The operations in `writers` threads at once (so on PostgreSQL transactions overlap
    and commit out of the order they began), the first of them importing the revision."""
    statuses: Counter = Counter()
    failures: list[BaseException] = []
    share = spec["ops"] // writers

    def run(index: int) -> None:
        mine = {**spec, "ops": share, "seed": spec["seed"] + index}
        if index:
            mine["revision_at"] = None
        try:
            statuses.update(operate(**mine))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--db", help="an empty PostgreSQL database (dropped and made anew)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--writers", type=int, default=3, help="threads of the operations' process")
    parser.add_argument("--operate", help=argparse.SUPPRESS)  # the operations' process
    args = parser.parse_args()
    if args.operate:
        statuses = operate_concurrently(json.loads(args.operate), args.writers)
        print(json.dumps([[str(key), value] for key, value in sorted(statuses.items(), key=str)]))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="claimdesk-mirror-"))
    database_url = args.db or f"sqlite:///{workdir / 'app.sqlite3'}"
    if args.db:
        recreate_postgres(args.db)
    tokens = setup_database(database_url)
    server, base = serve(database_url, args.workers)
    try:
        return measure(args, workdir, database_url, base, tokens)
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(args, workdir: Path, database_url: str, base: str, tokens: dict[str, str]) -> int:
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    command = [sys.executable, "manage.py", "import_revision", SLUG, str(revised_report(workdir))]
    spec = {
        "base": base,
        "tokens": tokens,
        "ops": args.ops,
        "seed": args.seed,
        "revision_at": args.ops // args.writers // 2,
        "revision_command": command,
    }
    env = {**os.environ, "DATABASE_URL": database_url}
    started = time.monotonic()
    operations = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--writers", str(args.writers), "--operate", json.dumps(spec)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    mirrors = {
        name: Mirror(str(workdir / f"mirror-{name}.sqlite3")) for name in ("lead", "reviewer1")
    }
    readers = {name: Api(base, tokens[name]) for name in mirrors}
    while operations.poll() is None:  # mirror while the operations run
        for name, mirror in mirrors.items():
            mirror.sync(readers[name])
        with contextlib.suppress(subprocess.TimeoutExpired):
            operations.wait(timeout=0.1)  # up to date: give the operations a moment
    output, _ = operations.communicate()
    took = time.monotonic() - started
    if operations.returncode:
        print("the operations failed", file=sys.stderr)
        return 1
    statuses = json.loads(output.strip().splitlines()[-1])
    print(f"{vendor}: {args.ops} operations in {took:.1f} s ({args.ops / took:.0f}/s), statuses:")
    for key, value in statuses:
        print(f"  {key}: {value}")
    failed = False
    for name, mirror in mirrors.items():
        mirror.sync(readers[name])
        found = differences(mirror.json_lines(SLUG), export_lines(readers[name], SLUG))
        found += notes_agree(mirror)
        claims = len(mirror.all("claim"))
        print(
            f"mirror as {name}: {mirror.events} events read, {claims} claims, "
            f"{len(found)} differences from the JSON Lines export"
        )
        for line in found[:20]:
            print("  DIFFERENCE:", line)
        failed |= bool(found)
    fresh = Mirror(str(workdir / "mirror-fresh.sqlite3"))
    started = time.monotonic()
    events = fresh.sync(readers["lead"])
    took = time.monotonic() - started
    print(
        f"feed read from the start as the lead: {events} events in {took:.2f} s "
        f"({events / took:.0f} events/s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
