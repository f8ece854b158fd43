"""Leads upload a new revision in the admin; the import re-anchors and reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotate.models import AnchorStatus, ReanchorReport, SpanAnchor
from annotate.tests.factories import TEST_PASSWORD, make_claim
from articles.models import Revision
from articles.report_format import ParsedReport
from articles.services import article_import

pytestmark = pytest.mark.django_db

REVISION_FILE = (
    Path(__file__).resolve().parents[2] / "fixtures" / "revisions" / "doha-casualties-updated.txt"
)
ADD_URL = reverse("admin:annotate_reanchorreport_add")


def staff_client(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client(enforce_csrf_checks=True)
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


def upload(client: Client, article, content: bytes, **extra):
    page = client.get(ADD_URL, {"article": article.pk})
    assert page.status_code == 200
    data = {
        "article": article.pk,
        "file": SimpleUploadedFile("revision.txt", content, content_type="text/plain"),
        "note": "",
        "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
        **extra,
    }
    return client.post(ADD_URL, data)


def test_a_lead_uploads_a_revision_and_sees_the_report(seed_article, lead, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=5)
    span = make_claim(paragraph=paragraph, quote="casualties", user=reviewer).span
    client = staff_client(lead)

    response = upload(client, seed_article, REVISION_FILE.read_bytes())

    report = ReanchorReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:annotate_reanchorreport_change", args=[report.pk])
    assert (report.revision.number, report.imported_by, report.orphaned) == (2, lead, 1)
    assert report.revision.note == (
        "Casualty figures added after Qatar’s interior ministry statement."
    )
    assert SpanAnchor.objects.get(span=span).status == AnchorStatus.ORPHANED
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [str(m) for m in page.context["messages"]] == [
        "1 spans re-anchored into revision 2: 0 kept, 0 moved, 0 fuzzy, 0 ambiguous, "
        "1 orphaned; review needed for 1"
    ]
    assert "casualties" in page.text  # the anchors are listed with their old text


def test_the_article_page_links_to_the_upload(seed_article, lead):
    client = staff_client(lead)

    page = client.get(reverse("admin:articles_article_change", args=[seed_article.pk]))

    assert f'href="{ADD_URL}?article={seed_article.pk}"' in page.text


def test_a_bad_file_is_shown_as_a_form_error_and_nothing_is_written(seed_article, lead):
    client = staff_client(lead)

    response = upload(client, seed_article, b"\xff\xfe not text")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "The file is not UTF-8 text (byte 0 cannot be decoded); nothing was imported."
    ]
    assert Revision.objects.count() == 1
    assert ReanchorReport.objects.count() == 0


def test_unchanged_text_is_a_form_error(seed_article, lead):
    seed = Path(__file__).resolve().parents[2] / "fixtures" / "seed-report.txt"
    client = staff_client(lead)

    response = upload(client, seed_article, seed.read_bytes())

    assert response.context["adminform"].form.errors["file"] == [
        "The text is the same as revision 1."
    ]
    assert Revision.objects.count() == 1


def test_the_upload_needs_the_csrf_token(seed_article, lead):
    client = staff_client(lead)

    response = client.post(
        ADD_URL,
        {"article": seed_article.pk, "file": SimpleUploadedFile("r.txt", b"New text.")},
    )

    assert response.status_code == 403
    assert Revision.objects.count() == 1


def test_staff_without_add_revision_may_not_upload(seed_article, reviewer):
    client = staff_client(reviewer)

    assert client.get(ADD_URL).status_code == 403
    client.get(reverse("admin:index"))  # sets the CSRF cookie
    response = client.post(
        ADD_URL,
        {
            "article": seed_article.pk,
            "file": SimpleUploadedFile("r.txt", b"New text."),
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )

    assert response.status_code == 403
    assert Revision.objects.count() == 1


def test_the_report_page_escapes_report_text(lead, reviewer):
    article = article_import(
        report=ParsedReport(paragraphs=["<b>Bold</b> claim."], meta={"title": "Markup"})
    )
    paragraph = article.revisions.get().paragraphs.get()
    make_claim(paragraph=paragraph, quote="<b>Bold</b>", user=reviewer)
    client = staff_client(lead)

    response = upload(client, article, b"New first paragraph.\n\n<b>Bold</b> claim.\n")

    page = client.get(response["Location"])
    assert "<td>&lt;b&gt;Bold&lt;/b&gt;</td><td>&lt;b&gt;Bold&lt;/b&gt;</td>" in page.text
    assert "<b>Bold</b>" not in page.text
