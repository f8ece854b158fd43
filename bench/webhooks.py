"""Webhook deliveries per second: one worker drains a backlog of N changes to a receiver
on loopback.

    .venv/bin/python bench/webhooks.py [--changes 2000] [--db URL]

Makes a fresh database (a throwaway SQLite file, or the empty PostgreSQL database --db
names, dropped and created), imports the seed report, registers a lead's webhook to a
receiver in this process (bench/webhook_receiver.py), and records N claim edits through
the services (each one event, each its own transaction, as N API calls would). Then it
starts one worker (`manage.py db_worker`, as bin/start-worker does) and times it from
start until the receiver has every event; it checks that they arrived in feed order and
that each signature verifies. Prints the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mirror import recreate_postgres  # noqa: E402
from bench.webhook_receiver import Receiver  # noqa: E402

QUOTE = "the strike specifically targeted the negotiation team"


def setup(database_url: str, receiver_url: str, changes: int) -> tuple[str, list[int]]:
    """The webhook's secret and the ids of the events it is owed, in feed order."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["CLAIMDESK_WEBHOOK_ALLOW_PRIVATE"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from annotate import services
    from annotate.changes.selectors import changes_after
    from annotate.tests.factories import make_claim
    from annotate.webhooks.services import webhook_create
    from articles.models import Article

    call_command("migrate", verbosity=0)
    call_command("import_article", str(ROOT / "fixtures" / "seed-report.txt"), verbosity=0)
    call_command("create_demo_users", verbosity=0)
    from django.contrib.auth import get_user_model

    lead = get_user_model().objects.get(username="lead")
    paragraph = Article.objects.get().revisions.get().paragraphs.get(position=6)
    webhook = webhook_create(user=lead, url=receiver_url)
    start = webhook.cursor_txid, webhook.cursor_id
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=lead)
    for n in range(changes - 2):  # the claim's creation made two: its span and itself
        services.claim_update(claim=claim, user=lead, statement=f"Edit {n}")
    from annotate.changes.selectors import Position

    owed = [c.pk for c in changes_after(lead, after=Position(*start), limit=changes + 10)]
    connection.close()
    return webhook.secret, owed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=2000)
    parser.add_argument("--db", help="a PostgreSQL URL (its database is dropped and created)")
    args = parser.parse_args()

    receiver = Receiver().start()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.db or f"sqlite:///{tmp}/webhooks.sqlite3"
        if args.db:
            recreate_postgres(args.db)
        secret, owed = setup(database_url, receiver.url, args.changes)
        env = {**os.environ, "DATABASE_URL": database_url}
        started = time.monotonic()
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1",
             "--no-startup-delay", "--verbosity", "0"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            arrived = receiver.wait_for(lambda got: len(got) >= len(owed), timeout=3600)
            elapsed = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait()
            receiver.stop()

    from standardwebhooks import Webhook

    received = [json.loads(r.body)["id"] for r in receiver.requests]
    in_order = received[: len(owed)] == owed
    verified = all(Webhook(secret).verify(r.body, r.headers) for r in receiver.requests)
    vendor = "PostgreSQL" if args.db else "SQLite"
    print(
        f"{vendor}: {len(received)} of {len(owed)} events delivered by one worker in "
        f"{elapsed:.1f} s: {len(received) / elapsed:.0f} deliveries/s; "
        f"in feed order: {in_order}; signatures verified: {verified}"
    )
    return 0 if arrived and in_order and verified else 1


if __name__ == "__main__":
    sys.exit(main())
