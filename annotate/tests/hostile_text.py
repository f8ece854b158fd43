"""Hostile text for every door into Claimdesk, and the checks that it stays inert.

One module so that the workspace, import, admin, export and browser tests try the same
payloads. `TEXT_FIELDS` maps every text column of every model to the ways it is written;
`test_hostile_fields.py` compares it with the models, so a new field cannot be added
without saying how it is written (and so which of these tests covers it).
"""

from __future__ import annotations

from enum import StrEnum
from html.parser import HTMLParser

from django.apps import apps
from django.db import models


class Door(StrEnum):
    WORKSPACE = "workspace form"  # annotate/views: test_hostile_workspace.py
    API = "api"  # annotate/api: api/test_adversarial_input.py
    IMPORT = "import file"  # import_article, import_revision, admin upload
    ADMIN = "admin"  # Django admin change forms: test_hostile_admin.py
    SELECTION = "selected text"  # must equal paragraph text: hostile only via IMPORT
    COMPUTED = "computed"  # written by the code (checksums, hashes, re-anchoring)
    BULK = "bulk import"  # POST …/import/ (annotate/imports): test_import_hostile.py


W, A, I, D, S, C, B = Door  # noqa: E741  short names for the table below

TEXT_FIELDS: dict[str, tuple[Door, ...]] = {
    "articles.Article.slug": (I, D),
    "articles.Article.title": (I, D),
    "articles.Article.standfirst": (I,),  # a copy of the first paragraph
    "articles.Article.publisher": (I, D),
    "articles.Article.url": (I, D),
    "articles.Article.language": (I, D),
    "articles.Revision.note": (I, D),
    "articles.Revision.checksum": (C,),
    "articles.Paragraph.text": (I,),
    "annotate.Span.quote": (S,),
    "annotate.Span.prefix": (S,),
    "annotate.Span.suffix": (S,),
    "annotate.SpanAnchor.quote": (C,),
    "annotate.SpanAnchor.prefix": (C,),
    "annotate.SpanAnchor.suffix": (C,),
    "annotate.SpanAnchor.previous_quote": (C,),
    "annotate.Claim.statement": (W, A, D, B),
    "annotate.Claim.attributed_to": (W, A, D, B),
    "annotate.Claim.imported_creator": (B,),
    "annotate.Claim.verdict_rationale": (W, A, B),
    "annotate.Source.url": (W, A, D, B),
    "annotate.Source.title": (W, A, D, B),
    "annotate.Source.publisher": (W, A, D, B),
    "annotate.Source.archive_url": (W, A, D, B),
    "annotate.Citation.excerpt": (W, A, D, B),
    "annotate.ConfidenceNote.rationale": (W, A, B),
    "annotate.ClaimRelation.rationale": (W, A, B),
    "annotate.Change.resource": (C,),  # the changes feed's own names (annotate.changes)
    "annotate.Change.action": (C,),
    # Webhooks (annotate.webhooks): the owner's settings, checked by the services (the
    # link by the SSRF rules); the log keeps what a receiver answered, shown only in JSON.
    "annotate.WebhookEndpoint.url": (A,),
    "annotate.WebhookEndpoint.secret": (A, C),
    "annotate.WebhookEndpoint.disabled_reason": (C,),
    "annotate.WebhookEndpoint.lease_token": (C,),
    "annotate.WebhookDelivery.event_type": (C,),
    "annotate.WebhookDelivery.response": (C,),
    "annotate.WebhookDelivery.error": (C,),
    "auth.User.username": (D,),
    "auth.User.first_name": (D,),
    "auth.User.last_name": (D,),
    "auth.User.email": (D,),
    "auth.User.password": (C,),  # a hash
}

TEXT_FIELD_TYPES = (models.CharField, models.TextField)  # URL, slug, email fields included


def text_fields() -> set[str]:
    """Every free-text column of our models and the user: `app.Model.field`.

    Fields with choices are enumerations, not text; historical models (django-simple-
    history) copy the fields of the model they record.
    """
    found = set()
    labels = ["articles", "annotate"]
    candidates = [m for label in labels for m in apps.get_app_config(label).get_models()]
    for model in [*candidates, apps.get_model("auth", "User")]:
        if hasattr(model, "instance_type"):  # a historical model
            continue
        for field in model._meta.get_fields():
            if isinstance(field, TEXT_FIELD_TYPES) and not field.choices:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def fields_written_through(door: Door) -> list[str]:
    return sorted(name for name, doors in TEXT_FIELDS.items() if door in doors)


