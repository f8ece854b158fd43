"""Random operations through the API, from two reviewers and a lead, aimed at things
that exist: what bench/mirror.py runs while it mirrors the workspace."""

from __future__ import annotations

import random
import subprocess
from collections import Counter
from dataclasses import dataclass, field

from bench.feed_client import Api

SLUG = "doha-strike-2025-09-09"
LIKELIHOODS = range(1, 8)
CONFIDENCE = ["low", "moderate", "high"]
VERDICTS = ["supported", "mostly_supported", "mixed", "mostly_unsupported", "unsupported"]
RELIABILITY = list("ABCDEF")
SOURCES = [f"https://news.example/{n}" for n in range(40)]


@dataclass
class World:
    """What the operations know of the workspace, to aim at things that exist."""

    paragraphs: list[dict] = field(default_factory=list)
    claims: dict[int, str] = field(default_factory=dict)  # id -> author's username
    deleted: list[int] = field(default_factory=list)
    notes: dict[tuple[int, str], int] = field(default_factory=dict)  # (claim, user) -> id
    sources: list[int] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)


def refresh_paragraphs(api: Api, world: World) -> None:
    status, _, article = api.json("GET", f"/api/v1/articles/{SLUG}/")
    assert status == 200, status
    world.paragraphs = article["paragraphs"]


def random_quote(rng: random.Random, world: World) -> dict:
    paragraph = rng.choice(world.paragraphs)
    text = paragraph["text"]
    words = [i for i, char in enumerate(text) if char == " "]
    starts = [0, *[i + 1 for i in words]]
    first = rng.randrange(len(starts))
    last = min(len(starts) - 1, first + rng.randint(1, 6))
    start = starts[first]
    end = (starts[last] - 1) if last > first else len(text)
    if end <= start:
        start, end = 0, len(text)
    return {"paragraph": paragraph["id"], "start": start, "end": end, "quote": text[start:end]}


def _etag(api: Api, path: str) -> str | None:
    status, headers, _ = api.call("GET", path)
    return headers.get("ETag") if status == 200 else None


