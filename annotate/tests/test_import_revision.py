from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotate.models import AnchorStatus, ReanchorReport, SpanAnchor
from annotate.tests.factories import make_claim
from articles.models import Paragraph, Revision

pytestmark = pytest.mark.django_db

REVISIONS = Path(__file__).resolve().parents[2] / "fixtures" / "revisions"
CASUALTIES_UPDATED = REVISIONS / "doha-casualties-updated.txt"


def import_revision(*args) -> str:
    out = StringIO()
    call_command("import_revision", *map(str, args), stdout=out)
    return out.getvalue()


def nothing_written() -> bool:
    return (
        Revision.objects.count(),
        Paragraph.objects.count(),
        SpanAnchor.objects.count(),
        ReanchorReport.objects.count(),
    ) == (1, 15, 0, 0)


def test_it_imports_the_next_revision_and_reports_the_spans(seed_article, reviewer):
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    orphan = make_claim(
        paragraph=paragraphs[5], quote="The number of casualties is currently unknown.",
        user=reviewer,
    ).span  # fmt: skip
    moved = make_claim(paragraph=paragraphs[5], quote="Khalil al-Hayya", user=reviewer).span
    kept = make_claim(paragraph=paragraphs[3], quote="Loud explosions", user=reviewer).span

    output = import_revision(seed_article.slug, CASUALTIES_UPDATED)

    assert output.splitlines() == [
        "Imported revision 2 of doha-strike-2025-09-09: 15 paragraphs",
        "3 spans re-anchored into revision 2: 1 kept, 1 moved, 0 fuzzy, 0 ambiguous, "
        "1 orphaned; review needed for 1",
    ]
    revision = seed_article.revisions.get(number=2)
    assert revision.note == "Casualty figures added after Qatar’s interior ministry statement."
    assert revision.paragraphs.get(position=5).text.startswith("At least six people were killed")
    assert seed_article.revisions.get(number=2).reanchor_report.orphaned == 1
    statuses = dict(SpanAnchor.objects.values_list("span_id", "status"))
    assert statuses == {
        orphan.pk: AnchorStatus.ORPHANED,
        moved.pk: AnchorStatus.MOVED,
        kept.pk: AnchorStatus.KEPT,
    }


def test_the_note_option_overrides_the_front_matter(seed_article):
    import_revision(seed_article.slug, CASUALTIES_UPDATED, "--note", "Wire update")

    assert seed_article.revisions.get(number=2).note == "Wire update"
    assert seed_article.revisions.get(number=2).reanchor_report.total == 0


def test_an_unknown_slug_is_refused(seed_article):
    with pytest.raises(CommandError, match="no article with the slug 'nope'; nothing was"):
        import_revision("nope", CASUALTIES_UPDATED)

    assert nothing_written()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; nothing was imported"),
        (b"\xff\xfe bad bytes", "is not UTF-8 text"),
        (b"---\ntitle: x\n", "front matter opened with --- is never closed"),
        (b"---\nslug: another-report\n---\nText.\n", "names the article 'another-report'"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(seed_article, tmp_path, content, message):
    path = tmp_path / "revision.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        import_revision(seed_article.slug, path)

    assert nothing_written()


def test_a_missing_file_is_refused(seed_article, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        import_revision(seed_article.slug, tmp_path / "missing.txt")

    assert nothing_written()


def test_unchanged_text_is_refused(seed_article):
    seed = Path(__file__).resolve().parents[2] / "fixtures" / "seed-report.txt"

    with pytest.raises(CommandError, match=r"same as revision 1; nothing changed\. Nothing was"):
        import_revision(seed_article.slug, seed)

    assert nothing_written()
