from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article
from articles.report_format import ReportFormatError, parse_report, title_from_file_name
from articles.selectors import article_current_revision
from articles.services import article_import, slug_for, text_checksum


class Command(BaseCommand):
    help = (
        "Create an article from a UTF-8 text file: paragraphs separated by blank lines, "
        "optional front matter (title, slug, date, publisher, url, language, note)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--slug", default="", help="overrides the front matter's slug")
        parser.add_argument(
            "--title",
            default="",
            help="overrides the front matter's title; without either, the file name is the "
            "title (change it later in the admin)",
        )
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="succeed without change when the article already holds exactly this text "
            "(makes start-up scripts idempotent)",
        )

    def handle(self, *args, file: Path, slug: str, title: str, skip_existing: bool, **options):
        try:
            report = parse_report(file.read_bytes())
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file ({error.strerror})") from error
        except ReportFormatError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from error

        named = title or report.meta.get("title", "")
        title = named or title_from_file_name(file.name)
        slug = slug or report.meta.get("slug", "") or slug_for(title)
        if skip_existing and slug:
            existing = Article.objects.filter(slug=slug).first()
            if existing is not None:
                current = article_current_revision(existing)
                if current and current.checksum == text_checksum(report.paragraphs):
                    self.stdout.write(f"{slug}: already imported, unchanged")
                    return
                raise CommandError(
                    f"{slug}: an article with this slug holds different text; "
                    "import the file as a new revision instead"
                )
        try:
            article = article_import(report=report, slug=slug, title=title)
        except ValidationError as error:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(f"{file}: {messages}; nothing was imported") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {article.slug}: {len(report.paragraphs)} paragraphs, revision 1"
            )
        )
        if not named:
            self.stdout.write(
                f"Title taken from the file name: {article.title!r} "
                "(pass --title or edit the article in the admin to change it)"
            )
