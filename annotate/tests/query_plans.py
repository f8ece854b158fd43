"""Read a query's plan and find where it reads a whole table instead of reaching rows by
an index: PostgreSQL's EXPLAIN (FORMAT JSON) and SQLite's EXPLAIN QUERY PLAN."""

from __future__ import annotations

import json
import re

from django.db import connection

# The tables that grow with every article: a scan of one reads every article's rows.
PER_ARTICLE_TABLES = frozenset({"articles_paragraph", "annotate_span", "annotate_claim"})


def full_scans(sql: str, params, tables=PER_ARTICLE_TABLES) -> list[str]:
    """The plan's full reads of `tables`: a sequential scan, or an index walked end to end
    (an index scan with no condition), on PostgreSQL; a SCAN on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return list(_pg_scans(plan[0]["Plan"], tables))
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        details = [row[-1] for row in cursor.fetchall()]
    aliases = dict(re.findall(r'"(\w+)" ([A-Z]\d+|\w+)\b(?= ON| WHERE| INNER| LEFT|\)|$)', sql))
    names = {alias: table for table, alias in aliases.items()}
    found = []
    for detail in details:
        match = re.match(r"SCAN (\w+)", detail)
        if match and names.get(match.group(1), match.group(1)) in tables:
            found.append(detail)
    return found


def _pg_scans(node: dict, tables):
    relation = node.get("Relation Name")
    if relation in tables:
        kind = node["Node Type"]
        if kind == "Seq Scan" or (kind.startswith("Index") and "Index Cond" not in node):
            yield f"{kind} on {relation}"
    for child in node.get("Plans", []):
        yield from _pg_scans(child, tables)
