"""Claimdesk's side of the doccano comparison, run by bench/peers/doccano.py in a process of
its own (our virtualenv, our settings): grow the seed report to N claims with bench/generate.py's
deterministic generator and write down what doccano must be given to hold the same document
with the same spans.

    python bench/peers/claimdesk_side.py --db URL --claims N --out FILE.json
    python bench/peers/claimdesk_side.py --db URL --export-loop --token KEY

The second form is the export's counterpart of doccano_side.py's `export`: for each line on
stdin, the JSON Lines export endpoint through Django's full request cycle in this process
(no network, as doccano's task body runs without one), streamed to its last byte; prints
{"ms", "bytes"}.

FILE.json: the paragraphs (ids and texts, in order), every claim's span as
[position, start, end, kind] in id order, the claim kinds, an API token of a reviewer (a
member with the ordinary writer's rights, not a superuser: doccano's side uses an annotator
too), and the largest `?page_size=` the API allows, read from the settings the server reads.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

SLUG = "doha-strike-2025-09-09"
USER = "reviewer1"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


def describe(claims: int) -> dict:
    """Grow the article to `claims` and describe it (see the module's docstring)."""
    import generate
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from annotate.models import Claim, ClaimKind
    from articles.models import Article

    generate.grow_to(claims)
    article = Article.objects.get(slug=SLUG)
    paragraphs = list(
        article.revisions.get(number=1).paragraphs.order_by("position").values("id", "text")
    )
    position = {p["id"]: index for index, p in enumerate(paragraphs)}
    spans = [
        [position[paragraph], start, end, kind]
        for paragraph, start, end, kind in Claim.objects.filter(
            span__paragraph__revision__article=article
        )
        .order_by("id")
        .values_list("span__paragraph_id", "span__start", "span__end", "kind")
    ]
    user = get_user_model().objects.get(username=USER)
    assert not user.is_superuser, "the fair user is a member, not a superuser"
    token, _ = Token.objects.get_or_create(user=user)
    return {
        "slug": SLUG,
        "paragraphs": paragraphs,
        "spans": spans,
        "kinds": list(ClaimKind.values),
        "token": token.key,
        "username": USER,
        "password": settings.CLAIMDESK_DEMO_PASSWORD,
        "max_page_size": settings.CLAIMDESK_API_MAX_PAGE_SIZE,
    }


def export_loop(token: str) -> None:
    from django.test import Client

    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")
    for _ in sys.stdin:
        started = time.perf_counter()
        response = client.get(f"/api/v1/articles/{SLUG}/export/jsonl/")
        assert response.status_code == 200, response.status_code
        size = sum(len(chunk) for chunk in response.streaming_content)
        ms = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": ms, "bytes": size}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--claims", type=int)
    parser.add_argument("--out")
    parser.add_argument("--export-loop", action="store_true")
    parser.add_argument("--token")
    args = parser.parse_args()
    setup_django(args.db)
    if args.export_loop:
        export_loop(args.token)
    else:
        Path(args.out).write_text(json.dumps(describe(args.claims)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
