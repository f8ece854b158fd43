"""The admin with hostile text stored in every field: each changelist and change page
shows it escaped, and the admin's own forms refuse what the workspace refuses."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from annotate.models import Citation, Source
from annotate.sources import normalise_url
from annotate.tests.hostile_text import (
    ALL_STORED,
    MARKUP,
    MARKUP_URL,
    NUL,
    RTL_OVERRIDE,
    SCRIPT_URLS,
    UNICODE,
    assert_inert,
    fitted,
)
from annotate.tests.hostile_world import hostile_world


@pytest.fixture
def world(reviewer, other_reviewer, lead):
    get_user_model().objects.filter(pk=reviewer.pk).update(
        first_name=fitted("auth.User.first_name"), last_name=RTL_OVERRIDE
    )
    return hostile_world(author=reviewer, other=other_reviewer, lead=lead)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_admin_changelist_and_change_page_shows_hostile_text_inert(admin_client, world):
    for model, model_admin in admin.site._registry.items():
        changelist = admin_client.get(_url(model, "changelist"))
        assert changelist.status_code == 200, model
        assert_inert(changelist.content.decode())
        for pk in model_admin.get_queryset(changelist.wsgi_request).values_list("pk", flat=True):
            change = admin_client.get(_url(model, "change", pk))
            assert change.status_code == 200, (model, pk)
            assert_inert(change.content.decode())


@pytest.mark.parametrize(
    ("model_name", "shown"),
    [
        ("articles.Article", [fitted("articles.Article.title"), MARKUP_URL]),
        ("articles.Revision", [ALL_STORED]),  # the note, and the paragraphs' text
        ("annotate.Claim", [ALL_STORED, fitted("annotate.Claim.attributed_to")]),
        # A source's URL is stored normalised (annotate.sources), its archived copy's not.
        (
            "annotate.Source",
            [
                ALL_STORED,
                normalise_url(MARKUP_URL),
                MARKUP_URL,
                fitted("annotate.Source.publisher"),
            ],
        ),
        ("annotate.Citation", [ALL_STORED]),
        ("annotate.ConfidenceNote", [ALL_STORED]),
        ("annotate.Span", [ALL_STORED]),
        ("annotate.ReanchorReport", [ALL_STORED]),  # the span's old and new text
        ("auth.User", [RTL_OVERRIDE]),
    ],
)
def test_a_change_page_shows_the_stored_text_literally(admin_client, world, model_name, shown):
    model = apps.get_model(model_name)
    obj = model.objects.order_by("-pk").first()
    if model_name == "auth.User":
        obj = model.objects.get(last_name=RTL_OVERRIDE)

    response = admin_client.get(_url(model, "change", obj.pk))

    assert_inert(response.content.decode(), *shown)


def _source_post(source: Source, **fields) -> dict:
    values = {"url": source.url, "title": source.title, "publisher": source.publisher,
              "published_on": "", "archive_url": source.archive_url,
              "reliability": source.reliability}  # fmt: skip
    return {**values, **fields}


@pytest.mark.parametrize(
    ("field", "value"),
    [*(("url", url) for url in SCRIPT_URLS), ("archive_url", SCRIPT_URLS[0]), ("title", NUL),
     ("publisher", "x" * 201)],
)  # fmt: skip
def test_the_admin_refuses_what_the_workspace_refuses_and_writes_nothing(
    admin_client, world, field, value
):
    source = world.claim.citations.get().source

    response = admin_client.post(
        _url(Source, "change", source.pk), _source_post(source, **{field: value})
    )

    assert response.status_code == 200  # the form again, with the error
    assert field in response.context["adminform"].form.errors
    assert Source.objects.get(pk=source.pk).title == source.title
    assert getattr(Source.objects.get(pk=source.pk), field) == getattr(source, field)
    assert_inert(response.content.decode())


def test_the_admin_stores_hostile_text_exactly(admin_client, world):
    citation = world.claim.citations.get()
    source = citation.source
    values = {
        "title": MARKUP["attribute_breakout"] + UNICODE["combining"],
        "publisher": RTL_OVERRIDE,
    }
    excerpt = UNICODE["emoji_zwj"] + MARKUP["script"]
    citation_post = {"source": str(source.pk), "excerpt": excerpt, "stance": citation.stance,
                     "credibility": str(citation.credibility)}  # fmt: skip

    response = admin_client.post(_url(Source, "change", source.pk), _source_post(source, **values))
    cited = admin_client.post(_url(Citation, "change", citation.pk), citation_post)

    assert (response.status_code, cited.status_code) == (302, 302)
    stored = Source.objects.get(pk=source.pk)
    assert {name: getattr(stored, name) for name in values} == values
    assert Citation.objects.get(pk=citation.pk).excerpt == excerpt


@pytest.mark.parametrize("username", [MARKUP["script"], RTL_OVERRIDE, "a\u0351b"])
def test_a_username_is_letters_digits_and_at_dot_plus_dash_underscore_only(admin_client, username):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {"username": username, "password1": "", "password2": "", "usable_password": "false"},
    )

    assert "username" in response.context["adminform"].form.errors
    assert not get_user_model().objects.filter(username=username).exists()
