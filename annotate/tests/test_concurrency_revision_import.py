"""A revision import while claims are made and deleted on the same article, each on its
own database connection: the import waits for writes already under way and they wait for
it, so it neither anchors a span deleted meanwhile (a foreign-key failure that lost the
whole import) nor misses one made meanwhile (a claim left out of the new text)."""

from __future__ import annotations

import threading

from django.db import connection, connections, transaction

from annotate import services
from annotate.models import Claim, SpanAnchor
from annotate.reanchoring.reanchor import revision_import
from annotate.tests.at_once import ACROSS_CONNECTIONS
from annotate.tests.factories import make_claim
from annotate.tests.revised_seed import SEED
from articles.models import Article

pytestmark = ACROSS_CONNECTIONS


def waiting_for_a_lock() -> bool:
    """Whether another connection of this database waits for a lock (the import does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE NOT l.granted AND a.datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def wait_until(condition, seconds: float = 10) -> bool:
    done = threading.Event()
    for _ in range(int(seconds * 50)):
        if condition():
            return True
        done.wait(0.02)  # polling a condition, not a fixed sleep
    return False


def import_while(write, article: Article) -> list[BaseException]:
    """Run `write` in a transaction that stays open until the import waits on it (or has
    gone ahead without waiting), then commit it and let the import finish."""
    started, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def writer():
        try:
            with transaction.atomic():
                write()
                started.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def importer():
        try:
            started.wait(timeout=10)
            revision_import(article=article, paragraphs=["A new opening.", *SEED])
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    started.wait(timeout=10)
    wait_until(waiting_for_a_lock, seconds=3)  # the import is stuck behind the writer, or not
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    return failures


def test_a_claim_deleted_while_a_revision_is_imported_does_not_fail_the_import(
    seed_article, reviewer
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(paragraph=paragraph, quote="negotiation team", user=reviewer)
    kept = make_claim(paragraph=paragraph, quote="the strike", user=reviewer)

    failures = import_while(lambda: services.claim_delete(claim=claim, user=reviewer), seed_article)

    assert failures == []
    assert seed_article.revisions.count() == 2
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert SpanAnchor.objects.filter(span=kept.span, revision__number=2).exists()


def test_a_claim_made_while_a_revision_is_imported_is_anchored_into_it(seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    made = []

    failures = import_while(
        lambda: made.append(
            make_claim(paragraph=paragraph, quote="negotiation team", user=reviewer)
        ),
        seed_article,
    )

    assert failures == []
    assert SpanAnchor.objects.filter(span=made[0].span, revision__number=2).exists()
