"""Reading the changes feed: a page of changes after a cursor, as a reader may see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from annotate import access
from annotate.changes.models import Change
from articles.models import Article

# On PostgreSQL a change is listed once every transaction that could still write an
# earlier one has ended: its writer's id is below the oldest transaction id still running
# (the snapshot's xmin). Ids are handed out when transactions start writing, not when they
# commit, so without this a reader could pass a change that commits a moment later under
# a lower (txid, id), and never see it. The reader's own transaction counts as ended for
# its own changes (a test, or a caller writing and reading in one transaction).
_SETTLED_SQL = (
    "txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
    " OR txid = pg_current_xact_id_if_assigned()::text::bigint"
)


@dataclass(frozen=True, order=True)
class Position:
    """Where a reader is in the feed: after the change at (txid, id)."""

    txid: int
    id: int

    def __str__(self) -> str:
        return f"{self.txid}.{self.id}"

    @classmethod
    def parse(cls, text: str) -> Position:
        """A cursor as the feed gave it; ValueError for anything else."""
        txid, _, pk = text.partition(".")
        if not (txid.isascii() and txid.isdigit() and pk.isascii() and pk.isdigit()):
            raise ValueError(text)
        if int(txid) >= 2**63 or int(pk) >= 2**63:
            raise ValueError(text)
        return cls(int(txid), int(pk))

    @classmethod
    def of(cls, change: Change) -> Position:
        return cls(change.txid, change.pk)


START = Position(0, 0)


def settled(changes: QuerySet[Change]) -> QuerySet[Change]:
    """The changes whose place in the feed is final (see _SETTLED_SQL)."""
    if connection.vendor != "postgresql":
        return changes  # SQLite's writers take turns: id order is commit order
    settled_sql = RawSQL(f"({_SETTLED_SQL})", (), output_field=BooleanField())  # noqa: S611 (constant)
    return changes.filter(settled_sql)


def changes_after(
    user, *, after: Position = START, article: Article | None = None, limit: int = 100
) -> list[Change]:
    """Up to `limit` changes after the cursor that the user may be told of, in feed order."""
    changes = Change.objects.filter(access.changes_visible_q(user))
    if article is not None:
        changes = changes.filter(article=article)
    if after != START:
        changes = changes.filter(Q(txid__gt=after.txid) | Q(txid=after.txid, id__gt=after.id))
    changes = settled(changes).select_related("actor", "article")
    return list(changes.order_by("txid", "id")[:limit])


def latest_position(user) -> Position:
    """The cursor of the newest settled change the user may be told of (a client that only
    wants what happens from now on starts there; a change they may not see moves nothing)."""
    visible = Change.objects.filter(access.changes_visible_q(user))
    last = settled(visible).order_by("-txid", "-id").values_list("txid", "id").first()
    return Position(*last) if last else START
