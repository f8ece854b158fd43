"""`manage.py import_workspace FILE`: restore a backup made by export_workspace."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotate.backup.export import BackupError
from annotate.backup.load import workspace_import


class Command(BaseCommand):
    help = (
        "Load a file written by export_workspace into a freshly migrated database (at the "
        "same migrations as the export), ids kept, in one transaction: a damaged, truncated "
        "or foreign file writes nothing. API tokens are not in backups: users get new ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="first delete the workspace this database holds (with its users' tokens "
            "and sessions); kept if the file is refused",
        )

    def handle(self, *args, file: Path, replace: bool, **options) -> None:
        try:
            counts = workspace_import(file, replace=replace)
        except BackupError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from error
        self.stdout.write(self.style.SUCCESS(f"Imported {sum(counts.values())} rows from {file}"))
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
