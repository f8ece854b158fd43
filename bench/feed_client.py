"""A researcher's copy of a workspace, kept through the changes feed (GET /api/v1/changes/):
apply each page in order, a tombstone removes, anything else replaces. bench/mirror.py
proves with it that the feed misses nothing; README "For researchers" shows the recipe.

Standard library only, so that it reads as what any client would write.
"""

from __future__ import annotations

import http.client
import json
import sqlite3
from urllib.parse import urlencode, urlsplit

SEPARATOR = "\n\n"  # articles.models.PARAGRAPH_SEPARATOR: the canonical text's joint


class Api:
    """One keep-alive connection to the app, as one user (a token)."""

    def __init__(self, base: str, token: str) -> None:
        self.base = urlsplit(base)
        self.token = token
        self.conn: http.client.HTTPConnection | None = None

    def call(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes]:
        for attempt in range(3):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    self.base.hostname, self.base.port, timeout=60
                )
            sent = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
            sent.update(headers or {})
            payload = None
            if body is not None:
                payload = json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            try:
                self.conn.request(method, path, body=payload, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, dict(response.getheaders()), data
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None  # a worker restarted its connection: ask again
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: dict | None = None, **headers: str) -> tuple:
        status, got, data = self.call(method, path, body, headers)
        return status, got, (json.loads(data) if data else None)


class Mirror:
    """A copy of what one user may read, kept in a SQLite file from the changes feed."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS resources (kind TEXT, id INTEGER, claim INTEGER,"
            " other INTEGER, body TEXT, PRIMARY KEY (kind, id))"
        )
        self.db.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM state WHERE key = 'cursor'").fetchone()
        self.cursor = row[0] if row else ""
        self.events = 0

    def apply(self, event: dict) -> None:
        kind, pk, data = event["resource"], event["object_id"], event["data"]
        if event["tombstone"]:
            self.db.execute("DELETE FROM resources WHERE kind = ? AND id = ?", (kind, pk))
            if kind == "claim":  # its citations, notes and links go with it, as in the API
                self.db.execute(
                    "DELETE FROM resources WHERE kind IN ('citation', 'confidence-note',"
                    " 'relation') AND (claim = ? OR other = ?)",
                    (pk, pk),
                )
            return
        claim = other = None
        if kind in ("citation", "confidence-note"):
            claim = data["claim"]
        elif kind == "relation":
            claim, other = data["from_claim"], data["to_claim"]
        self.db.execute(
            "INSERT OR REPLACE INTO resources VALUES (?, ?, ?, ?, ?)",
            (kind, pk, claim, other, json.dumps(data)),
        )

    def sync(self, api: Api, *, limit: int = 1000) -> int:
        """Read the feed from where the mirror stands until it is up to date."""
        read = 0
        while True:
            query = urlencode({"after": self.cursor, "limit": limit})
            status, _, page = api.json("GET", f"/api/v1/changes/?{query}")
            assert status == 200, (status, page)
            for event in page["results"]:
                self.apply(event)
            read += len(page["results"])
            self.cursor = page["cursor"]
            self.db.execute("INSERT OR REPLACE INTO state VALUES ('cursor', ?)", (self.cursor,))
            self.db.commit()
            if not page["has_more"]:
                self.events += read
                return read

    def all(self, kind: str) -> list[dict]:
        rows = self.db.execute("SELECT body FROM resources WHERE kind = ?", (kind,))
        return [json.loads(body) for (body,) in rows]

    def json_lines(self, slug: str) -> list[dict]:
        """The article's JSON Lines export as the mirror would write it: each claim with
        its position in its revision's canonical text."""
        starts: dict[tuple[int, int], int] = {}  # (revision, paragraph id) -> offset
        for revision in self.all("revision"):
            if revision["slug"] != slug:
                continue
            offset = 0
            for paragraph in revision["paragraphs"]:
                starts[revision["revision"]["number"], paragraph["id"]] = offset
                offset += len(paragraph["text"]) + len(SEPARATOR)
        lines = []
        for claim in self.all("claim"):
            if claim["article"] != slug:
                continue
            span = claim["span"]
            start = starts[claim["revision"], span["paragraph"]] + span["start"]
            lines.append({**claim, "text_start": start, "text_end": start + len(span["quote"])})
        return sorted(lines, key=reading_order)


def reading_order(claim: dict) -> tuple:
    span = claim["span"]
    return (claim["revision"], span["paragraph_position"], span["start"], claim["id"])


def export_lines(api: Api, slug: str) -> list[dict]:
    status, _, data = api.call("GET", f"/api/v1/articles/{slug}/export/jsonl/")
    assert status == 200, status
    return [json.loads(line) for line in data.decode().splitlines() if line]


def differences(mirrored: list[dict], exported: list[dict]) -> list[str]:
    """Every claim and field where the mirror and the export disagree."""
    found = []
    mine = {claim["id"]: claim for claim in mirrored}
    theirs = {claim["id"]: claim for claim in exported}
    for pk in sorted(mine.keys() - theirs.keys()):
        found.append(f"claim {pk}: in the mirror, not in the export")
    for pk in sorted(theirs.keys() - mine.keys()):
        found.append(f"claim {pk}: in the export, not in the mirror")
    for pk in sorted(mine.keys() & theirs.keys()):
        for key in sorted(mine[pk].keys() | theirs[pk].keys()):
            if mine[pk].get(key) != theirs[pk].get(key):
                found.append(f"claim {pk}, {key}: {mine[pk].get(key)!r} != {theirs[pk].get(key)!r}")
    if not found and [c["id"] for c in mirrored] != [c["id"] for c in exported]:
        found.append("the claims are in another order")
    return found


def notes_agree(mirror: Mirror) -> list[str]:
    """The notes, citations and links mirrored on their own are those the claims show."""
    found = []
    claims = mirror.all("claim")
    for kind, key in (
        ("confidence-note", "notes"),
        ("citation", "citations"),
        ("relation", "relations"),
    ):
        separate = {item["id"]: item for item in mirror.all(kind)}
        shown = {item["id"] for claim in claims for item in (claim.get(key) or [])}
        if set(separate) != shown:
            found.append(f"{kind}: mirrored {len(separate)}, claims show {len(shown)}")
    return found
