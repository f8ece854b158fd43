"""The bulk reads let the database write each claim's citations, notes and relations as
JSON, and its timestamps and versions as text (annotate.json_sql, claim_rows.
claim_values_nested). What they give must be what the serializers and the row-by-row read
(claim_rows.with_relations) give, byte for byte: timestamps on the second (no fraction),
just before one (.999999, which SQLite's strftime would round up) and in between; every
role under independent review."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from django.test import RequestFactory

from annotate import claim_rows, selectors
from annotate.api.claim_json import ClaimJson
from annotate.models import Citation, Claim, ConfidenceNote, Source
from annotate.tests.api.conftest import client_for
from annotate.tests.api.test_claim_list_rows import rich_workspace  # noqa: F401 (a fixture)
from articles.models import Article

pytestmark = pytest.mark.django_db

ROLES = ["reviewer", "other_reviewer", "lead", "researcher"]
ON_THE_SECOND = dt.datetime(2025, 9, 9, 12, 0, 0, tzinfo=dt.UTC)
JUST_BEFORE = dt.datetime(2025, 9, 9, 12, 0, 59, 999999, tzinfo=dt.UTC)
HALF_PAST = dt.datetime(2025, 9, 9, 12, 1, 0, 500000, tzinfo=dt.UTC)


@pytest.fixture
def stamped(rich_workspace):  # noqa: F811
    """The rich workspace with timestamps at the edges of their formats."""
    claims = list(Claim.objects.order_by("id"))
    Claim.objects.filter(pk=claims[0].pk).update(
        created_at=ON_THE_SECOND, updated_at=ON_THE_SECOND, notes_updated_at=JUST_BEFORE
    )
    Claim.objects.filter(pk=claims[1].pk).update(created_at=JUST_BEFORE, updated_at=HALF_PAST)
    Citation.objects.filter(pk=Citation.objects.order_by("id")[0].pk).update(
        created_at=ON_THE_SECOND, updated_at=JUST_BEFORE
    )
    Source.objects.filter(pk=Source.objects.order_by("id")[0].pk).update(
        reliability_set_at=HALF_PAST, updated_at=ON_THE_SECOND
    )
    for note, stamp in zip(
        ConfidenceNote.objects.order_by("id"), [ON_THE_SECOND, JUST_BEFORE, HALF_PAST], strict=False
    ):
        ConfidenceNote.objects.filter(pk=note.pk).update(created_at=stamp, updated_at=stamp)
    return rich_workspace


def _html_safe(data: bytes) -> bytes:
    return data.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


@pytest.mark.parametrize("role", ROLES)
def test_each_json_lines_line_is_the_claim_retrieved_byte_for_byte(stamped, role, request):
    client = client_for(request.getfixturevalue(role))
    for article in Article.objects.all():
        response = client.get(f"/api/v1/articles/{article.slug}/export/jsonl/")
        lines = b"".join(response.streaming_content).splitlines()

        assert lines
        for line in lines:
            exported = orjson.loads(line)
            alone = client.get(f"/api/v1/claims/{exported['id']}/?expand=notes")
            expected = orjson.loads(alone.content) | {
                "text_start": exported["text_start"],
                "text_end": exported["text_end"],
            }
            assert line == _html_safe(orjson.dumps(expected))


def _as_written(value):
    """A value of a with_relations row as the nested read holds it (timestamps as text)."""
    if isinstance(value, dt.datetime):
        return orjson.dumps(value, option=orjson.OPT_UTC_Z).decode()[1:-1]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_as_written(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("revision", [None, 1])
def test_nested_rows_are_the_rows_read_one_relation_at_a_time(stamped, role, revision, request):
    user = request.getfixturevalue(role)
    for article in Article.objects.all():
        claims = selectors.claims_of_article(article, user).prefetch_related(None)
        old = claim_rows.with_relations(
            list(claim_rows.claim_values(claims, user, revision=revision)),
            user,
            revision=revision,
        )
        nested = claim_rows.claim_values_nested(
            claims, user, claim_rows.raw_shape(), revision=revision
        )
        new = claim_rows.load_nested(list(nested), revision=revision)

        assert new == [
            {key: _as_written(value) for key, value in row.items() if key != "updated_at"}
            for row in old
        ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("expand_notes", [True, False])
def test_the_database_writes_what_claim_json_writes(stamped, role, expand_notes, request):
    user = request.getfixturevalue(role)
    http = RequestFactory().get("/", HTTP_HOST="testserver")
    http.user = user
    shape = ClaimJson(http, expand_notes=expand_notes)
    claims = selectors.api_claims(user).prefetch_related(None).order_by("id")
    old = claim_rows.with_relations(
        list(claim_rows.claim_values(claims, user)), user, note_details=expand_notes
    )
    new = claim_rows.load_nested(list(claim_rows.claim_values_nested(claims, user, shape.nested())))

    assert [orjson.dumps(shape.claim_of_nested(row)) for row in new] == [
        orjson.dumps(shape.claim(row), option=orjson.OPT_UTC_Z) for row in old
    ]


def test_a_cursor_by_creation_time_walks_every_claim_once(stamped, researcher):
    client = client_for(researcher)
    url, seen = "/api/v1/claims/?page_size=2&ordering=-created_at", []
    while url:
        page = client.get(url).json()
        seen += [claim["id"] for claim in page["results"]]
        url = page["next"]

    assert seen == list(Claim.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
