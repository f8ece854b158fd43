"""`manage.py import_revision SLUG FILE`: the next revision of an article, spans re-anchored.

It lives in annotate rather than articles because it re-anchors annotations, and
articles must not depend on annotate.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotate.reanchoring.reanchor import revision_import
from articles.models import Article
from articles.report_format import ReportFormatError, parse_report


class Command(BaseCommand):
    help = (
        "Add the next revision of an article from a report file (the import_article format) "
        "and re-anchor every span into it; prints what happened to the spans."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--note", default=None, help="overrides the front matter's note")

    def handle(self, *args, slug: str, file: Path, note: str | None, **options) -> None:
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"There is no article with the slug {slug!r}; nothing was imported")
        try:
            report = parse_report(file.read_bytes())
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file ({error.strerror})") from error
        except ReportFormatError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from error
        named = report.meta.get("slug")
        if named and named != slug:
            raise CommandError(
                f"{file}: its front matter names the article {named!r}, not {slug!r}; "
                "nothing was imported"
            )
        try:
            result = revision_import(
                article=article,
                paragraphs=report.paragraphs,
                note=report.meta.get("note", "") if note is None else note,
            )
        except ValidationError as error:
            messages = "; ".join(" ".join(v) for v in error.message_dict.values())
            raise CommandError(f"{file}: {messages} Nothing was imported.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported revision {result.revision.number} of {slug}: "
                f"{len(report.paragraphs)} paragraphs"
            )
        )
        self.stdout.write(result.summary())
