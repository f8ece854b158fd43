"""Whole-workspace backup: one streamed JSON Lines file that restores every row exactly.

The file (gzip-compressed when its name ends ``.gz``) is

1. a header line: the format name and version, the migrations the database had applied,
   the models the file holds, in the order they are written;
2. one line per row, written by Django's own ``jsonl`` serializer (``dumpdata``'s), primary
   keys included, so API ids and history ids stay what they were;
3. an end line with the number of rows per model and the SHA-256 of the row lines, so a
   truncated or altered file is refused rather than half-loaded.

Rows are read back with Django's deserializer and saved raw (as ``loaddata`` does): no
``auto_now`` stamping and no new history records. Two things ``dumpdata`` would lose are
handled here: its JSON encoder cuts timestamps to milliseconds (``ExactJSONEncoder`` keeps
microseconds), and its model order only follows natural keys (``workspace_models`` orders
by foreign keys). Groups, permissions and content types are referred to by natural key,
because their ids are each database's own. What is left out, and why, is ``EXCLUDED``.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "claimdesk-workspace"
# 2: sources are shared records cited by claims (migration 0010_shared_sources). A file of
# version 1 holds per-claim sources; load.py refuses it and says how to convert it.
VERSION = 2

# Every concrete model of these apps is workspace data (history tables included) ...
DATA_APPS = ("articles", "annotate")
# ... and so are these: accounts with their roles (groups), and the admin's change log.
DATA_MODELS = ("auth.user", "auth.group", "admin.logentry")
# Models left out on purpose. A test fails when a new model is in neither list.
EXCLUDED = {
    "auth.permission": "made by migrate from the models; referred to by natural key",
    "contenttypes.contenttype": "made by migrate from the models; referred to by natural key",
    "sessions.session": "logins in progress, not data; users log in again",
    "authtoken.token": "an API token is a live credential stored in clear: a backup file "
    "travels further than the database, so it carries none; users get a new token at "
    "/account/token/ or from `manage.py issue_token`",
    # Webhooks (annotate.webhooks): an endpoint's secret is a live credential in clear, as
    # a token is, and its place in the feed is a transaction id of this database alone;
    # its owner registers it again. Its log and queued deliveries go with it.
    "annotate.webhookendpoint": "holds a live secret and a position in this database's "
    "feed; owners register their webhooks again",
    "annotate.historicalwebhookendpoint": "the history of what is left out above",
    "annotate.webhookdelivery": "the delivery log of what is left out above",
    "django_tasks_database.dbtaskresult": "queued and finished tasks (webhook deliveries)",
}
# Serialized with natural foreign keys: their groups, permissions and content types have
# per-database ids. Groups also go without their own id and are matched by name on import
# (migrations create the role groups before any import).
NATURAL_KEY_MODELS = {"auth.user", "auth.group", "admin.logentry"}
CHUNK = 2000


class BackupError(Exception):
    """A file that cannot be imported, or a database it cannot be imported into."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without its loss: times keep their microseconds (ISO 8601)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def workspace_models() -> list[type[models.Model]]:
    """The models a backup holds, each after every model it has a foreign key to.

    Ties are broken by label, so the order (and so the file) is the same on every database.
    """
    chosen = {_label(m): m for m in apps.get_models() if _label(m) in DATA_MODELS}
    for app in DATA_APPS:
        chosen.update(
            {
                _label(m): m
                for m in apps.get_app_config(app).get_models()
                if not m._meta.proxy and _label(m) not in EXCLUDED
            }
        )
    needs = {
        label: {
            _label(f.related_model)
            for f in model._meta.concrete_fields
            if f.is_relation and _label(f.related_model) in chosen
        }
        - {label}
        for label, model in chosen.items()
    }
    ordered: list[type[models.Model]] = []
    while needs:
        ready = sorted(label for label, deps in needs.items() if not deps)
        if not ready:
            raise BackupError(f"Foreign keys form a cycle among {sorted(needs)}")
        for label in ready:
            ordered.append(chosen[label])
            del needs[label]
        for deps in needs.values():
            deps.difference_update(ready)
    return ordered


def applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _open(path: Path, mode: str, *, gzipped: bool | None = None) -> IO[str]:
    if path.name.endswith(".gz") if gzipped is None else gzipped:
        return gzip.open(path, mode + "t", encoding="utf-8", newline="")
    return open(path, mode, encoding="utf-8", newline="")


def _json_line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


# --- export -----------------------------------------------------------------------------


class _HashingWriter:
    """The serializer's stream: writes through and hashes what passes."""

    def __init__(self, out: IO[str]) -> None:
        self.out, self.digest = out, hashlib.sha256()

    def write(self, text: str) -> None:
        self.digest.update(text.encode())
        self.out.write(text)


def _rows(model: type[models.Model], using: str, counts: Counter) -> Iterator[models.Model]:
    rows = model._base_manager.using(using)
    if _label(model) == "auth.group":
        rows = rows.order_by("name").prefetch_related("permissions")
    else:
        rows = rows.order_by("pk")
    if _label(model) == "auth.user":
        groups = models.Prefetch(
            "groups", queryset=apps.get_model("auth.group").objects.order_by("name")
        )
        rows = rows.prefetch_related(groups, "user_permissions")
    for row in rows.iterator(chunk_size=CHUNK):
        counts[_label(model)] += 1
        yield row


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One transaction for the whole export; on PostgreSQL one snapshot for every query."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def workspace_export(path: Path, *, using: str = "default") -> dict[str, int]:
    """Write the whole workspace to `path`; returns the rows written per model.

    The file appears under its name only once complete (written beside it, then renamed).
    """
    chosen = workspace_models()
    partial = path.with_name(path.name + ".partial")
    counts: Counter = Counter()
    try:
        with _open(partial, "w", gzipped=path.name.endswith(".gz")) as out, _snapshot(using):
            header = {
                "format": FORMAT,
                "version": VERSION,
                "migrations": applied_migrations(using),
                "models": [_label(m) for m in chosen],
                "excluded": EXCLUDED,
                "database": connections[using].vendor,
                "exported_at": datetime.datetime.now(datetime.UTC).isoformat(),
            }
            out.write(_json_line(header))
            writer = _HashingWriter(out)
            for model in chosen:
                natural = _label(model) in NATURAL_KEY_MODELS
                serializers.serialize(
                    "jsonl",
                    _rows(model, using, counts),
                    stream=writer,
                    cls=ExactJSONEncoder,
                    use_natural_foreign_keys=natural,
                    use_natural_primary_keys=_label(model) == "auth.group",
                )
            totals = {_label(m): counts[_label(m)] for m in chosen}
            out.write(
                _json_line({"end": True, "sha256": writer.digest.hexdigest(), "counts": totals})
            )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return totals
