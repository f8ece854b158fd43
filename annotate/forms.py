"""The workspace's forms: they parse what the browser sent into typed values for the
services, which hold the rules. A service's ValidationError lands on the form's fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from annotate.claim_filters import VERDICT_CHOICES, ClaimFilters
from annotate.models import (
    AnalyticConfidence,
    ClaimKind,
    Credibility,
    Likelihood,
    Reliability,
    Stance,
    Verdict,
)


class FilterForm(forms.Form):
    """The workspace's filter bar. It only parses: what each filter means is
    annotate.claim_filters', shared with the API."""

    kind = forms.ChoiceField(choices=[("", "Any kind"), *ClaimKind.choices], required=False)
    verdict = forms.ChoiceField(choices=[("", "Any verdict"), *VERDICT_CHOICES], required=False)
    reviewer = forms.CharField(max_length=150, required=False)
    disputed = forms.BooleanField(required=False, label="Disputed only")
    without_sources = forms.BooleanField(required=False, label="Without sources")
    q = forms.CharField(max_length=200, required=False, label="Search")
    # Not a filter: which revision's text to read (the current one when empty).
    revision = forms.IntegerField(min_value=1, required=False)

    def claim_filters(self) -> ClaimFilters:
        data = self.cleaned_data
        return ClaimFilters(
            kind=data["kind"],
            verdict=data["verdict"],
            reviewer=data["reviewer"],
            disputed=True if data["disputed"] else None,  # a checkbox: on, or either way
            has_sources=False if data["without_sources"] else None,
            q=data["q"],
        )


class ClaimFields(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The claim in your words: what the report asserts.",
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices, initial=ClaimKind.FACTUAL)
    attributed_to = forms.CharField(
        max_length=300, required=False, help_text="Who the report says made the claim."
    )


class SelectionForm(forms.Form):
    """Text selected in the report: a paragraph, code-point offsets and the quote."""

    paragraph = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)


class ClaimCreateForm(ClaimFields):
    paragraph = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)


class VersionedForm(forms.Form):
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def expected_version(self) -> str | None:
        return self.cleaned_data.get("version") or None


class ClaimEditForm(ClaimFields, VersionedForm):
    pass


class CitationForm(VersionedForm):
    """A citation: of a source already recorded (`source`, picked from the autocomplete),
    or of a new one from its fields (a URL already recorded, once normalised, cites that
    source: annotate.services.source_find_or_create)."""

    source = forms.IntegerField(required=False, widget=forms.HiddenInput)
    url = forms.URLField(max_length=2000, label="URL", assume_scheme="https", required=False)
    title = forms.CharField(max_length=500, required=False)
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        required=False, label="Published on", widget=forms.DateInput(attrs={"type": "date"})
    )
    archive_url = forms.URLField(
        max_length=2000, label="Archived copy", assume_scheme="https", required=False
    )
    reliability = forms.ChoiceField(
        choices=Reliability.choices,
        initial=Reliability.F,
        required=False,
        label="Source reliability",
        help_text="For a new source; a recorded source keeps its own.",
    )
    excerpt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    stance = forms.ChoiceField(choices=Stance.choices, widget=forms.RadioSelect)
    credibility = forms.TypedChoiceField(
        choices=Credibility.choices,
        coerce=int,
        initial=Credibility.CANNOT_BE_JUDGED,
        label="Information credibility",
    )

    SOURCE_FIELDS = ("url", "title", "publisher", "published_on", "archive_url", "reliability")
    FIELDS = ("excerpt", "stance", "credibility")

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("source"):
            for name in ("url", "title"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Give it, or pick a source already recorded.")
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def new_source(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.SOURCE_FIELDS}
        return {**fields, "reliability": fields["reliability"] or Reliability.F}


class CitationEditForm(VersionedForm):
    """Editing a citation: how it bears on the claim. Its source is shared, edited apart."""

    excerpt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    stance = forms.ChoiceField(choices=Stance.choices, widget=forms.RadioSelect)
    credibility = forms.TypedChoiceField(
        choices=Credibility.choices, coerce=int, label="Information credibility"
    )

    FIELDS = CitationForm.FIELDS

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class NoteForm(VersionedForm):
    likelihood = forms.TypedChoiceField(
        choices=Likelihood.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="How likely is the claim to be true?",
    )
    analytic_confidence = forms.ChoiceField(
        choices=AnalyticConfidence.choices,
        widget=forms.RadioSelect,
        label="How confident is the analysis behind it?",
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VerdictForm(VersionedForm):
    verdict = forms.ChoiceField(choices=[("", "Not adjudicated"), *Verdict.choices], required=False)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


# A link is read from the open claim: "part of" one way or the other.
HAS_PART = "has_part"
LINK_TYPE_CHOICES = [
    ("contradicts", "Contradicts"),
    ("corroborates", "Corroborates"),
    ("same_as", "Is the same claim as"),
    ("part_of", "Is part of"),
    (HAS_PART, "Has as a part"),
]


class RelationForm(forms.Form):
    """Link the open claim to another: `to_claim` is the other claim's id, picked from a
    list the view narrows by search (or from a highlight in the text)."""

    # Initial values render as `selected`: a list whose choice is only the browser's default
    # would count as edited, and keep live updates from refreshing the panel.
    type = forms.ChoiceField(choices=LINK_TYPE_CHOICES, label="This claim", initial="contradicts")
    # Any claim id: the list shows the search's matches, and the service holds the rules.
    to_claim = forms.IntegerField(label="Other claim", widget=forms.Select, initial="")
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why (optional)"
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        """`candidates`: the claims the search found, None before any search."""
        super().__init__(*args, **kwargs)
        if candidates is None:
            blank = "Search for the other claim first"
        else:
            blank = "Choose a claim…" if candidates else "No other claim matches the search"
        choices = [("", blank)] + [(c.pk, c.statement[:120]) for c in candidates or ()]
        self.fields["to_claim"].widget.choices = choices

    def ends(self, this: int) -> tuple[int, int, str]:
        """(from_claim id, to_claim id, type) for the open claim `this` (the service then
        stores symmetric types in canonical order)."""
        other, kind = self.cleaned_data["to_claim"], self.cleaned_data["type"]
        if kind == HAS_PART:
            return other, this, "part_of"
        return this, other, kind


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field-keyed errors beside the form's fields (others above it)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        if field in form.fields and not isinstance(form.fields[field].widget, forms.HiddenInput):
            form.add_error(field, messages)
        else:
            form.add_error(None, [f"{field.replace('_', ' ').capitalize()}: {m}" for m in messages])
