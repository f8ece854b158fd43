"""Claimdesk side by side with doccano 1.8.4 (issue 13, "A peer side by side").

    DOCCANO_PYTHON=/path/to/venv/bin/python .venv/bin/python bench/peers/doccano.py \
        [--databases sqlite,postgres] [--quick] [--rounds 7] [--no-write]

The same document (the seed report) with the same spans, in a Claimdesk article grown by
bench/generate.py and in a doccano sequence-labelling project loaded from it (paragraph offsets
turned into offsets in doccano's joined text), at 1,000 and 10,000 annotations (--quick: 200).
Both apps are served under gunicorn with 2 sync workers on loopback, DEBUG off, each on a
database of its own (SQLite files in a temporary folder; on PostgreSQL `claimdesk_peer_doccano`
and `doccano_peer`, dropped afterwards). Measured in rounds, the two apps alternating within
each round (who goes first alternates too), medians of the rounds:

- reading every annotation of the document (doccano: its spans endpoint; Claimdesk: the
  article's claims list walked to the end at the largest `?page_size=` the API allows);
- opening the annotation page (doccano: the 11 requests its page makes; Claimdesk: the
  workspace page and the requests it makes on load, observed in Chromium);
- creating 500 annotations, one request each (doccano: POST spans; Claimdesk: a claim with
  its span), in rounds of 100;
- exporting (doccano: its JSONL export task's body; Claimdesk: the JSON Lines export
  endpoint through Django's request cycle, each in a process of its own, no network; and
  Claimdesk's endpoint over HTTP as well).

Prints the table and writes it into bench/RESULTS.md between the doccano markers (unless
--no-write). Without DOCCANO_PYTHON it prints how to install doccano and exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

INSTALL = """\
doccano side by side: not run (DOCCANO_PYTHON is not set).

To enable it, install doccano 1.8.4 in a virtualenv of its own, outside the repository
(about 2 minutes and 700 MB; the pins are needed: environs breaks on marshmallow 4,
pandas 1.5 on numpy 2; psycopg2-binary for PostgreSQL):

    python3 -m venv /work/doccano-venv
    /work/doccano-venv/bin/pip install doccano 'marshmallow<4' 'numpy<2' gunicorn psycopg2-binary

then run:

    DOCCANO_PYTHON=/work/doccano-venv/bin/python .venv/bin/python bench/peers/doccano.py

(--quick: 200 annotations, a fast check; --databases sqlite for one database; --no-write
leaves bench/RESULTS.md as it is). The facts behind it: ../shared/peers/doccano.md.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help="200 annotations, 3 rounds")
    parser.add_argument("--rounds", type=int, help="rounds per measure (default 7; quick 3)")
    parser.add_argument("--creates", type=int, default=500, help="annotations created per app")
    parser.add_argument("--no-write", action="store_true", help="don't write bench/RESULTS.md")
    args = parser.parse_args()
    python = os.environ.get("DOCCANO_PYTHON")
    if not python:
        print(INSTALL)
        return 0
    if not Path(python).exists():
        raise SystemExit(f"DOCCANO_PYTHON={python} does not exist.\n\n{INSTALL}")

    import peer_report
    from side_by_side import Plan, bench_database

    plan = Plan(
        scales=[200] if args.quick else [1000, 10_000],
        rounds=args.rounds or (3 if args.quick else 7),
        creates=args.creates,
    )
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="claimdesk-peer-") as tmp:
        for kind in args.databases.split(","):
            rows += bench_database(kind, python, plan, Path(tmp))
    lines = peer_report.table(rows)
    print("\n" + "\n".join(lines))
    if not args.no_write:
        peer_report.write_results(lines, " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
