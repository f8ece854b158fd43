"""The floors: a page's rows read with the raw DB-API connection (sqlite3 / psycopg) and
serialised with orjson, in the benchmark's own Django process. What no framework can beat;
bench/run.py reports the API's time as a ratio to them."""

from __future__ import annotations


def raw_cursor():
    """A cursor of the raw DB-API connection and its parameter mark."""
    from django.db import connection

    connection.ensure_connection()
    return connection.connection.cursor(), "%s" if connection.vendor == "postgresql" else "?"


def floor_page(after: int, size: int, article: str | None = None) -> bytes:
    """The rows of one API page read with the raw DB-API connection and serialised with
    orjson: what no framework can beat. Exactly the data the page carries: claims with
    span, users and their article's current revision (for the placement), citations, notes
    with reviewers (and their summary), and the anchors of spans re-anchored since.
    `article` is the list's `?article=<slug>` filter, as the same WHERE."""
    import statistics

    import orjson

    cur, mark = raw_cursor()
    where = f"c.id > {mark}" + (f" AND a.slug = {mark}" if article else "")
    cur.execute(
        "SELECT c.id, c.statement, c.kind, c.attributed_to, c.verdict, c.verdict_rationale, "
        "c.verdict_at, c.created_at, c.updated_at, u.username AS created_by, "
        "v.username AS verdict_by, s.id AS span_id, s.start, "
        's."end", s.quote, s.prefix, s.suffix, p.id AS paragraph_id, p.position, r.number, '
        "a.slug, (SELECT MAX(t.number) FROM articles_revision t WHERE t.article_id = a.id) "
        "AS target_revision "
        "FROM annotate_claim c JOIN annotate_span s ON s.id = c.span_id "
        "JOIN articles_paragraph p ON p.id = s.paragraph_id "
        "JOIN articles_revision r ON r.id = p.revision_id "
        "JOIN articles_article a ON a.id = r.article_id "
        "JOIN auth_user u ON u.id = c.created_by_id "
        "LEFT JOIN auth_user v ON v.id = c.verdict_by_id "
        f"WHERE {where} ORDER BY c.id LIMIT {mark}",
        (after, article, size) if article else (after, size),
    )
    cols = [d[0] for d in cur.description]
    claims = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    ids = [c["id"] for c in claims]
    if not ids:  # past the last page
        return orjson.dumps({"results": []})
    marks = ",".join([mark] * len(ids))
    by_id = {c["id"]: c for c in claims}
    for c in claims:
        c["citations"], c["notes"], c["anchor"] = [], [], None
    cur.execute(
        "SELECT t.claim_id, t.id, t.excerpt, t.stance, t.credibility, t.created_at, "
        "t.updated_at, s.id, s.url, s.title, s.publisher, s.reliability FROM annotate_citation t "
        f"JOIN annotate_source s ON s.id = t.source_id WHERE t.claim_id IN ({marks}) "
        "ORDER BY t.stance, t.id",
        ids,
    )
    for row in cur.fetchall():
        by_id[row[0]]["citations"].append(row[1:])
    cur.execute(
        "SELECT n.claim_id, n.id, n.likelihood, n.rationale, u.username, n.created_at, "
        "n.updated_at FROM annotate_confidencenote n JOIN auth_user u ON u.id = n.reviewer_id "
        f"WHERE n.claim_id IN ({marks}) ORDER BY n.created_at, n.id",
        ids,
    )
    for row in cur.fetchall():
        by_id[row[0]]["notes"].append(row[1:])
    moved = [c["id"] for c in claims if c["target_revision"] > c["number"]]
    if moved:  # placements in the current revision of spans made on an earlier one
        cur.execute(
            "SELECT c.id, x.status, x.needs_review, x.paragraph_id, q.position, x.start, "
            'x."end", x.quote FROM annotate_claim c JOIN annotate_spananchor x '
            "ON x.span_id = c.span_id JOIN articles_revision t ON t.id = x.revision_id "
            "LEFT JOIN articles_paragraph q ON q.id = x.paragraph_id "
            f"WHERE c.id IN ({','.join([mark] * len(moved))}) AND t.number = "
            "(SELECT MAX(o.number) FROM articles_revision o WHERE o.article_id = t.article_id)",
            moved,
        )
        for row in cur.fetchall():
            by_id[row[0]]["anchor"] = row[1:]
    for c in claims:
        likelihoods = sorted(note[1] for note in c["notes"])
        c["confidence"] = likelihoods and (
            len(likelihoods),
            likelihoods[0],
            statistics.median(likelihoods),
            likelihoods[-1],
        )
    return orjson.dumps({"results": claims}, default=str)


