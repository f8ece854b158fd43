"""Hostile revision files, by `import_revision` and by the admin upload: what is not UTF-8
text is refused with the reason and nothing written; hostile text is stored exactly, its
spans re-anchored, and the import report in the admin shows it inert."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotate.models import ReanchorReport
from annotate.tests.hostile_text import ALL_STORED, assert_inert
from annotate.tests.hostile_world import REVISED, hostile_world
from articles.models import Revision

NOT_TEXT = {
    "invalid-utf8": (b"Text \xff here", "the file is not UTF-8 text (byte 5 cannot be decoded)"),
    "nul": (b"Text\x00here", "the file contains a NUL character, so it is not a text file"),
}


@pytest.fixture
def world(reviewer, other_reviewer, lead):
    return hostile_world(author=reviewer, other=other_reviewer, lead=lead)


@pytest.mark.parametrize("case", sorted(NOT_TEXT))
def test_the_command_refuses_a_file_that_is_not_text(world, tmp_path, case):
    data, reason = NOT_TEXT[case]
    path = tmp_path / "revised.txt"
    path.write_bytes(data)

    with pytest.raises(CommandError) as refused:
        call_command("import_revision", "hostile", str(path))

    assert str(refused.value) == f"{path}: {reason}; nothing was imported"
    assert Revision.objects.filter(article=world.article).count() == 2


@pytest.mark.parametrize("case", sorted(NOT_TEXT))
def test_the_admin_upload_refuses_a_file_that_is_not_text(world, admin_client, case):
    data, reason = NOT_TEXT[case]

    response = admin_client.post(
        reverse("admin:annotate_reanchorreport_add"),
        {"article": world.article.pk, "file": SimpleUploadedFile("r.txt", data), "note": ""},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["file"] == [f"{reason[0].upper()}{reason[1:]}; nothing was imported."]
    assert Revision.objects.filter(article=world.article).count() == 2


def test_a_hostile_revision_uploaded_in_the_admin_is_stored_exactly_and_shown_inert(
    world, admin_client
):
    text = "\r\n\r\n".join([f"Third {ALL_STORED}", *REVISED]).encode()

    response = admin_client.post(
        reverse("admin:annotate_reanchorreport_add"),
        {"article": world.article.pk, "file": SimpleUploadedFile("r.txt", text), "note": ""},
        follow=True,
    )

    revision = Revision.objects.get(article=world.article, number=3)
    assert [p.text for p in revision.paragraphs.order_by("position")] == [
        f"Third {ALL_STORED}", *REVISED,
    ]  # fmt: skip
    anchor = ReanchorReport.objects.get(revision=revision).revision.span_anchors.get()
    assert (anchor.quote, anchor.previous_quote) == (ALL_STORED, ALL_STORED)
    assert_inert(response.content.decode(), ALL_STORED)