def operate(
    base: str,
    tokens: dict[str, str],
    ops: int,
    seed: int,
    *,
    revision_at: int | None = None,
    revision_command: list[str] | None = None,
    world: World | None = None,
) -> Counter:
    """Run `ops` random operations as the users of `tokens` (reviewer1, reviewer2, lead).
    A `world` from an earlier call goes on from where that one stopped."""
    rng = random.Random(seed)  # noqa: S311 (an operation mix, not secrets)
    apis = {name: Api(base, token) for name, token in tokens.items()}
    reviewers = [name for name in apis if name != "lead"]
    if world is None:
        world = World()
    world.statuses = Counter()
    refresh_paragraphs(apis["lead"], world)
    count = 0
    while count < ops:
        if revision_at is not None and count == revision_at and revision_command:
            done = subprocess.run(revision_command, capture_output=True, text=True)  # noqa: S603
            if done.returncode:
                raise RuntimeError(f"the revision import failed: {done.stderr[-2000:]}")
            refresh_paragraphs(apis["lead"], world)
            world.statuses["revision import"] += 1
        count += 1
        roll = rng.random()
        user = rng.choice(reviewers) if roll < 0.75 else "lead"
        api = apis[user]
        claim = rng.choice(list(world.claims)) if world.claims else None
        if claim is None or roll < 0.22:
            body = {**random_quote(rng, world), "statement": f"Claim {count}", "kind": "factual"}
            status, _, made = api.json("POST", "/api/v1/claims/", body)
            if status == 201:
                world.claims[made["id"]] = user
            elif status == 400 and "old revision" in str(made):
                refresh_paragraphs(api, world)  # another thread imported a revision
            key = "create claim"
        elif roll < 0.30:
            path = f"/api/v1/claims/{claim}/"
            author = world.claims[claim]
            api = apis[author]
            etag = _etag(api, path)
            status, _, _ = api.json(
                "PATCH",
                path,
                {"statement": f"Edited {count}"},
                **({"If-Match": etag} if etag else {}),
            )
            key = "edit claim"
        elif roll < 0.34:
            api = apis[world.claims[claim]]
            status, _, _ = api.json(
                "PATCH", f"/api/v1/claims/{claim}/", {"statement": "stale"}, **{"If-Match": '"1"'}
            )
            key = "stale edit (412 expected)"
        elif roll < 0.40:
            path = f"/api/v1/claims/{claim}/"
            author = rng.choice([world.claims[claim], "lead"])
            etag = _etag(apis[author], path)
            status, _, _ = apis[author].json("DELETE", path, **({"If-Match": etag} if etag else {}))
            if status in (204, 404):
                world.claims.pop(claim, None)
                if status == 204:
                    world.deleted.append(claim)
            key = "delete claim"
        elif roll < 0.44 and world.deleted:
            gone = world.deleted.pop(rng.randrange(len(world.deleted)))
            path = f"/api/v1/articles/{SLUG}/deleted-claims/{gone}/restore/"
            status, _, restored = apis["lead"].json("POST", path)
            if status == 200:
                world.claims[gone] = restored["created_by"]
            key = "restore claim"
        elif roll < 0.50:
            path = f"/api/v1/claims/{claim}/verdict/"
            body = {"verdict": rng.choice(VERDICTS), "rationale": f"Reason {count}"}
            status, _, _ = apis["lead"].json("POST", path, body)
            key = "verdict"
        elif roll < 0.66:
            reviewer = rng.choice(reviewers)
            api = apis[reviewer]
            body = {
                "likelihood": rng.choice(LIKELIHOODS),
                "analytic_confidence": rng.choice(CONFIDENCE),
                "rationale": f"Because {count}",
            }
            note = world.notes.get((claim, reviewer))
            if note is None:
                status, _, made = api.json(
                    "POST", "/api/v1/confidence-notes/", {"claim": claim, **body}
                )
                if status == 201:
                    world.notes[claim, reviewer] = made["id"]
                key = "record note"
            else:
                status, _, _ = api.json("PATCH", f"/api/v1/confidence-notes/{note}/", body)
                key = "change note"
        elif roll < 0.71:
            mine = [(k, v) for k, v in world.notes.items() if k[1] in reviewers]
            if not mine:
                continue
            (on_claim, reviewer), note = rng.choice(mine)
            status, _, _ = apis[reviewer].json("DELETE", f"/api/v1/confidence-notes/{note}/")
            if status in (204, 404):
                world.notes.pop((on_claim, reviewer), None)
            key = "delete note"
        elif roll < 0.80:
            link = rng.choice(SOURCES)
            body = {
                "claim": claim,
                "stance": rng.choice(["supports", "refutes", "context"]),
                "credibility": rng.randint(1, 6),
                "new_source": {"link": link, "title": f"Source {link[-2:]}", "reliability": "C"},
            }
            status, _, made = api.json("POST", "/api/v1/citations/", body)
            if status == 201:
                world.sources.append(made["source"]["id"])
            key = "cite"
        elif roll < 0.84 and world.sources:
            source = rng.choice(world.sources)
            path = f"/api/v1/sources/{source}/"
            status, _, _ = apis["lead"].json(
                "PATCH", path, {"reliability": rng.choice(RELIABILITY)}
            )
            key = "source reliability"
        else:
            other = rng.choice(list(world.claims))
            body = {
                "from_claim": claim,
                "to_claim": other,
                "type": rng.choice(["contradicts", "corroborates", "part_of"]),
            }
            status, _, _ = api.json("POST", "/api/v1/relations/", body)
            key = "link claims"
        world.statuses[key, status] += 1
        if status >= 500:
            raise AssertionError(f"{key}: {status}")
    return world.statuses
