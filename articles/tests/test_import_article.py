from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Paragraph, Revision
from conftest import SEED_FILE

pytestmark = pytest.mark.django_db


def seed_body() -> str:
    """The seed report's text as shipped: everything after the front matter."""
    text = SEED_FILE.read_text(encoding="utf-8")
    return text[text.index("\n---\n") + 5 :]


def import_file(path, *args) -> str:
    out = StringIO()
    call_command("import_article", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_imports_the_seed_report_byte_for_byte():
    output = import_file(SEED_FILE)

    article = Article.objects.get()
    assert output.strip() == "Imported doha-strike-2025-09-09: 15 paragraphs, revision 1"
    assert article.slug == "doha-strike-2025-09-09"
    assert article.title == "Israel strikes Hamas officials in Doha"
    assert article.publisher == ""
    assert article.published_on == dt.date(2025, 9, 9)
    revision = Revision.objects.get()
    assert revision.number == 1
    texts = list(revision.paragraphs.order_by("position").values_list("text", flat=True))
    expected = seed_body().rstrip("\n").split("\n\n")
    assert len(texts) == 15
    assert texts == expected
    assert "\n\n".join(texts).encode() + b"\n\n" == seed_body().encode()
    assert article.standfirst == texts[0]
    assert texts[0].startswith("The strike came as Hamas officials were in Qatar")
    assert revision.checksum == hashlib.sha256("\n\n".join(texts).encode()).hexdigest()


def test_it_imports_a_file_without_front_matter_given_a_title(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Standfirst.\n\nBody 🙂 text.\n", encoding="utf-8")

    import_file(path, "--title", "Plain report")

    article = Article.objects.get()
    assert article.slug == "plain-report"
    assert article.published_on is None
    assert list(Paragraph.objects.values_list("text", flat=True)) == [
        "Standfirst.",
        "Body 🙂 text.",
    ]


def test_skip_existing_makes_a_second_import_a_no_op():
    import_file(SEED_FILE)
    output = import_file(SEED_FILE, "--skip-existing")

    assert output.strip() == "doha-strike-2025-09-09: already imported, unchanged"
    assert (Article.objects.count(), Revision.objects.count(), Paragraph.objects.count()) == (
        1,
        1,
        15,
    )


def test_skip_existing_refuses_a_changed_text(tmp_path):
    import_file(SEED_FILE)
    changed = tmp_path / "changed.txt"
    changed.write_bytes(SEED_FILE.read_bytes().replace(b"Tuesday", b"Wednesday"))

    with pytest.raises(CommandError, match="holds different text"):
        import_file(changed, "--skip-existing")
    assert Revision.objects.count() == 1


def test_a_plain_file_without_a_title_is_named_after_its_file(tmp_path):
    path = tmp_path / "gaza_ceasefire-talks.txt"
    path.write_text("Standfirst.\n\nBody.\n", encoding="utf-8")

    output = import_file(path)

    article = Article.objects.get()
    assert (article.title, article.slug) == ("Gaza ceasefire talks", "gaza-ceasefire-talks")
    assert "Title taken from the file name: 'Gaza ceasefire talks'" in output
    # A start-up script's second run finds it by the same derived slug.
    assert import_file(path, "--skip-existing").strip() == (
        "gaza-ceasefire-talks: already imported, unchanged"
    )
    assert Article.objects.count() == 1


def test_it_refuses_a_duplicate_slug():
    import_file(SEED_FILE)
    with pytest.raises(CommandError, match="slug: An article with the slug"):
        import_file(SEED_FILE)
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfeB\x00a\x00d\x00", "not UTF-8"),
        (b"---\ntitle: Nothing below\n---\n", "no paragraphs"),
        (b"---\ntitle: Bad url\nurl: not a url\n---\nBody.\n", "url: Enter a valid URL"),
        ("---\ntitle: " + "x" * 301 + "\n---\nBody.\n", "title: Ensure this value"),
    ],
)
def test_it_rejects_bad_files_and_creates_nothing(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    with pytest.raises(CommandError, match=message) as raised:
        import_file(path)

    assert "nothing was imported" in str(raised.value)
    assert (Article.objects.count(), Revision.objects.count(), Paragraph.objects.count()) == (
        0,
        0,
        0,
    )


def test_it_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        import_file(tmp_path / "missing.txt")
