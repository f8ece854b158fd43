"""Migration 0010_shared_sources: a workspace's per-claim sources, duplicates that disagree
included, become one shared Source per normalised URL and a Citation per old row, with
every old value still in the new rows (the Source's history holds each row as recorded)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from annotate import history, restore
from annotate.models import Citation, Claim, Source, Span
from annotate.tests.factories import UserFactory

MIGRATION = ("annotate", "0010_shared_sources")
WHEN = datetime.datetime(2025, 9, 9, 12, 0, tzinfo=datetime.UTC)

# (url as entered, title, publisher, stance, reliability, excerpt): three rows of one
# document, written three ways, that disagree on title, publisher and reliability.
ROWS = [
    ("https://www.reuters.com/world/doha-strike", "Israel strikes Doha", "Reuters",
     "supports", "B", "Explosions were heard."),
    ("HTTPS://WWW.Reuters.com:443/world/doha-strike#top", "Strike in Doha", "Reuters wire",
     "refutes", "D", ""),
    ("https://www.reuters.com/world/doha-strike", "Israel strikes Doha", "Reuters",
     "context", "F", "Background."),
    ("https://example.org/alone", "Alone", "", "supports", "A", ""),
]  # fmt: skip


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor


def _old_workspace(paragraph, users) -> dict:
    """Claims (the tables 0008 leaves alone) and, before it, their per-claim sources and
    history: one of the sources deleted, its URL cited nowhere else."""
    start = paragraph.text.index("Israel struck")
    span = Span.objects.create(
        paragraph=paragraph, start=start, end=start + 13, quote="Israel struck",
        created_by=users[0],
    )  # fmt: skip
    claims = [
        Claim.objects.create(span=span, statement=f"Claim {n}", kind="factual", created_by=u)
        for n, u in enumerate(users)
    ]
    # The state just before this migration, whatever it is chained from.
    graph = MigrationExecutor(connection).loader.graph
    before = sorted(p.key for p in graph.node_map[MIGRATION].parents if p.key[0] == "annotate")
    executor = _migrate(before)
    old = executor.loader.project_state(before).apps
    OldSource = old.get_model("annotate", "Source")
    OldHistory = old.get_model("annotate", "HistoricalSource")
    rows = []
    for n, (url, title, publisher, stance, reliability, excerpt) in enumerate(ROWS):
        row = OldSource.objects.create(
            claim_id=claims[n % len(claims)].pk, url=url, title=title, publisher=publisher,
            stance=stance, reliability=reliability, excerpt=excerpt,
            added_by_id=users[n % len(users)].pk,
        )  # fmt: skip
        OldSource.objects.filter(pk=row.pk).update(created_at=WHEN + datetime.timedelta(hours=n))
        row.refresh_from_db()
        rows.append(row)
        OldHistory.objects.create(
            **{f.attname: getattr(row, f.attname) for f in OldSource._meta.concrete_fields},
            history_date=row.created_at, history_type="+", history_user_id=row.added_by_id,
        )  # fmt: skip
    gone = {"id": 999, "claim_id": claims[0].pk, "url": "https://example.org/gone",
            "title": "Withdrawn", "publisher": "", "stance": "refutes", "reliability": "E",
            "excerpt": "Retracted.", "added_by_id": users[1].pk, "created_at": WHEN,
            "updated_at": WHEN}  # fmt: skip
    for kind in "+-":
        OldHistory.objects.create(
            **gone, history_date=WHEN, history_type=kind, history_user_id=users[1].pk,
            history_change_reason=None,
        )  # fmt: skip
    return {"claims": claims, "rows": rows, "gone": gone}


@pytest.mark.django_db(transaction=True)
def test_old_sources_become_shared_sources_and_citations_with_nothing_lost(seed_article):
    # Users without role groups: the flushes of other transactional tests remove them.
    users = [UserFactory(username="early1"), UserFactory(username="early2")]
    paragraph = seed_article.revisions.get().paragraphs.get(position=2)
    try:
        old = _old_workspace(paragraph, users)
        _migrate([("annotate", "0011_shared_sources_finish")])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("annotate"))

    reuters = Source.objects.get(url="https://www.reuters.com/world/doha-strike")
    # The worst judged letter wins; F (cannot be judged) is no rating, so D, not F.
    assert (reuters.reliability, reuters.reliability_set_by) == ("D", users[1])
    assert (reuters.title, reuters.publisher, reuters.created_by) == (
        "Israel strikes Doha", "Reuters", users[0],
    )  # fmt: skip
    assert Source.objects.get(url="https://example.org/alone").reliability == "A"
    assert Source.objects.count() == 3  # Reuters, the lone one, and the deleted row's URL

    # Every old row is a citation under its old id, with its claim, stance and excerpt.
    for row in old["rows"]:
        citation = Citation.objects.get(pk=row.pk)
        assert (citation.claim_id, citation.stance, citation.excerpt, citation.added_by_id) == (
            row.claim_id, row.stance, row.excerpt, row.added_by_id,
        )  # fmt: skip
        assert citation.created_at == row.created_at
        assert citation.credibility == 6  # nobody rated it then: cannot be judged
        assert citation.source.url == Source.objects.get(pk=citation.source_id).url

    # Every old value is in the new rows: the source's history holds each row as recorded.
    records = list(reuters.history.order_by("history_date", "history_id"))
    recorded = {(r.url, r.title, r.publisher, r.reliability) for r in records}
    for url, title, publisher, _stance, reliability, _excerpt in ROWS[:3]:
        assert (url, title, publisher, reliability) in recorded
    assert [r.history_type for r in records] == ["+", "~", "~", "~"]
    assert records[0].history_user == users[0]
    assert records[-1].history_change_reason == "reliability disagreed: B, D, F; kept D"
    lone = Source.objects.get(url="https://example.org/alone").history.order_by("history_id")
    assert lone.last().history_change_reason == "merged 1 per-claim records by URL"

    # Old history of citations points at their sources: the timeline reads them, and the
    # deleted row can be restored by a lead as before.
    assert set(Citation.history.values_list("source_id", flat=True)) == set(
        Source.objects.values_list("pk", flat=True)
    )
    lead = UserFactory(username="lead-after", is_superuser=True)
    timeline = history.claim_timeline(old["claims"][0], lead)
    cited = [e for e in timeline if e.object_type == "citation"]
    assert {e.object_id for e in cited} >= {old["rows"][0].pk, old["gone"]["id"]}
    restored = restore.citation_restore(citation_id=old["gone"]["id"], user=lead)
    assert (restored.source.url, restored.source.title, restored.source.reliability) == (
        "https://example.org/gone", "Withdrawn", "E",
    )  # fmt: skip
    assert (restored.excerpt, restored.stance) == ("Retracted.", "refutes")
