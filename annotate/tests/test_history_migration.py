"""Migration 0005_history: rows made before history began get a "created" record, dated
and attributed as they were made."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from annotate.models import Claim, Span
from annotate.tests.factories import UserFactory

BEFORE = [("annotate", "0004_updated_at_indexes")]
AFTER = [("annotate", "0005_history")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_a_created_record(seed_article):
    # Rows written as before history began (and without the role groups, which the
    # flushes of other transactional tests remove).
    reviewer = UserFactory(username="early")
    paragraph = seed_article.revisions.get().paragraphs.get(position=2)
    start = paragraph.text.index("Israel struck")
    span = Span.objects.create(
        paragraph=paragraph, start=start, end=start + 13, quote="Israel struck", created_by=reviewer
    )
    claim = Claim.objects.create(
        span=span, statement="Israel struck", kind="factual", created_by=reviewer
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # drops the history tables, keeps the rows
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("annotate"))

    records = list(Claim.history.filter(id=claim.pk))
    assert [(r.history_type, r.history_user_id, r.history_date) for r in records] == [
        ("+", reviewer.pk, claim.created_at)
    ]
    assert records[0].statement == "Israel struck"
