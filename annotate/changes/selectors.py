"""Reading the changes feed: a page of changes after a cursor, as a reader may see them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from annotate import access
from annotate.changes.models import Change
from articles.models import Article

# On PostgreSQL a change is listed once every transaction that could still write an
# earlier one has ended. Transaction ids are handed out when transactions start writing,
# not when they commit, so a reader going by (txid, id) alone could pass a change that
# commits a moment later under a lower txid, and never see it. So the feed stops below the
# oldest transaction still in progress in the reader's snapshot (the same snapshot the
# changes are read with, so nothing slips between the two). Only this database's
# transactions count: the snapshot is the whole server's, and another database's long
# transaction must not hold the feed back. A transaction is taken as another database's
# only when pg_stat_activity says so; one it no longer lists (it just ended) counts as
# ours, which at worst holds the feed back for that moment. With none in progress, the
# snapshot's xmax bounds it: every id below it has ended. The reader's own transaction
# counts as ended for its own changes (a test, or a caller writing and reading at once).
_SETTLED_SQL = """
txid < COALESCE(
    (SELECT min(running::text::bigint)
       FROM pg_snapshot_xip(pg_current_snapshot()) AS running
      WHERE NOT EXISTS (
            SELECT 1 FROM pg_stat_activity activity
             WHERE activity.backend_xid::text::bigint = mod(running::text::bigint, 4294967296)
               AND activity.datname <> current_database())),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
OR txid = pg_current_xact_id_if_assigned()::text::bigint
"""


@dataclass(frozen=True, order=True)
class Position:
    """Where a reader is in the feed: after the change at (txid, id) of the feed `origin`.

    The origin names the feed itself (feed_origin): a cursor from another database, or
    from before this one was made anew (a backup loaded), names another, and is refused
    rather than read as "nothing new" forever.
    """

    txid: int
    id: int
    origin: str = field(default="", compare=False)  # which feed; not where in it

    def __str__(self) -> str:
        return f"{self.origin}.{self.txid}.{self.id}" if self.origin else f"{self.txid}.{self.id}"

    @classmethod
    def parse(cls, text: str) -> Position:
        """A cursor as the feed gave it; ValueError for anything else."""
        parts = text.split(".")
        origin = parts.pop(0) if len(parts) == 3 else ""
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError(text)
        if not (origin.isascii() and origin.isalnum()) and origin:
            raise ValueError(text)
        txid, pk = (int(part) for part in parts)
        if txid >= 2**63 or pk >= 2**63:
            raise ValueError(text)
        return cls(txid, pk, origin)

    @classmethod
    def of(cls, change: Change, origin: str = "") -> Position:
        return cls(change.txid, change.pk, origin)

    @property
    def at_start(self) -> bool:
        return self.txid == 0 and self.id == 0


START = Position(0, 0)


def feed_origin() -> str:
    """The feed's name: a digest of its first change's id and time (one index lookup),
    empty while it has none. A database made anew has another first change."""
    first = Change.objects.order_by("id").values_list("id", "at").first()
    if first is None:
        return ""
    return hashlib.sha256(f"{first[0]}:{first[1].isoformat()}".encode()).hexdigest()[:12]


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
    if not after.at_start:
        changes = changes.filter(Q(txid__gt=after.txid) | Q(txid=after.txid, id__gt=after.id))
    changes = settled(changes).select_related("actor", "article")
    return list(changes.order_by("txid", "id")[:limit])


def latest_position(user) -> Position:
    """The cursor of the newest settled change the user may be told of (a client that only
    wants what happens from now on starts there; a change they may not see moves nothing)."""
    visible = Change.objects.filter(access.changes_visible_q(user))
    last = settled(visible).order_by("-txid", "-id").values_list("txid", "id").first()
    return Position(*last) if last else START  # where, not which feed: callers know that
