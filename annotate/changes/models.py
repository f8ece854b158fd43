"""One row per change of a resource the API serves (see annotate.changes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    # Shown to every reader of the feed.
    EVERYONE = "everyone", "everyone"
    # Reveals confidence notes: shown to whoever sees the notes of `claim_id` when they
    # read the feed (annotate.access.changes_visible_q), and to the note's reviewer.
    NOTES = "notes", "those who see the claim's notes"


class Change(models.Model):
    """A create, update, delete or restore, recorded in the writer's transaction.

    `txid` is the writing transaction's id on PostgreSQL (the column's default there, set
    by migration 0012) and 0 on SQLite. Feed order is (txid, id): a change is listed only
    once every transaction that began before it has ended, so a cursor never passes a row
    that commits later (annotate.changes.selectors). On SQLite writers take turns, so id
    order is commit order already.
    """

    txid = models.BigIntegerField(db_default=0, editable=False)
    resource = models.CharField(max_length=32)
    action = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    # The article it belongs to (null for a shared source): the feed's `article` filter,
    # and independent review's rule for notes. No constraint: the feed outlives rows.
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    claim_id = models.BigIntegerField(null=True)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.EVERYONE)
    # A note's reviewer, who always sees the changes of their own note.
    owner_id = models.BigIntegerField(null=True)
    # Set when the change concerns one reader only: what their own note revealed or hid.
    audience = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["txid", "id"], name="change_feed_order_idx")]

    def __str__(self) -> str:
        return f"{self.resource}.{self.action} {self.object_id}"

    @property
    def type(self) -> str:
        return f"{self.resource}.{self.action}"
