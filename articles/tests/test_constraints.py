"""The database itself refuses rows that break the text model's invariants."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, Paragraph, Revision

pytestmark = pytest.mark.django_db

CHECKSUM = "0" * 64


@pytest.fixture
def article():
    return Article.objects.create(slug="a", title="A")


@pytest.fixture
def revision(article):
    return Revision.objects.create(article=article, number=1, checksum=CHECKSUM)


def refused(**fields):
    model = fields.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def test_article_needs_slug_and_title():
    refused(model=Article, slug="", title="T")
    refused(model=Article, slug="s", title="")


def test_article_slug_is_unique(article):
    refused(model=Article, slug="a", title="Another")


def test_revision_numbers_are_positive_and_unique(article, revision):
    refused(model=Revision, article=article, number=0, checksum=CHECKSUM)
    refused(model=Revision, article=article, number=1, checksum=CHECKSUM)
    Revision.objects.create(article=article, number=2, checksum=CHECKSUM)


def test_revision_checksum_is_sha256_hex(article):
    refused(model=Revision, article=article, number=3, checksum="not-a-checksum")


def test_paragraph_positions_are_positive_and_unique(revision):
    Paragraph.objects.create(revision=revision, position=1, text="One")
    refused(model=Paragraph, revision=revision, position=1, text="Again")
    refused(model=Paragraph, revision=revision, position=0, text="Zero")


def test_paragraph_text_is_not_empty(revision):
    refused(model=Paragraph, revision=revision, position=2, text="")
