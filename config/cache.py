"""The shared cache (settings CACHES): Django's database cache, with `set` in one statement.

Every API request spends its throttle budget with a `set` (annotate.api.throttles), and
Django's DatabaseCache makes each `set` five round trips: a COUNT(*) of the whole table
to decide whether to cull, then a transaction that reads the key and updates or inserts
it. On SQLite that transaction is a commit of its own, as long as the write it throttles.
Here a `set` is one INSERT … ON CONFLICT DO UPDATE (PostgreSQL, SQLite 3.24+): atomic
by itself, so no transaction is needed, and the table is counted for culling on one `set`
in CULL_EVERY per process instead of on each (it may pass MAX_ENTRIES by that many rows
per process meanwhile: a few KB). `add` and `touch` (the login guard's) stay Django's.
"""

from __future__ import annotations

import base64
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime
from itertools import count
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

CULL_EVERY = 100


class UpsertDatabaseCache(DatabaseCache):
    _sets = count()

    def _base_set(self, mode: str, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT) -> bool:
        if mode != "set":
            return super()._base_set(mode, key, value, timeout)
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        k, v, e = map(quote_name, ("cache_key", "value", "expires"))
        sql = (
            f"INSERT INTO {table} ({k}, {v}, {e}) VALUES (%s, %s, %s)"  # noqa: S608 (names)
            f" ON CONFLICT ({k}) DO UPDATE SET {v} = EXCLUDED.{v}, {e} = EXCLUDED.{e}"
        )
        if next(self._sets) % CULL_EVERY == 0:
            self._cull_when_full(db, table)
        # As Django's: a failed write is a miss, not an error. Inside a transaction (a
        # test's), a savepoint keeps the failure from breaking it.
        guard = transaction.atomic(using=db) if connection.in_atomic_block else nullcontext()
        try:
            with guard, connection.cursor() as cursor:
                cursor.execute(sql, [key, encoded, expires])
        except DatabaseError:
            return False
        return True

    def _cull_when_full(self, db: str, table: str) -> None:
        with connections[db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (the table's name)
            entries = cursor.fetchone()[0]
            if entries > self._max_entries:
                self._cull(db, cursor, tz_now().replace(microsecond=0), entries)
