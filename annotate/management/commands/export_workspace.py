"""`manage.py export_workspace FILE`: the whole workspace as one backup file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotate.backup.export import EXCLUDED, BackupError, workspace_export

LEFT_OUT = "; ".join(f"{label}: {why}" for label, why in EXCLUDED.items())


class Command(BaseCommand):
    help = (
        "Write every article, revision, paragraph, span, placement, re-anchoring report, "
        "claim, source, confidence note, their history, the users with their roles and the "
        "admin's log to FILE (JSON Lines; gzip when FILE ends in .gz), ids kept, for "
        f"import_workspace. Left out: {LEFT_OUT}. The file holds password hashes and "
        "e-mail addresses: keep it as safe as the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            counts = workspace_export(file)
        except (BackupError, OSError) as error:
            raise CommandError(f"{file}: {error}; nothing was written") from error
        self.stdout.write(self.style.SUCCESS(f"Exported {sum(counts.values())} rows to {file}"))
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
