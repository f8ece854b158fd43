"""The data API's resources. Views stay thin: selectors read, services write (the same
functions the workspace calls), permissions.py says who may, errors.py shapes failures,
conditional.py handles ETags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annotate import claim_rows, history, relations, restore, selectors, services
from annotate.api import history_serializers as hs
from annotate.api import serializers as s
from annotate.api.article_views import positive_int_param
from annotate.api.claim_json import ClaimJson
from annotate.api.concurrency import retrying
from annotate.api.conditional import ConditionalMixin, etag_of, expected_version
from annotate.api.filters import (
    CitationFilter,
    ClaimFilter,
    ConfidenceNoteFilter,
    RelationFilter,
    SourceFilter,
    SpanFilter,
)
from annotate.api.permissions import IsLead, MayAddOrIsAuthorOrLead, MayRead
from annotate.api.renderers import ORJSONRenderer
from annotate.models import Citation, Claim, ClaimRelation, ConfidenceNote, Source
from annotate.reanchoring.placements import with_placement
from annotate.sources import normalise_url
from annotate.versioning import SEEN

T = TypeVar("T")

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag (version) you last read, quotes included, or several separated "
    "by commas (any one may match; a weak `W/` tag never does); a changed object answers 412 "
    "instead of being overwritten, a malformed header 400.",
)
EXPAND = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    enum=["notes"],
    description="`notes` embeds each claim's confidence notes.",
)


class AnnotationViewSet(ConditionalMixin, viewsets.ModelViewSet):
    """Shared plumbing: reads through a selector, writes through a service, the answer is
    the object as re-read (with its new ETag)."""

    lookup_value_regex = r"[0-9]+"
    permission_classes = [MayRead, MayAddOrIsAuthorOrLead]
    ordering_fields = ["id", "created_at"]

    def _input(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> Any:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    def _answer(self, obj: Model, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        response = Response(self.get_serializer(fresh).data, status=status_code)
        response["ETag"] = etag_of(fresh)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        response = Response(self.get_serializer(obj).data)
        response["ETag"] = etag_of(obj)
        return response

    # Each viewset names the service that deletes its object and the service's keyword
    # for it (services.claim_delete(claim=…)): If-Match is checked there, under the lock.
    delete_service: Callable[..., None]
    delete_keyword: str

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        retrying(type(self).delete_service)(
            **{self.delete_keyword: self.get_object()},
            user=request.user,
            expected_version=expected_version(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="List spans"),
    retrieve=extend_schema(summary="A span"),
    create=extend_schema(
        summary="Select text (a span)",
        request=s.SpanCreateSerializer,
        responses={201: s.SpanSerializer},
    ),
    destroy=extend_schema(summary="Delete a span without claims", parameters=[IF_MATCH]),
)
class SpanViewSet(AnnotationViewSet):
    """Selected text of a paragraph. A span never changes: delete it and select again."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    serializer_class = s.SpanSerializer
    filterset_class = SpanFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_spans()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input(s.SpanCreateSerializer).validated_data
        span = retrying(services.span_create)(user=request.user, **data)
        return self._answer(span, status.HTTP_201_CREATED)

    delete_service = services.span_delete
    delete_keyword = "span"


PLACEMENT_REVISION = OpenApiParameter(
    "placement_revision",
    OpenApiTypes.INT,
    description="Give each claim's `placement` in this revision of its article instead of "
    "the current one. (`revision` filters by the revision a claim was made on.)",
)