def floor_articles(size: int) -> bytes:
    """The articles list's page read raw: each article with its current revision number
    and the two links the API builds for it (its own and its workspace's)."""
    import orjson

    cur, mark = raw_cursor()
    cur.execute(
        "SELECT a.id, a.slug, a.title, a.standfirst, a.publisher, a.url AS link, "
        "a.published_on, a.language, (SELECT MAX(r.number) FROM articles_revision r "
        "WHERE r.article_id = a.id) AS revision, a.created_at, a.updated_at "
        f"FROM articles_article a ORDER BY a.slug LIMIT {mark}",
        (size,),
    )
    cols = [d[0] for d in cur.description]
    articles = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    for article in articles:
        article["url"] = f"http://localhost/api/v1/articles/{article['slug']}/"
        article["workspace_url"] = f"http://localhost/articles/{article['slug']}/"
    return orjson.dumps({"next": None, "previous": None, "results": articles}, default=str)


def floor_export_jsonl(slug: str, base: str = "http://localhost/api/v1/") -> int:
    """The JSON Lines export of one article read with the raw DB-API connection and
    written with orjson, the same bytes line for line (bench/run.py checks the size):
    each claim with span, users and placement, its citations with their sources, the notes
    (a researcher sees all) with their summary, its links, and its place in the canonical
    text. Rows are read CHUNK claims at a time, as the export does. Returns the bytes
    written (to nowhere). Timestamps as the API writes them: orjson's, from the driver's
    datetimes (naive UTC ones on SQLite, as Django's registered converter gives them)."""
    import statistics
    from datetime import UTC, datetime

    import orjson

    from annotate.judgements import CONFIDENCE_LABELS, NOT_RECORDED_LABEL
    from annotate.models import Likelihood

    likelihood_labels = {value: str(label) for value, label in Likelihood.choices}
    cur, mark = raw_cursor()

    def ts(value):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def version(value) -> str:
        return str(int(value.timestamp() * 1_000_000))

    def summary(likelihoods: list[int]) -> dict:
        if not likelihoods:
            return {"count": 0, "lowest": None, "median": None, "highest": None,
                    "disputed": False}  # fmt: skip
        low, high = min(likelihoods), max(likelihoods)
        return {
            "count": len(likelihoods),
            "lowest": low,
            "median": statistics.median(likelihoods),
            "highest": high,
            "disputed": len(likelihoods) >= 2 and high - low + 1 >= 3,
        }

    cur.execute(
        "SELECT p.id, p.revision_id, length(p.text) FROM articles_paragraph p "
        "JOIN articles_revision r ON r.id = p.revision_id JOIN articles_article a "
        f"ON a.id = r.article_id WHERE a.slug = {mark} ORDER BY p.revision_id, p.position",
        (slug,),
    )
    starts, at, revision = {}, 0, None
    for pk, revision_id, length in cur.fetchall():
        at = 0 if revision_id != revision else at
        revision = revision_id
        starts[pk] = at
        at += length + 2
    cur.execute(
        'SELECT c.id, a.slug, r.number, s.id, p.id, p.position, s.start, s."end", s.quote, '
        "s.prefix, s.suffix, c.statement, c.kind, c.attributed_to, c.verdict, "
        "c.verdict_rationale, v.username, c.verdict_at, u.username, c.imported_creator, "
        "c.created_at, c.updated_at, c.notes_updated_at, "
        "(SELECT MAX(t.number) FROM articles_revision t WHERE t.article_id = a.id) "
        "FROM annotate_claim c JOIN annotate_span s ON s.id = c.span_id "
        "JOIN articles_paragraph p ON p.id = s.paragraph_id "
        "JOIN articles_revision r ON r.id = p.revision_id "
        "JOIN articles_article a ON a.id = r.article_id "
        "JOIN auth_user u ON u.id = c.created_by_id "
        "LEFT JOIN auth_user v ON v.id = c.verdict_by_id "
        f"WHERE a.slug = {mark} ORDER BY r.number, p.position, s.start, c.id",
        (slug,),
    )
    claims = cur.fetchall()
    written = 0
    for offset in range(0, len(claims), 500):
        batch = claims[offset : offset + 500]
        ids = [row[0] for row in batch]
        marks = ",".join([mark] * len(ids))
        citations: dict[int, list] = {pk: [] for pk in ids}
        notes: dict[int, list] = {pk: [] for pk in ids}
        links: dict[int, list] = {pk: [] for pk in ids}
        cur.execute(
            "SELECT t.claim_id, t.id, t.excerpt, t.stance, t.credibility, b.username, "
            "t.created_at, t.updated_at, s.id, s.url, s.title, s.publisher, s.published_on, "
            "s.archive_url, s.reliability, rs.username, s.reliability_set_at, cb.username, "
            "s.created_at, s.updated_at FROM annotate_citation t "
            "JOIN annotate_source s ON s.id = t.source_id "
            "JOIN auth_user b ON b.id = t.added_by_id "
            "LEFT JOIN auth_user rs ON rs.id = s.reliability_set_by_id "
            "LEFT JOIN auth_user cb ON cb.id = s.created_by_id "
            f"WHERE t.claim_id IN ({marks}) ORDER BY t.stance, t.id",
            ids,
        )
        for (claim, pk, excerpt, stance, credibility, added_by, created, updated, source,
             url, title, publisher, published, archive, reliability, set_by, set_at,
             source_by, source_created, source_updated) in cur.fetchall():  # fmt: skip
            source_updated = ts(source_updated)
            updated = ts(updated)
            citations[claim].append({
                "id": pk, "url": f"{base}citations/{pk}/", "claim": claim,
                "source": {
                    "id": source, "url": f"{base}sources/{source}/", "link": url,
                    "title": title, "publisher": publisher, "published_on": published,
                    "archive_link": archive or None, "reliability": reliability,
                    "reliability_set_by": set_by, "reliability_set_at": ts(set_at),
                    "created_by": source_by, "created_at": ts(source_created),
                    "updated_at": source_updated, "version": version(source_updated),
                },
                "stance": stance, "excerpt": excerpt, "credibility": credibility,
                "added_by": added_by, "created_at": ts(created), "updated_at": updated,
                "version": version(updated),
            })  # fmt: skip
        cur.execute(
            "SELECT n.claim_id, n.id, u.username, n.likelihood, n.analytic_confidence, "
            "n.rationale, n.created_at, n.updated_at FROM annotate_confidencenote n "
            f"JOIN auth_user u ON u.id = n.reviewer_id WHERE n.claim_id IN ({marks}) "
            "ORDER BY n.created_at, n.id",
            ids,
        )
        for (
            claim,
            pk,
            reviewer,
            likelihood,
            confidence,
            rationale,
            created,
            updated,
        ) in cur.fetchall():
            updated = ts(updated)
            notes[claim].append({
                "id": pk, "url": f"{base}confidence-notes/{pk}/", "claim": claim,
                "reviewer": reviewer, "likelihood": likelihood,
                "likelihood_label": likelihood_labels[likelihood],
                "analytic_confidence": confidence,
                "analytic_confidence_label": (
                    NOT_RECORDED_LABEL if confidence is None else CONFIDENCE_LABELS[confidence]
                ),
                "rationale": rationale, "created_at": ts(created), "updated_at": updated,
                "version": version(updated),
            })  # fmt: skip
        cur.execute(
            "SELECT id, type, from_claim_id, to_claim_id, rationale FROM annotate_claimrelation "
            f"WHERE from_claim_id IN ({marks}) OR to_claim_id IN ({marks}) ORDER BY id",
            ids + ids,
        )
        for pk, kind, source, target, rationale in cur.fetchall():
            link = {"id": pk, "url": f"{base}relations/{pk}/", "type": kind,
                    "from_claim": source, "to_claim": target, "rationale": rationale}  # fmt: skip
            for end in {source, target} & links.keys():
                links[end].append(link)
        lines = []
        for (pk, article, number, span, paragraph, position, start, end, quote, prefix,
             suffix, statement, kind, attributed, verdict, rationale, verdict_by, verdict_at,
             created_by, imported, created, updated, notes_updated, target) in batch:  # fmt: skip
            seen = max(ts(updated), ts(notes_updated))  # a researcher sees every note
            made_here = {"paragraph": paragraph, "paragraph_position": position,
                         "start": start, "end": end, "quote": quote}  # fmt: skip
            placement = None  # the seed report's claims are made on its one revision
            if target == number:
                placement = {"revision": number, "status": "made_here",
                             "needs_review": False} | made_here  # fmt: skip
            claim_notes = notes[pk]
            text_start = starts[paragraph] + start
            line = {
                "id": pk, "url": f"{base}claims/{pk}/", "article": article, "revision": number,
                "span": {"id": span, "url": f"{base}spans/{span}/", **made_here,
                         "prefix": prefix, "suffix": suffix},
                "statement": statement, "kind": kind, "attributed_to": attributed,
                "verdict": verdict or None, "verdict_rationale": rationale,
                "verdict_by": verdict_by, "verdict_at": ts(verdict_at),
                "created_by": created_by, "imported_creator": imported,
                "created_at": ts(created), "updated_at": seen, "version": version(seen),
                "placement": placement, "citations": citations[pk],
                "confidence": summary([note["likelihood"] for note in claim_notes]),
                "notes": claim_notes, "relations": links[pk],
                "text_start": text_start, "text_end": text_start + len(quote),
            }  # fmt: skip
            out = orjson.dumps(line, option=orjson.OPT_UTC_Z)
            for char, escaped in ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026")):
                out = out.replace(char, escaped)
            lines.append(out)
        lines.append(b"")
        written += len(b"\n".join(lines))
    return written
