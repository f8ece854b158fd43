"""Profile one request with pyinstrument on a generated workspace.

    .venv/bin/python bench/profile.py [--claims 10000] [--articles N] [--db URL] URL

Grows the workspace in the given database (kept, so a second run starts at once; with
`--articles N`, N copies of the seed report of --claims each: the many-articles scale) and
prints pyinstrument's call tree for one GET of URL (as the `researcher`, with a token;
workspace pages as `reviewer1`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--db", default="sqlite:////tmp/claimdesk-profile.sqlite3")
    parser.add_argument("--articles", type=int, help="the many-articles scale: this many")
    parser.add_argument("--htmx", action="store_true")
    args = parser.parse_args()
    run.setup_django(args.db)
    import generate
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler

    if args.articles:
        generate.many_articles(args.articles, args.claims)
    else:
        generate.grow_to(args.claims)
    if args.url.startswith("/api/"):
        client = run.api_client()
    else:
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username="reviewer1"))
    headers = {"HX-Request": "true"} if args.htmx else {}
    run.get_ok(client, args.url, **headers)  # warm
    with Profiler(interval=0.0005) as profiler:
        response = run.get_ok(client, args.url, **headers)
        if response.streaming:
            for _ in response.streaming_content:
                pass
    profiler.print(show_all=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