@extend_schema_view(
    list=extend_schema(summary="List claims", parameters=[EXPAND, PLACEMENT_REVISION]),
    retrieve=extend_schema(summary="A claim", parameters=[EXPAND, PLACEMENT_REVISION]),
    create=extend_schema(
        summary="State a claim, on an existing span or on new text",
        request=s.ClaimCreateSerializer,
        responses={201: s.ClaimSerializer},
    ),
    update=extend_schema(
        summary="Rewrite a claim", request=s.ClaimUpdateSerializer, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        summary="Edit a claim", request=s.ClaimUpdateSerializer, parameters=[IF_MATCH]
    ),
    destroy=extend_schema(
        summary="Delete a claim (with its citations, notes, and its span if unused)",
        parameters=[IF_MATCH],
    ),
)
class ClaimViewSet(AnnotationViewSet):
    """What a span of the report claims, with its citations (of shared sources) and a
    summary of the reviewers' confidence. A claim's version (ETag) also moves when its
    citations, the sources they cite, or its notes change."""

    serializer_class = s.ClaimSerializer
    queryset = Claim.objects.none()  # the model, for permissions.py (reads: get_queryset)
    filterset_class = ClaimFilter
    renderer_classes = [ORJSONRenderer]
    ordering_fields = ["id", "created_at", "updated_at"]

    def _expand_notes(self) -> bool:
        raw = self.request.query_params.get("expand", "") if self.request else ""
        wanted = {part.strip() for part in raw.split(",") if part.strip()}
        if wanted - {"notes"}:
            raise ValidationError({"expand": ["The only expansion is `notes`."]})
        return "notes" in wanted

    def _placement_revision(self) -> int | None:
        return positive_int_param(self.request, "placement_revision") if self.request else None

    def get_queryset(self) -> QuerySet:
        if self.action in ("history", "list"):
            return Claim.objects.all()  # history reads ids only; list reads rows (below)
        claims = selectors.api_claims(self.request.user, with_note_reviewers=self._expand_notes())
        return with_placement(claims, revision=self._placement_revision())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Rows rather than models and serializers (annotate.claim_rows): the same JSON as
        # retrieve gives for each claim, in a fraction of the time; the database writes
        # each claim's citations, notes and relations (ClaimJson.nested). (No docstring:
        # it would become the operation's description in the schema.)
        expand_notes, revision = self._expand_notes(), self._placement_revision()
        claims = self.filter_queryset(self.get_queryset())
        shape = ClaimJson(request, expand_notes=expand_notes)
        ordering = self.paginator.get_ordering(request, claims, self)
        rows = claim_rows.claim_values_nested(
            claims,
            request.user,
            shape.nested(),
            revision=revision,
            cursor_field=ordering[0].lstrip("-"),  # the cursor's position is read from it
        )
        page = claim_rows.load_nested(self.paginate_queryset(rows), revision=revision)
        return self.get_paginated_response([shape.claim_of_nested(row) for row in page])

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "expand_notes": self._expand_notes()}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(self._input(s.ClaimCreateSerializer).validated_data)
        if "span" in data:
            claim = retrying(services.claim_create)(user=request.user, **data)
            return self._answer(claim, status.HTTP_201_CREATED)
        claim = retrying(services.claim_create_with_span)(user=request.user, **data)
        answer = self.get_serializer(_as_just_made(claim)).data
        response = Response(answer, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_of(claim)
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        partial = kwargs.get("partial", False)
        data = self._input(s.ClaimUpdateSerializer, partial=partial).validated_data
        claim = retrying(services.claim_update)(
            claim=claim, user=request.user, expected_version=expected_version(request), **data
        )
        return self._answer(claim)

    delete_service = services.claim_delete
    delete_keyword = "claim"

    @extend_schema(
        summary="Set or withdraw a claim's verdict (leads only)",
        request=s.VerdictSerializer,
        responses={200: s.ClaimSerializer},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"], permission_classes=[MayRead, IsLead])
    def verdict(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        data = self._input(s.VerdictSerializer).validated_data
        claim = retrying(services.claim_set_verdict)(
            claim=claim,
            verdict=data["verdict"],
            rationale=data["rationale"],
            user=request.user,
            expected_version=expected_version(request),
        )
        return self._answer(claim)

    @extend_schema(
        summary="A claim's history",
        description="Every change to the claim, its span, citations, cited sources and "
        "confidence notes, newest first: when, who, which object, the action, and the "
        "changed fields with old and new values. Readable by whoever may read the claim.",
        responses=hs.HistoryEntrySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entries = history.claim_timeline(self.get_object(), request.user)
        return Response(hs.HistoryEntrySerializer(entries, many=True).data)


def _as_just_made(claim: Claim) -> Claim:
    """A claim made with its new span, ready for ClaimSerializer as get_queryset would read
    it back, from what the create holds (six queries fewer; the test of the create holds
    its answer equal to a GET of the claim): its span, paragraph, revision and article are
    the ones the create used, and it has nothing else yet: no citations, notes or links,
    no placements of its span, and its article's current revision is the one it was made
    on (the service checked so, under the lock). Without notes, every reader sees the one
    stamp, `updated_at` (annotate.versioning; `notes_updated_at` is from before it)."""
    claim._prefetched_objects_cache = {
        name: _none_read(model)
        for name, model in (
            ("citations", Citation),
            ("notes", ConfidenceNote),
            ("relations_from", ClaimRelation),
            ("relations_to", ClaimRelation),
        )
    }
    claim.span.target_anchors = []
    claim.target_revision = claim.made_on = claim.span.paragraph.revision.number
    setattr(claim, SEEN, claim.updated_at)
    return claim


def _none_read(model: type[Model]) -> QuerySet:
    """An empty prefetch, as prefetch_related leaves one: read, without a query to compile
    (`.none()` compiles one to find it is empty, a few milliseconds each)."""
    empty = model._default_manager.all()
    empty._result_cache, empty._prefetch_done = [], True
    return empty


@extend_schema_view(
    list=extend_schema(summary="List sources"),
    retrieve=extend_schema(summary="A source"),
    create=extend_schema(
        summary="Record a source (or find the one recorded at the same normalised URL)",
        request=s.SourceWriteSerializer,
        responses={201: s.SourceSerializer, 200: s.SourceSerializer},
    ),
    update=extend_schema(
        summary="Rewrite a source", request=s.SourceWriteSerializer, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        summary="Edit a source", request=s.SourceWriteSerializer, parameters=[IF_MATCH]
    ),
    destroy=extend_schema(summary="Delete a source never cited", parameters=[IF_MATCH]),
)
class SourceViewSet(AnnotationViewSet):
    """A document or outlet, recorded once for the whole Claimdesk and cited by any number
    of claims; its reliability (Admiralty A–F) is its own, with who set it. Recording a URL
    that normalises to a recorded source's answers that source (200), not a new one (201)."""

    serializer_class = s.SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["id", "created_at", "updated_at", "title"]

    def get_queryset(self) -> QuerySet:
        return selectors.api_sources()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self._input(s.SourceWriteSerializer)
        fields = serializer.service_fields()
        recorded = Source.objects.filter(url__in=_normalised_or_none(fields.get("url")))
        before = set(recorded.values_list("pk", flat=True))
        source = _in_api_names(
            lambda: retrying(services.source_create)(user=request.user, **fields)
        )
        code = status.HTTP_200_OK if source.pk in before else status.HTTP_201_CREATED
        return self._answer(source, code)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        serializer = self._input(s.SourceWriteSerializer, partial=kwargs.get("partial", False))
        source = _in_api_names(
            lambda: retrying(services.source_update)(
                source=source,
                user=request.user,
                expected_version=expected_version(request),
                **serializer.service_fields(),
            )
        )
        return self._answer(source)

    delete_service = services.source_delete
    delete_keyword = "source"


SOURCE_API_NAMES = {"url": "link", "archive_url": "archive_link"}


def _in_api_names(call: Callable[[], T], *, nested_in: str | None = None) -> T:
    """Run a write whose service names a source's model fields (`url`), answering with the
    names the request used (`link`; inside `new_source` when the source was nested)."""
    try:
        return call()
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        fields: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            api_name = SOURCE_API_NAMES.get(name, name)
            if nested_in and name in services.SOURCE_FIELDS:
                fields.setdefault(nested_in, []).extend(f"{api_name}: {m}" for m in messages)
            else:
                fields.setdefault(api_name, []).extend(messages)
        raise DjangoValidationError(fields) from error


def _normalised_or_none(url: str | None) -> list[str]:
    try:
        return [normalise_url(url)] if url else []
    except ValueError:
        return []


@extend_schema_view(
    list=extend_schema(summary="List citations"),
    retrieve=extend_schema(summary="A citation"),
    create=extend_schema(
        summary="Cite a source on a claim (a recorded one, or a new one)",
        request=s.CitationCreateSerializer,
        responses={201: s.CitationSerializer},
    ),
    update=extend_schema(
        summary="Rewrite a citation", request=s.CitationWriteSerializer, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        summary="Edit a citation", request=s.CitationWriteSerializer, parameters=[IF_MATCH]
    ),
    destroy=extend_schema(summary="Delete a citation", parameters=[IF_MATCH]),
)
class CitationViewSet(AnnotationViewSet):
    """A claim citing a source: for, against or around it, with the excerpt relied on and
    the information's Admiralty credibility (1–6)."""

    serializer_class = s.CitationSerializer
    filterset_class = CitationFilter
    ordering_fields = ["id", "created_at", "updated_at"]

    def get_queryset(self) -> QuerySet:
        return selectors.api_citations()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self._input(s.CitationCreateSerializer)
        citation = _in_api_names(
            lambda: retrying(services.citation_create)(
                claim=serializer.validated_data["claim"],
                user=request.user,
                **serializer.service_fields(),
            ),
            nested_in="new_source",
        )
        return self._answer(citation, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        citation = self.get_object()
        serializer = self._input(s.CitationWriteSerializer, partial=kwargs.get("partial", False))
        citation = retrying(services.citation_update)(
            citation=citation,
            user=request.user,
            expected_version=expected_version(request),
            **serializer.service_fields(),
        )
        return self._answer(citation)

    delete_service = services.citation_delete
    delete_keyword = "citation"

    @hs.restore_schema("citation", s.CitationSerializer)
    @action(**hs.RESTORE_ACTION)
    def restore(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        s.refuse_any_body(request.data)
        if restore.last_deletion(Citation, int(pk)) is None:
            raise NotFound("There is no deleted citation with that id.")
        return self._answer(
            retrying(restore.citation_restore)(citation_id=int(pk), user=request.user)
        )


@extend_schema_view(
    list=extend_schema(summary="List confidence notes"),
    retrieve=extend_schema(summary="A confidence note"),
    create=extend_schema(
        summary="Record your confidence in a claim (revises your note if you have one)",
        request=s.ConfidenceNoteCreateSerializer,
        responses={
            201: s.ConfidenceNoteSerializer,
            200: OpenApiResponse(s.ConfidenceNoteSerializer, "Your existing note, revised."),
        },
    ),
    update=extend_schema(
        summary="Revise your note",
        request=s.ConfidenceNoteWriteSerializer,
        parameters=[IF_MATCH],
    ),
    partial_update=extend_schema(
        summary="Revise your note",
        request=s.ConfidenceNoteWriteSerializer,
        parameters=[IF_MATCH],
    ),
    destroy=extend_schema(
        summary="Delete a note (your own; a lead may delete anyone's)", parameters=[IF_MATCH]
    ),
)
class ConfidenceNoteViewSet(AnnotationViewSet):
    """One reviewer's own judgement of how likely a claim is true (ICD 203 scale, 1–7).

    A note is its reviewer's own: only they may revise it. A lead may delete another
    reviewer's note (to remove abuse, say) but never rewrite it.
    """

    serializer_class = s.ConfidenceNoteSerializer
    filterset_class = ConfidenceNoteFilter
    ordering_fields = ["id", "created_at", "updated_at"]

    def get_queryset(self) -> QuerySet:
        return selectors.api_confidence_notes(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input(s.ConfidenceNoteCreateSerializer).validated_data
        note, created = retrying(services.confidence_note_record)(
            claim=data["claim"],
            likelihood=data["likelihood"],
            analytic_confidence=data["analytic_confidence"],
            rationale=data["rationale"],
            user=request.user,
        )
        return self._answer(note, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        note = self.get_object()
        partial = kwargs.get("partial", False)
        data = self._input(s.ConfidenceNoteWriteSerializer, partial=partial).validated_data
        note = retrying(services.confidence_note_save)(
            claim=note.claim,
            likelihood=data.get("likelihood", note.likelihood),
            # A PATCH of a note recorded before analytic confidence existed must bring one:
            # the service refuses None, keyed by the field.
            analytic_confidence=data.get("analytic_confidence", note.analytic_confidence),
            rationale=data.get("rationale", note.rationale),
            user=request.user,
            expected_version=expected_version(request),
        )
        return self._answer(note)

    delete_service = services.confidence_note_delete
    delete_keyword = "note"

    @hs.restore_schema("confidence note", s.ConfidenceNoteSerializer)
    @action(**hs.RESTORE_ACTION)
    def restore(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        s.refuse_any_body(request.data)
        if restore.last_deletion(ConfidenceNote, int(pk)) is None:
            raise NotFound("There is no deleted confidence note with that id.")
        note = retrying(restore.confidence_note_restore)(note_id=int(pk), user=request.user)
        return self._answer(note)


@extend_schema_view(
    list=extend_schema(summary="List links between claims"),
    retrieve=extend_schema(summary="A link between two claims"),
    create=extend_schema(
        summary="Link two claims of one article",
        request=s.RelationCreateSerializer,
        responses={201: s.RelationSerializer},
    ),
    update=extend_schema(
        summary="Reword a link's rationale",
        request=s.RelationWriteSerializer,
        parameters=[IF_MATCH],
    ),
    partial_update=extend_schema(
        summary="Reword a link's rationale",
        request=s.RelationWriteSerializer,
        parameters=[IF_MATCH],
    ),
    destroy=extend_schema(summary="Remove a link", parameters=[IF_MATCH]),
)
class RelationViewSet(AnnotationViewSet):
    """A typed link between two claims of one article: contradicts, corroborates, same_as
    (a duplicate worded differently) or part_of. Reviewers remove their own, leads anyone's;
    a link shows on both claims, so writing one moves both claims' versions."""

    serializer_class = s.RelationSerializer
    filterset_class = RelationFilter
    ordering_fields = ["id", "created_at", "updated_at"]

    def get_queryset(self) -> QuerySet:
        return selectors.api_relations()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input(s.RelationCreateSerializer).validated_data
        relation = retrying(relations.relation_create)(
            from_claim=data["from_claim"],
            to_claim=data["to_claim"],
            type=data["type"],
            rationale=data["rationale"],
            user=request.user,
        )
        return self._answer(relation, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        relation = self.get_object()
        data = self._input(s.RelationWriteSerializer).validated_data
        relation = retrying(relations.relation_update)(
            relation=relation,
            rationale=data["rationale"],
            user=request.user,
            expected_version=expected_version(request),
        )
        return self._answer(relation)

    delete_service = relations.relation_delete
    delete_keyword = "relation"
