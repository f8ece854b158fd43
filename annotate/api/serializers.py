"""Shapes of the API's JSON. Read serializers describe what a client gets; write
serializers only check types and required fields: the rules (the quote check, ownership,
verdicts) are the services' business, so the views hand validated data to them.

Every object carries its stable `id`, an absolute `url` and its `version` (the ETag value
to send back in If-Match). Timestamps are ISO 8601 in UTC. A source's or article's own web
address is `link`, since `url` is the object's address in this API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotate import access
from annotate.api.claim_json import address_maker, relation_ref, summary_dict
from annotate.claim_rows import RELATION_FIELDS
from annotate.disagreement import ConfidenceSummary
from annotate.judgements import confidence_label
from annotate.models import (
    AnalyticConfidence,
    AnchorStatus,
    Citation,
    Claim,
    ClaimKind,
    ClaimRelation,
    ConfidenceNote,
    Credibility,
    Likelihood,
    RelationType,
    Reliability,
    Source,
    Span,
    Stance,
    Verdict,
)
from annotate.reanchoring.placements import placement_of
from annotate.versioning import SEEN, version_of
from articles.models import Article, Paragraph, Revision


@extend_schema_field({"type": "string", "description": "The object's ETag value, for If-Match."})
class VersionField(serializers.ReadOnlyField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)

    def to_representation(self, value: Any) -> str:
        return version_of(value)


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice that may be unset: stored as "", shown as null."""

    def to_representation(self, value: Any) -> Any:
        return value or None


class BlankAsNullURLField(serializers.URLField):
    """An address that may be unset: stored as "", shown as null (not an invalid URI)."""

    def to_representation(self, value: Any) -> Any:
        return value or None


class IdentityField(serializers.HyperlinkedIdentityField):
    """An object's absolute API address by id, reversed once per request rather than once
    per object: reversing 600 addresses was a fifth of a 100-claim page with its notes."""

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> Any:
        if getattr(obj, "pk", None) is None:
            return None
        if getattr(self, "_address_request", None) is not request:
            self._address = address_maker(request, view_name)
            self._address_request = request
        return self._address(obj.pk)