def model_field(name: str) -> models.Field:
    app_label, model_name, field_name = name.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


# The payloads ----------------------------------------------------------------------

# Unterminated, so that without isolation it would reverse the rest of its line.
RTL_OVERRIDE = "Reviewer \u202eevil.exe"
MARKUP = {
    "script": "<script>alert(1)</script>",
    "attribute_breakout": '"><img src=x onerror=alert(1)>',
    "single_quote_breakout": "'><svg onload=alert(1)>",
    "template_tags": "{{ request.user }} {% csrf_token %} ${alert(1)}",
}
UNICODE = {
    "rtl_override": RTL_OVERRIDE,
    "combining": "Z\u0351\u0364\u036b\u0301a\u0300\u0301l\u0337go",
    "arabic": "\u0627\u0644\u062f\u0648\u062d\u0629 \u2014 Doha",
    "emoji_zwj": "\U0001f469\u200d\U0001f469\u200d\U0001f467 \U0001f3f3\ufe0f\u200d\U0001f308",
    "formula": '=HYPERLINK("http://evil.example","x")',
}
STORED = {**MARKUP, **UNICODE}  # text any text field keeps exactly (within its length)
LONG = "x" * 100_000
# A NUL with markup around it: the form that refuses it shows the rest back, escaped.
NUL = '<script>alert(1)</script>\x00"><img src=x onerror=alert(1)>'
# Browsers cannot send a lone surrogate (they encode it as U+FFFD); a raw client sends the
# bytes of one encoded as if it were a character, which is not UTF-8.
LONE_SURROGATE_BYTES = b"%ED%A0%80"

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]
# A valid http(s) address that carries markup: stored, and only ever an escaped href.
MARKUP_URL = 'https://example.org/a"><script>alert(1)</script>'

ALL_STORED = "".join(STORED.values())  # every payload in one string, for one render


# Inert rendering -------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "data"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class _Inspector(HTMLParser):
    """Collects a page's text and attribute values, and anything that could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attribute_values: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append((tag, values))
        for name, value in attrs:
            self.attribute_values.append(value or "")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an event handler attribute")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(SCRIPT_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>: a script URL")
        if tag == "script":
            self._in_script = True
            if not values.get("src") and values.get("type") != "application/json":
                self.problems.append("<script> without src: inline script")
        if tag in {"iframe", "object", "embed", "base"}:
            self.problems.append(f"<{tag}>: an element that user text never makes")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.problems.append(f"script content {data[:60]!r}")
        self.text.append(data)


def inspect_html(html: str) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


def assert_inert(html: str, *shown: str) -> None:
    """Nothing in `html` can run, and each of `shown` is in it as text or attribute value.

    The markup payloads would add an element or an event handler if escaping failed;
    finding them literally in the parsed text proves they were escaped, not dropped.
    """
    page = inspect_html(html)
    assert page.problems == []
    text = "".join(page.text)
    for value in shown:
        assert value in text or value in page.attribute_values, f"{value[:60]!r} not shown"


def payloads_for(field: models.Field) -> dict[str, str]:
    """What to try in `field`: addresses for a URL field, hostile text for the others."""
    if isinstance(field, models.URLField):
        return {
            **{f"script_url_{n}": url for n, url in enumerate(SCRIPT_URLS)},
            "markup_url": MARKUP_URL,
            "long": "https://example.org/" + "x" * field.max_length,
            "nul": "https://example.org/\x00",
        }
    return {**STORED, "long": LONG, "nul": NUL}


def expected_refused(field: models.Field, value: str) -> bool:
    """Refused with the field named: a NUL, more than the column holds, or (for an
    address) anything but an http(s) URL."""
    too_long = field.max_length is not None and len(value) > field.max_length
    not_http = isinstance(field, models.URLField) and not value.startswith("https://")
    return "\x00" in value or too_long or not_http


def fitted(name: str, value: str = ALL_STORED) -> str:
    """As much of `value` as the field `app.Model.field` holds."""
    max_length = model_field(name).max_length
    return value[:max_length] if max_length else value
