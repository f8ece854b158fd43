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