# A request body. A field it does not write is refused with a 400 naming it, never
# ignored: a script must not believe it wrote what it did not. A field of the object's
# read shape (`shown_as`) is read-only; one changed through another endpoint says which
# (`elsewhere`); any other is unknown. Nothing else is checked until the body names only
# fields this endpoint writes. (A comment, not a docstring: subclasses would inherit it as
# their description in the OpenAPI schema, which says this with additionalProperties.)
class WriteSerializer(serializers.Serializer):
    shown_as: ClassVar[type[serializers.Serializer] | None] = None
    elsewhere: ClassVar[dict[str, str]] = {}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):  # anything else is DRF's "expected a dictionary"
            writable = [name for name, field in self.fields.items() if not field.read_only]
            refused = {
                name: [self._refusal(name, writable)] for name in data if name not in writable
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def _refusal(self, name: str, writable: list[str]) -> str:
        if name in self.elsewhere:
            return self.elsewhere[name]
        if self.shown_as is not None and name in self.shown_as().fields:
            return "Read-only: the server sets it."
        return f"Unknown field; this endpoint writes {', '.join(writable) or 'nothing'}."


class NoBodySerializer(WriteSerializer):
    """For an action that takes no body (a restore): any field in one is refused."""


def refuse_any_body(data: Any) -> None:
    NoBodySerializer(data=data).is_valid(raise_exception=True)


VERDICT_ENDPOINT = "Set through POST /api/v1/claims/{id}/verdict/ (leads only)."
CLAIM_ENDPOINT = "Changed through PATCH /api/v1/claims/{id}/."
CLAIM_TEXT = (
    "A claim keeps its text: delete it and state it again on other text (a lead re-attaches "
    "an orphaned claim in the workspace)."
)
NOTE_ENDPOINT = "Recorded through POST /api/v1/confidence-notes/ (your own note)."
CITATION_ENDPOINT = (
    "Added through POST /api/v1/citations/, changed through PATCH /api/v1/citations/{id}/."
)
OWN_NOTE = "Always you: a note is its reviewer's own."


def _username(source: str) -> serializers.CharField:
    return serializers.CharField(source=f"{source}.username", read_only=True)


# Articles ---------------------------------------------------------------------------


class ParagraphSerializer(serializers.ModelSerializer):
    class Meta:
        model = Paragraph
        fields = ["id", "position", "text"]


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Revision
        fields = ["number", "imported_at", "note", "checksum"]


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-article-detail", lookup_field="slug")
    link = serializers.URLField(source="url", read_only=True, allow_blank=True)
    revision = serializers.IntegerField(
        source="current_revision", read_only=True, allow_null=True, help_text="Current revision."
    )
    workspace_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id", "url", "slug", "title", "standfirst", "publisher", "link", "published_on",
            "language", "revision", "workspace_url", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_workspace_url(self, article: Article) -> str:
        return self.context["request"].build_absolute_uri(article.get_absolute_url())


class ArticleDetailSerializer(ArticleSerializer):
    """An article with the paragraphs of one revision (the current one unless ?revision=N)."""

    revision = RevisionSerializer(source="selected_revision", read_only=True)
    revisions = serializers.ListField(
        child=serializers.IntegerField(), source="revision_numbers", read_only=True
    )
    paragraphs = ParagraphSerializer(source="selected_paragraphs", many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "revisions", "paragraphs"]


# Spans ------------------------------------------------------------------------------

# A new span's paragraph, read with its revision and article: the service checks that the
# revision is the current one, the changes feed files the span under its article, and the
# claim made on it is answered (its `article`, independent review) without asking again.
PARAGRAPHS = Paragraph.objects.select_related("revision__article")


class SpanSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="api-span-detail")
    article = serializers.CharField(source="paragraph.revision.article.slug", read_only=True)
    revision = serializers.IntegerField(source="paragraph.revision.number", read_only=True)
    paragraph_position = serializers.IntegerField(source="paragraph.position", read_only=True)
    created_by = _username("created_by")
    version = VersionField()

    class Meta:
        model = Span
        fields = [
            "id", "url", "article", "revision", "paragraph", "paragraph_position", "start",
            "end", "quote", "prefix", "suffix", "created_by", "created_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class SpanCreateSerializer(WriteSerializer):
    paragraph = serializers.PrimaryKeyRelatedField(queryset=PARAGRAPHS)
    start = serializers.IntegerField(min_value=0, help_text="Code points into the paragraph.")
    end = serializers.IntegerField(min_value=1, help_text="Code points, exclusive.")
    quote = serializers.CharField(
        trim_whitespace=False, help_text="Exactly paragraph.text[start:end]; checked."
    )

    shown_as = SpanSerializer
    elsewhere: ClassVar[dict[str, str]] = dict.fromkeys(
        ["statement", "kind", "attributed_to"],
        "A claim is stated through POST /api/v1/claims/ (with this span's id as `span`, or "
        "with the text itself).",
    )


# Sources and citations ---------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    """A shared source: recorded once, cited by any number of claims."""

    url = IdentityField(view_name="api-source-detail")
    link = serializers.URLField(
        source="url", read_only=True, help_text="Its web address, normalised."
    )
    archive_link = BlankAsNullURLField(
        source="archive_url",
        read_only=True,
        allow_null=True,
        help_text="An archived copy's web address; null for none.",
    )
    reliability_set_by = _username("reliability_set_by")
    created_by = _username("created_by")
    version = VersionField()

    class Meta:
        model = Source
        fields = [
            "id", "url", "link", "title", "publisher", "published_on", "archive_link",
            "reliability", "reliability_set_by", "reliability_set_at", "created_by",
            "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class SourceWriteSerializer(WriteSerializer):
    link = serializers.URLField(
        max_length=2000,
        help_text="The source's web address; one that normalises to a recorded source's "
        "finds that source.",
    )
    title = serializers.CharField(max_length=500)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    archive_link = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    reliability = serializers.ChoiceField(choices=Reliability.choices)

    shown_as = SourceSerializer
    elsewhere: ClassVar[dict[str, str]] = {
        "url": "Read-only: the source's address in this API; its web address is `link`.",
        "archive_url": "Its archived copy's web address is `archive_link`.",
    }

    def service_fields(self) -> dict[str, Any]:
        return source_service_fields(self.validated_data)


def source_service_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """A source's fields as the services name them (`link` is `url` there)."""
    fields = dict(data)
    for api_name, name in (("link", "url"), ("archive_link", "archive_url")):
        if api_name in fields:
            fields[name] = fields.pop(api_name)
    return fields


class CitationSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="api-citation-detail")
    source = SourceSerializer(read_only=True)
    added_by = _username("added_by")
    version = VersionField()

    class Meta:
        model = Citation
        fields = [
            "id", "url", "claim", "source", "stance", "excerpt", "credibility", "added_by",
            "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class CitationWriteSerializer(WriteSerializer):
    stance = serializers.ChoiceField(choices=Stance.choices)
    excerpt = serializers.CharField(required=False, allow_blank=True)
    credibility = serializers.ChoiceField(
        choices=Credibility.choices, help_text="Admiralty information credibility, 1–6."
    )

    shown_as = CitationSerializer
    elsewhere: ClassVar[dict[str, str]] = {
        "claim": "A citation stays on its claim: cite the source on the other claim through "
        "POST /api/v1/citations/ and delete this one.",
        "source": "A citation keeps its source: cite the other source through POST "
        "/api/v1/citations/ and delete this one. A source's own fields change through "
        "PATCH /api/v1/sources/{id}/.",
    }

    def service_fields(self) -> dict[str, Any]:
        return dict(self.validated_data)


class CitationCreateSerializer(CitationWriteSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(),
        required=False,
        help_text="A recorded source's id; or give `new_source` instead.",
    )
    new_source = SourceWriteSerializer(
        required=False,
        help_text="A source not recorded yet (its `link` may normalise to a recorded source's: "
        "then that source is cited, and these fields are not applied).",
    )
    elsewhere: ClassVar[dict[str, str]] = {}

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("source" in data) == ("new_source" in data):
            raise serializers.ValidationError(
                {"source": ["Give either `source` (a recorded source's id) or `new_source`."]}
            )
        return data

    def service_fields(self) -> dict[str, Any]:
        fields = dict(self.validated_data)
        fields.pop("claim")
        if "new_source" in fields:
            fields["new_source"] = source_service_fields(fields["new_source"])
        return fields


# Confidence notes -------------------------------------------------------------------


class ConfidenceNoteSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="api-confidencenote-detail")
    reviewer = _username("reviewer")
    likelihood = serializers.ChoiceField(choices=Likelihood.choices, read_only=True)
    # A method field: a `source` naming a method makes DRF inspect its signature per note.
    likelihood_label = serializers.SerializerMethodField()
    analytic_confidence = serializers.ChoiceField(
        choices=AnalyticConfidence.choices,
        allow_null=True,
        read_only=True,
        help_text="null: the note was recorded before analytic confidence was (not recorded).",
    )
    analytic_confidence_label = serializers.SerializerMethodField()
    version = VersionField()

    class Meta:
        model = ConfidenceNote
        fields = [
            "id", "url", "claim", "reviewer", "likelihood", "likelihood_label",
            "analytic_confidence", "analytic_confidence_label", "rationale", "created_at",
            "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_likelihood_label(self, note: ConfidenceNote) -> str:
        return note.get_likelihood_display()

    def get_analytic_confidence_label(self, note: ConfidenceNote) -> str:
        return confidence_label(note.analytic_confidence)


class ConfidenceNoteWriteSerializer(WriteSerializer):
    likelihood = serializers.ChoiceField(
        choices=Likelihood.choices,
        help_text="ICD 203 scale: 1 almost no chance … 7 almost certain.",
    )
    analytic_confidence = serializers.ChoiceField(
        choices=AnalyticConfidence.choices,
        help_text="ICD 203 analytic confidence: how good the evidence and reasoning are. "
        "Required on every note, and on every revision of one recorded without it.",
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")

    shown_as = ConfidenceNoteSerializer
    elsewhere: ClassVar[dict[str, str]] = {
        "claim": "A note stays on its claim: record one on the other claim through POST "
        "/api/v1/confidence-notes/.",
        "reviewer": OWN_NOTE,
        "likelihood_label": "Read-only: follows from `likelihood`.",
        "analytic_confidence_label": "Read-only: follows from `analytic_confidence`.",
    }


class ConfidenceNoteCreateSerializer(ConfidenceNoteWriteSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())


# Claims -----------------------------------------------------------------------------


class ClaimSpanSerializer(serializers.ModelSerializer):
    """The span as embedded in its claim."""

    url = IdentityField(view_name="api-span-detail")
    paragraph_position = serializers.IntegerField(source="paragraph.position", read_only=True)

    class Meta:
        model = Span
        fields = [
            "id", "url", "paragraph", "paragraph_position", "start", "end", "quote", "prefix",
            "suffix",
        ]  # fmt: skip
        read_only_fields = fields


class ConfidenceSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    lowest = serializers.IntegerField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    highest = serializers.IntegerField(allow_null=True)
    disputed = serializers.BooleanField()


class PlacementSerializer(serializers.Serializer):
    """Where the claim's span is in a revision: `made_here` for the revision it was made on,
    else how re-anchoring placed it (kept, moved, fuzzy, ambiguous, reattached) or
    `orphaned` (no place: paragraph, offsets and quote are null)."""

    revision = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["made_here", *AnchorStatus.values])
    needs_review = serializers.BooleanField(
        help_text="A lead should check it: fuzzy, ambiguous, carried over or orphaned."
    )
    paragraph = serializers.IntegerField(allow_null=True)
    paragraph_position = serializers.IntegerField(allow_null=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    quote = serializers.CharField(allow_null=True)


class RelationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    type = serializers.ChoiceField(choices=RelationType.choices)
    from_claim = serializers.IntegerField(help_text="For `part_of`: the part.")
    to_claim = serializers.IntegerField(help_text="For `part_of`: the whole.")
    rationale = serializers.CharField(allow_blank=True)


class ClaimSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="api-claim-detail")
    article = serializers.CharField(source="span.paragraph.revision.article.slug", read_only=True)
    revision = serializers.IntegerField(source="span.paragraph.revision.number", read_only=True)
    span = ClaimSpanSerializer(read_only=True)
    verdict = BlankAsNullChoiceField(choices=Verdict.choices, allow_null=True, read_only=True)
    verdict_by = serializers.CharField(
        source="verdict_by.username", read_only=True, allow_null=True, default=None
    )
    created_by = _username("created_by")
    citations = CitationSerializer(many=True, read_only=True)
    confidence = serializers.SerializerMethodField(
        help_text="A summary of the reviewers' notes; null for a reviewer who has not "
        "recorded their own note on the claim while the article is under independent review."
    )
    notes = serializers.SerializerMethodField(
        help_text="The confidence notes themselves, with ?expand=notes; otherwise null."
    )
    placement = serializers.SerializerMethodField(
        help_text="Where the span is in the article's current revision, or in revision "
        "`placement_revision`; null when that revision does not exist or predates the span."
    )
    relations = serializers.SerializerMethodField(
        help_text="Its links to other claims of the article, either way (this claim is "
        "`from_claim` or `to_claim`): see /api/v1/relations/."
    )
    # As the user sees the claim: a note hidden from them is no change (annotate.versioning).
    updated_at = serializers.DateTimeField(source=SEEN, read_only=True)
    version = VersionField()
    _notes_serializer: ConfidenceNoteSerializer | None = None
    _relation_url: Any = None

    class Meta:
        model = Claim
        fields = [
            "id", "url", "article", "revision", "span", "statement", "kind", "attributed_to",
            "verdict", "verdict_rationale", "verdict_by", "verdict_at", "created_by",
            "imported_creator", "created_at", "updated_at", "version", "placement", "citations",
            "confidence", "notes", "relations",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(RelationRefSerializer(many=True))
    def get_relations(self, claim: Claim) -> list[dict[str, Any]]:
        if self._relation_url is None:
            self._relation_url = address_maker(self.context.get("request"), "api-relation-detail")
        links = sorted([*claim.relations_from.all(), *claim.relations_to.all()], key=lambda r: r.pk)
        return [
            relation_ref({n: getattr(link, n) for n in RELATION_FIELDS}, self._relation_url)
            for link in links
        ]

    @extend_schema_field(PlacementSerializer(allow_null=True))
    def get_placement(self, claim: Claim) -> dict[str, Any] | None:
        return placement_of(claim) if hasattr(claim, "target_revision") else None

    @extend_schema_field(ConfidenceSummarySerializer(allow_null=True))
    def get_confidence(self, claim: Claim) -> dict[str, Any] | None:
        notes = list(claim.notes.all())
        if not access.sees_notes_of(self.context["request"].user, claim, notes):
            return None  # independent review: not before the user's own note
        return summary_dict(ConfidenceSummary.of(note.likelihood for note in notes))

    @extend_schema_field(ConfidenceNoteSerializer(many=True, allow_null=True))
    def get_notes(self, claim: Claim) -> list[dict[str, Any]] | None:
        if not self.context.get("expand_notes"):
            return None
        # One note serializer for the whole list: building a ModelSerializer's fields costs
        # about a millisecond, once per claim was half of a 100-claim page's time.
        if self._notes_serializer is None:
            self._notes_serializer = ConfidenceNoteSerializer(context=self.context)
        return [self._notes_serializer.to_representation(note) for note in claim.notes.all()]


class ClaimWriteSerializer(WriteSerializer):
    statement = serializers.CharField(help_text="What the span claims, in your words.")
    kind = serializers.ChoiceField(choices=ClaimKind.choices, default=ClaimKind.FACTUAL)
    attributed_to = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )

    shown_as = ClaimSerializer
    elsewhere: ClassVar[dict[str, str]] = {
        "verdict": VERDICT_ENDPOINT,
        "verdict_rationale": VERDICT_ENDPOINT.replace("Set", "Set as `rationale`"),
        "citations": CITATION_ENDPOINT,
        "confidence": NOTE_ENDPOINT,
        "notes": NOTE_ENDPOINT,
        **dict.fromkeys(["span", "paragraph", "start", "end", "quote"], CLAIM_TEXT),
    }


class ClaimUpdateSerializer(ClaimWriteSerializer):
    kind = serializers.ChoiceField(choices=ClaimKind.choices)


class ClaimCreateSerializer(ClaimWriteSerializer):
    """A claim on an existing span (`span`), or on new text in the same request
    (`paragraph`, `start`, `end`, `quote`: the span is created in the same transaction)."""

    span = serializers.PrimaryKeyRelatedField(queryset=Span.objects.all(), required=False)
    paragraph = serializers.PrimaryKeyRelatedField(queryset=PARAGRAPHS, required=False)
    start = serializers.IntegerField(min_value=0, required=False)
    end = serializers.IntegerField(min_value=1, required=False)
    quote = serializers.CharField(trim_whitespace=False, required=False)

    SPAN_FIELDS = ("paragraph", "start", "end", "quote")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in self.SPAN_FIELDS if name in attrs]
        if "span" in attrs:
            if given:
                raise serializers.ValidationError(
                    dict.fromkeys(given, "Give either span or new text, not both.")
                )
        elif len(given) != len(self.SPAN_FIELDS):
            missing = [name for name in self.SPAN_FIELDS if name not in attrs]
            raise serializers.ValidationError(
                dict.fromkeys(missing, "Required unless span is given.")
            )
        return attrs


class VerdictSerializer(WriteSerializer):
    verdict = serializers.ChoiceField(
        choices=Verdict.choices, allow_blank=True, help_text="Blank withdraws the verdict."
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")

    shown_as = ClaimSerializer
    elsewhere: ClassVar[dict[str, str]] = {
        **dict.fromkeys(["statement", "kind", "attributed_to"], CLAIM_ENDPOINT),
        "verdict_rationale": "Send it as `rationale` here.",
    }


# Relations between claims -------------------------------------------------------------

RELATION_ORDER = (
    "`contradicts`, `corroborates` and `same_as` read the same both ways and are stored once, "
    "the lower claim id as `from_claim`; `part_of` reads `from_claim` is part of `to_claim`."
)


class RelationSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="api-relation-detail")
    article = serializers.CharField(
        source="from_claim.span.paragraph.revision.article.slug", read_only=True
    )
    created_by = _username("created_by")
    version = VersionField()

    class Meta:
        model = ClaimRelation
        fields = [
            "id", "url", "article", "from_claim", "to_claim", "type", "rationale",
            "created_by", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class RelationWriteSerializer(WriteSerializer):
    rationale = serializers.CharField(required=False, allow_blank=True, default="")

    shown_as = RelationSerializer
    elsewhere: ClassVar[dict[str, str]] = dict.fromkeys(
        ["from_claim", "to_claim", "type"],
        "A link keeps its claims and type: delete it and make another.",
    )


class RelationCreateSerializer(RelationWriteSerializer):
    from_claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    to_claim = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), help_text="A claim of the same article."
    )
    type = serializers.ChoiceField(choices=RelationType.choices, help_text=RELATION_ORDER)

    elsewhere: ClassVar[dict[str, str]] = {}


