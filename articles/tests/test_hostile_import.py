"""Hostile report files through `import_article`: what is not UTF-8 text is refused with
the reason and nothing written; BOM and CRLF are read as plain text; right-to-left,
combining and huge text is stored exactly and shown inert in the workspace."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from annotate.tests.hostile_text import ALL_STORED, MARKUP, SCRIPT_URLS, assert_inert
from articles.models import Article, Paragraph

FRONT = "---\ntitle: {title}\nslug: hostile\npublisher: {publisher}\n---\n"
BODY = f"Standfirst {MARKUP['script']}\n\nSecond {ALL_STORED}\n"


def write(tmp_path, data: bytes):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Title\n\nText \xff\xfe here", "the file is not UTF-8 text (byte 12 cannot be decoded)"),
        (b"Lone surrogate \xed\xa0\x80", "the file is not UTF-8 text (byte 15 cannot be decoded)"),
        (b"Text\x00with NUL", "the file contains a NUL character, so it is not a text file"),
        (b"\xef\xbb\xbf  \r\n\r\n", "the file has no paragraphs"),
    ],
    ids=["invalid-utf8", "lone-surrogate", "nul", "bom-only"],
)
def test_a_file_that_is_not_text_is_refused_with_the_reason(db, tmp_path, data, reason):
    path = write(tmp_path, data)

    with pytest.raises(CommandError) as refused:
        call_command("import_article", str(path), "--title", "T")

    assert str(refused.value) == f"{path}: {reason}; nothing was imported"
    assert Article.objects.count() == 0


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_a_script_url_in_front_matter_is_refused(db, tmp_path, url):
    path = write(tmp_path, f"---\ntitle: T\nurl: {url}\n---\nText\n".encode())

    with pytest.raises(CommandError) as refused:
        call_command("import_article", str(path))

    assert str(refused.value) == f"{path}: url: Enter a valid URL.; nothing was imported"
    assert Article.objects.count() == 0


def test_a_slug_with_markup_is_refused(db, tmp_path):
    path = write(tmp_path, f"---\ntitle: T\nslug: {MARKUP['script']}\n---\nText\n".encode())

    with pytest.raises(CommandError, match=r"slug: Enter a valid “slug”"):
        call_command("import_article", str(path))

    assert Article.objects.count() == 0


def test_bom_and_crlf_read_as_the_same_text(db, tmp_path):
    text = FRONT.format(title="T", publisher="P") + BODY
    crlf = write(tmp_path, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())

    call_command("import_article", str(crlf))

    article = Article.objects.get()
    paragraphs = list(Paragraph.objects.order_by("position").values_list("text", flat=True))
    assert (article.title, article.publisher) == ("T", "P")
    assert paragraphs == [f"Standfirst {MARKUP['script']}", f"Second {ALL_STORED}"]


def test_hostile_text_is_stored_exactly_and_shown_inert(tmp_path, reviewer):
    huge = "\u0627\u0644\u062f\u0648\u062d\u0629 Z\u0351\u0364 " * 50_000  # 550,000 characters
    title, publisher = ALL_STORED, MARKUP["attribute_breakout"] + "\u202eevil"
    path = write(tmp_path, (FRONT.format(title=title, publisher=publisher) + BODY).encode())
    with path.open("a", encoding="utf-8") as file:
        file.write(f"\n{huge.strip()}\n")

    call_command("import_article", str(path))

    article = Article.objects.get()
    paragraphs = list(Paragraph.objects.order_by("position").values_list("text", flat=True))
    assert (article.title, article.publisher) == (title, publisher)
    assert paragraphs == [f"Standfirst {MARKUP['script']}", f"Second {ALL_STORED}", huge.strip()]
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/articles/{article.slug}/").content.decode()
    assert_inert(page, title, publisher, f"Second {ALL_STORED}")
