"""Expressions that let the database write JSON for the bulk reads (the claims list and the
exports): a claim's citations, notes and links come back as one JSON text column of its
own row, not as rows of three more queries that Django converts value by value.

Both databases build the same JSON: SQLite with its JSON1 functions, PostgreSQL with
json_agg. Timestamps come back as text already written the way the API writes them
(ISO 8601, UTC as `Z`, microseconds only when there are any), so no datetime is parsed
only to be written out again.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, Func, Subquery, TextField, Value
from django.db.models.functions import Cast

# One field instance for every key and text value: a Value of a str, left to itself, builds
# a CharField (choices and all) each time, 60 of them per request of the claims list.
_TEXT = TextField()


class UtcIso(Func):
    """A timestamp as the API writes it: `2025-09-09T12:00:00.123456Z`, or
    `2025-09-09T12:00:00Z` on the second (as orjson with OPT_UTC_Z and DRF write a
    datetime). NULL stays NULL."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context: Any):
        # Django stores an aware datetime as UTC text, `YYYY-MM-DD HH:MM:SS[.ffffff]`
        # (str() of the naive UTC datetime: no fraction on the second).
        return self.as_sql(
            compiler, connection, template="(REPLACE(%(expressions)s, ' ', 'T') || 'Z')"
        )

    def as_postgresql(self, compiler, connection, **extra_context: Any):
        return self.as_sql(
            compiler,
            connection,
            template="REPLACE(TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')",
        )


class JsonArray(Subquery):
    """The rows of a queryset of one JSON object column named `j` (`.values(j=
    JSONObject(...))`), as one JSON array text, in the queryset's order; `[]` when it has
    none. The ordered subquery feeds the aggregate (SQLite before 3.44 has no ORDER BY
    inside an aggregate); both databases aggregate the rows in the order they come."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context: Any):
        # json() keeps each element an object: a value's JSON subtype does not always
        # survive the subquery, and json_group_array would quote it as a string.
        return self.as_sql(
            compiler,
            connection,
            template="(SELECT JSON_GROUP_ARRAY(JSON(t.j)) FROM (%(subquery)s) t)",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context: Any):
        return self.as_sql(
            compiler,
            connection,
            template="(SELECT COALESCE(JSON_AGG(t.j), '[]')::text FROM (%(subquery)s) t)",
            **extra_context,
        )


class JsonObject(Func):
    """A JSON object of `key=expression` pairs, keys in the order given (so the JSON
    reads as the serializers write it). Django's JSONObject builds jsonb on PostgreSQL,
    which sorts keys; json_build_object keeps them."""

    output_field = TextField()

    def __init__(self, **fields: Any) -> None:
        pairs = []
        for key, value in fields.items():
            pairs.extend((Value(key, output_field=_TEXT), value))
        super().__init__(*pairs)

    def as_sqlite(self, compiler, connection, **extra_context: Any):
        return self.as_sql(compiler, connection, function="JSON_OBJECT", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context: Any):
        # Keys as text: a bare parameter's type is unknown to json_build_object.
        copy = self.copy()
        copy.set_source_expressions(
            [
                Cast(part, _TEXT) if index % 2 == 0 else part
                for index, part in enumerate(copy.get_source_expressions())
            ]
        )
        return super(JsonObject, copy).as_sql(
            compiler, connection, function="JSON_BUILD_OBJECT", **extra_context
        )


class EpochMicros(Func):
    """A timestamp's microseconds since 1970 as text: versioning.version_at's value (a
    test compares the two on every exported object, annotate/tests/api/
    test_export_bytes.py)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context: Any):
        # From Django's stored text `YYYY-MM-DD HH:MM:SS[.ffffff]`: whole seconds, then
        # the six digits after the point ("000000" when it has none). The seconds are
        # cut before strftime, which would round .5 and more up to the next second. The
        # stamp appears twice, so do its parameters; `%%s` reaches SQLite as `%s`.
        stamp, params = compiler.compile(self.get_source_expressions()[0])
        sql = (
            f"CAST(CAST(STRFTIME('%%s', SUBSTR({stamp}, 1, 19)) AS INTEGER) * 1000000 "
            f"+ CAST(SUBSTR({stamp} || '.000000', 21, 6) AS INTEGER) AS TEXT)"
        )
        return sql, (*params, *params)

    def as_postgresql(self, compiler, connection, **extra_context: Any):
        # EXTRACT gives an exact numeric (PostgreSQL 14 and later).
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint::text",
        )


class _Template(Func):
    """A Func whose SQL is `template` around its one expression, with `params` for the
    template's own `%s` marks (before and after it): one node for the ORM to resolve and
    compile, where Concat or Case build a tree of them (the claims list builds these
    per request, and its share of the request was the ORM's)."""

    output_field = _TEXT

    def __init__(self, expression: Any, *, template: str, before: list, after: list) -> None:
        super().__init__(expression)
        self.sql_template, self.before, self.after = template, before, after

    def as_sql(self, compiler, connection, **extra_context: Any):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return self.sql_template % sql, (*self.before, *params, *self.after)


def address(head: str, pk: Any, tail: str) -> Func:
    """An object's address from its id, as claim_json.address_maker writes it."""
    return _Template(pk, template="(%%s || CAST(%s AS TEXT) || %%s)", before=[head], after=[tail])


def label_of(field: str, labels: dict[Any, str], default: str | None = None) -> Func:
    """The label of a field's value, from the same table the Python code looks it up in."""
    whens = " ".join(["WHEN %%s THEN %%s"] * len(labels))
    values = [item for pair in labels.items() for item in pair]
    return _Template(
        F(field), template=f"(CASE %s {whens} ELSE %%s END)", before=[], after=[*values, default]
    )