# Agreement ----------------------------------------------------------------------------


class AlphaSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True,
        help_text="Krippendorff's alpha; null when undefined (no pairable judgements, or "
        "no variation among them).",
    )
    pairable = serializers.IntegerField(
        help_text="Notes on claims that at least two reviewers judged."
    )


class JudgementAgreementSerializer(serializers.Serializer):
    field = serializers.CharField(
        source="judgement.field",
        help_text="The field judged: of a confidence note (likelihood, analytic_confidence), or "
        "of a citation (stance, credibility: compared where reviewers cite the same source "
        "for the same claim).",
    )
    label = serializers.CharField(source="judgement.label")
    metric = serializers.CharField(
        source="judgement.metric", help_text="Its level of measurement, which alpha uses."
    )
    value = serializers.FloatField(
        source="alpha.value",
        allow_null=True,
        help_text="Krippendorff's alpha; null when undefined.",
    )
    pairable = serializers.IntegerField(
        source="alpha.pairable",
        help_text="Judgements of this field on claims that at least two reviewers judged.",
    )


class ReviewerCountSerializer(serializers.Serializer):
    reviewer = serializers.CharField(source="username")
    notes = serializers.IntegerField()


class ClaimAgreementSerializer(serializers.Serializer):
    claim = serializers.IntegerField(source="claim.pk")
    url = serializers.SerializerMethodField()
    statement = serializers.CharField(source="claim.statement")
    revision = serializers.IntegerField(source="claim.span.paragraph.revision.number")
    confidence = ConfidenceSummarySerializer(source="summary")
    spread = serializers.IntegerField(help_text="Steps of the scale the notes cover.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, row: Any) -> str:
        path = reverse("api-claim-detail", kwargs={"pk": row.claim.pk})
        return self.context["request"].build_absolute_uri(path)


class AgreementSerializer(serializers.Serializer):
    """How far the reviewers' confidence notes on an article agree."""

    article = serializers.CharField(source="article_slug")
    ordinal = AlphaSerializer(help_text="The figure to read: the likelihood scale is ordered.")
    nominal = AlphaSerializer()
    interval = AlphaSerializer()
    pairable = serializers.IntegerField()
    judgements = JudgementAgreementSerializer(
        many=True,
        help_text="Alpha per judgement reviewers make independently, each under its own "
        "level of measurement: likelihood, analytic confidence.",
    )
    reviewers = ReviewerCountSerializer(many=True, help_text="Most notes first.")
    claims = ClaimAgreementSerializer(many=True, help_text="Most disputed first.")
