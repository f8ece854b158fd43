"""Loading a workspace backup (see annotate.backup.export for the file): all or nothing.

Checks come first and are cheap: the format, its version and the migration state must be
this database's, and the database must hold no workspace data (or the caller asked to
replace it). Then every row is saved raw inside one transaction, counted and hashed; the
end line must match, or the transaction is rolled back and nothing was written. Ids come
from the file, so PostgreSQL's sequences are moved past them before the transaction ends.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer
from django.db import DatabaseError, connections, models, transaction

from annotate.backup.export import (
    FORMAT,
    VERSION,
    BackupError,
    _label,
    _open,
    applied_migrations,
    workspace_models,
)

# Emptied with the workspace by `replace`: tokens, sessions and webhooks (their log before
# them) belong to the replaced users.
REPLACED_WITH_USERS = (
    "authtoken_token",
    "django_session",
    "annotate_webhookdelivery",
    "annotate_historicalwebhookendpoint",
    "annotate_webhookendpoint",
)
SHOWN = 5  # migrations named in a mismatch message


def _read_header(lines: IO[str], using: str) -> None:
    try:
        header = json.loads(lines.readline())
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"This is not a Claimdesk workspace backup (no {FORMAT!r} header).")
    if header.get("version") == 1:
        raise BackupError(
            "The file is in backup format version 1, from before sources became shared "
            "records cited by claims; this Claimdesk reads version 2 only. To convert it, "
            "import it with the Claimdesk release that wrote it (before migration "
            "0010_shared_sources) into an empty database, run `migrate` with this one (which "
            "merges the sources without loss), and export again."
        )
    if header.get("version") != VERSION:
        raise BackupError(
            f"The file is in backup format version {header.get('version')!r}; this Claimdesk "
            f"reads version {VERSION} only."
        )
    theirs, ours = set(header.get("migrations", [])), set(applied_migrations(using))
    if theirs != ours:
        raise BackupError(
            "The file was exported at another migration state than this database's: "
            f"only in the file {sorted(theirs - ours)[:SHOWN]}, only in the database "
            f"{sorted(ours - theirs)[:SHOWN]}. Migrate both to the same code first."
        )
    if header.get("models") != [_label(m) for m in workspace_models()]:
        raise BackupError("The file holds other models than this Claimdesk backs up.")


def _require_empty(chosen: list[type[models.Model]], using: str) -> None:
    # Role groups are made by migrations; the file's groups update them by name.
    held = {
        _label(m): m._base_manager.using(using).count() for m in chosen if _label(m) != "auth.group"
    }
    held = {label: count for label, count in held.items() if count}
    if held:
        listed = ", ".join(f"{count} {label}" for label, count in held.items())
        raise BackupError(
            f"The database already holds workspace data ({listed}). Import into a freshly "
            "migrated database, or replace what it holds with --replace."
        )


def workspace_flush(*, using: str = "default") -> None:
    """Delete every row a backup holds, with the users' tokens and sessions.

    Plain SQL, not the ORM: deleting through models would record history of the deletions.
    DELETE rather than the flush command's TRUNCATE, which PostgreSQL refuses in a
    transaction that has written rows with deferred foreign keys.
    """
    connection = connections[using]
    tables = list(REPLACED_WITH_USERS)
    for model in workspace_models():
        tables.append(model._meta.db_table)
        tables += [
            f.remote_field.through._meta.db_table
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for table in tables:  # names from the models, not from input
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


class _Rows:
    """The row lines of an open file after its header: parsed, checked, counted, hashed."""

    def __init__(self, lines: IO[str], chosen: list[type[models.Model]]) -> None:
        self.lines, self.labels = lines, {_label(m) for m in chosen}
        self.digest, self.counts = hashlib.sha256(), Counter()
        self.line, self.end = 1, None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for text in self.lines:
            self.line += 1
            if self.end is not None:
                raise BackupError(f"line {self.line}: there is data after the end line")
            try:
                data = json.loads(text)
            except ValueError as error:
                raise BackupError(
                    f"line {self.line}: not JSON ({error}); is the file damaged?"
                ) from error
            if not isinstance(data, dict) or data.get("model") not in self.labels:
                if isinstance(data, dict) and data.get("end") is True:
                    self.end = data
                    continue
                raise BackupError(f"line {self.line}: not a row of a model this backup holds")
            self.digest.update(text.encode())
            self.counts[data["model"]] += 1
            yield data

    def check_end(self) -> None:
        if self.end is None:
            raise BackupError(f"The file ends at line {self.line} without its end line: truncated?")
        if self.end.get("counts") != {label: self.counts[label] for label in self.end["counts"]}:
            raise BackupError("The rows in the file do not add up to its end line's counts.")
        if sum(self.end["counts"].values()) != sum(self.counts.values()):
            raise BackupError("The file holds rows its end line does not count.")
        if self.end.get("sha256") != self.digest.hexdigest():
            raise BackupError("The rows do not match the file's checksum: the file was altered.")


def _load(rows: _Rows, using: str) -> None:
    try:
        for obj in Deserializer(rows, using=using):
            # Rows with an id are inserted; a group (no id) updates the one of its name.
            obj.save(using=using, force_insert=_label(type(obj.object)) != "auth.group")
    except (DeserializationError, DatabaseError, ValidationError, ValueError) as error:
        raise BackupError(f"line {rows.line}: {error}") from error


def _reset_sequences(chosen: list[type[models.Model]], using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), chosen):
            cursor.execute(sql)


def workspace_import(path: Path, *, replace: bool = False, using: str = "default") -> dict:
    """Load a backup into this database; returns the rows loaded per model.

    Refuses a database holding workspace data unless `replace`, which deletes it first (in
    the same transaction: if the file is refused, the old data is still there).
    """
    chosen = workspace_models()
    try:
        with _open(path, "r") as lines:
            _read_header(lines, using)
            with transaction.atomic(using=using):
                if replace:
                    workspace_flush(using=using)
                else:
                    _require_empty(chosen, using)
                rows = _Rows(lines, chosen)
                _load(rows, using)
                rows.check_end()
                _reset_sequences(chosen, using)
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as error:
        raise BackupError(f"{path}: cannot read the file ({error})") from error
    except DatabaseError as error:  # deferred foreign keys are checked at commit
        raise BackupError(f"{path}: the database refused the rows ({error})") from error
    return {_label(m): rows.counts[_label(m)] for m in chosen}
