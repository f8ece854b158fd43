"""An article's data package as a zip written while it is sent: datapackage.json, then one
CSV per table (annotate.datasets.tables), each read from the database in chunks, so memory
stays flat however many claims there are.

Cells hold the values exactly (no spreadsheet formula guard, unlike the CSV export: a
quote must still equal its paragraph's text[start:end]); open the files in a spreadsheet
through its import dialog, not by double-clicking.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import orjson
from django.db.models import QuerySet
from django.utils import timezone

from annotate.api.article_views import positive_int_param
from annotate.api.exports import ExportContext, ExportFormat
from annotate.datasets.rows import table_querysets
from annotate.datasets.tables import TABLES
from annotate.models import Claim

CHUNK_ROWS = 2000  # rows fetched per database round trip
FLUSH_BYTES = 64 * 1024  # compressed bytes gathered before they are sent


def descriptor(ctx: ExportContext) -> dict[str, Any]:
    """datapackage.json: the package's metadata and each file's Table Schema."""
    article = ctx.article
    return {
        "profile": "tabular-data-package",
        "name": article.slug.lower(),
        "id": ctx.article_api_url(),
        "title": f"Claims on “{article.title}”",
        "description": (
            "Claims reviewers made on the article, their citations and sources, "
            "confidence notes, links between claims, verdicts, and the article's text, "
            "exported by Claimdesk for the user who asked for it (what independent review "
            "hides from them is not in it). Join the files by id as the foreign keys say."
        ),
        "homepage": article.url or ctx.article_api_url(),
        "created": _cell(timezone.now()),
        "resources": [
            {
                "name": table.name,
                "path": table.path,
                "title": table.title,
                "description": table.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table.schema(),
            }
            for table in TABLES
        ],
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_lines(header: list[str], rows: QuerySet) -> Iterator[bytes]:
    line = io.StringIO()
    writer = csv.writer(line)
    writer.writerow(header)
    for row in rows.iterator(chunk_size=CHUNK_ROWS):
        writer.writerow([_cell(value) for value in row])
        if line.tell() >= FLUSH_BYTES:
            yield line.getvalue().encode()
            line.seek(0)
            line.truncate()
    yield line.getvalue().encode()


class _Outbox(io.RawIOBase):
    """Where the zip writes: gathers bytes until they are taken. It cannot seek, so
    zipfile writes each member's sizes after its data (a data descriptor)."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


def data_package(claims: QuerySet[Claim], ctx: ExportContext) -> Iterator[bytes]:
    """The zip, in pieces of about FLUSH_BYTES."""
    revision = positive_int_param(ctx.request, "revision")
    querysets = table_querysets(ctx.article, claims, ctx.request.user, revision=revision)
    outbox = _Outbox()
    archive = zipfile.ZipFile(outbox, "w", compression=zipfile.ZIP_DEFLATED)
    archive.writestr("datapackage.json", orjson.dumps(descriptor(ctx), option=orjson.OPT_INDENT_2))
    for table in TABLES:
        header = [column.name for column in table.columns]
        with archive.open(table.path, "w") as member:
            for data in _csv_lines(header, querysets[table]):
                member.write(data)
                if outbox.size >= FLUSH_BYTES:
                    yield outbox.take()
    archive.close()
    yield outbox.take()


# Streamed bytes, not text: ExportFormat's produce is typed for the text exports.
DATAPACKAGE = ExportFormat("datapackage", "application/zip", "zip", data_package)  # type: ignore[arg-type]
