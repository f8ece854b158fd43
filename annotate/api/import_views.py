"""POST /api/v1/articles/{slug}/import/: W3C Web Annotations or our JSON Lines, anchored
into the article's current revision (annotate.imports). The view reads the body within
the import's own limits, names the article, and answers with the service's report."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate import access
from annotate.api.concurrency import retrying
from annotate.api.errors import error_body
from annotate.api.permissions import MayRead
from annotate.api.renderers import ORJSONRenderer
from annotate.imports.items import ItemError
from annotate.imports.reading import JSON_LINES_TYPES, Names, TooMany, items_from
from annotate.imports.service import ImportRefused, ImportReport, annotations_import
from annotate.models import Claim
from articles.models import Article


class ImportTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class _ImportBody(BaseParser):
    """The body as text, read up to CLAIMDESK_IMPORT_MAX_BYTES (an import is larger than
    any other write, so it has its own limit instead of DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None, parser_context=None):
        limit = settings.CLAIMDESK_IMPORT_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ImportTooLarge(
                f"The import is larger than the limit of {limit:,} bytes "
                "(CLAIMDESK_IMPORT_MAX_BYTES): split it."
            )
        try:
            return (raw.decode("utf-8"), self.media_type)
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(f"Not UTF-8 text: {error.reason}.") from None


def _parser(media: str) -> type[_ImportBody]:
    return type("ImportBody", (_ImportBody,), {"media_type": media})


PARSERS = [_parser(m) for m in ("application/json", "application/ld+json", *JSON_LINES_TYPES)]


# Named in SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES: "type" is also a relation's field.
ITEM_TYPES = ["claim", "link"]
OUTCOMES = ["exact", "fuzzy", "ambiguous", "refused"]


class ImportItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's place in the file, from 0.")
    type = serializers.ChoiceField(choices=ITEM_TYPES)
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    reason = serializers.CharField(allow_null=True, help_text="Why it is refused.")
    paragraph_position = serializers.IntegerField(allow_null=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    quote = serializers.CharField(allow_null=True, help_text="The text there now.")
    score = serializers.FloatField(allow_null=True, help_text="Similarity, 0 to 100.")
    needs_review = serializers.BooleanField()
    created_by = serializers.CharField(allow_null=True, help_text="Recorded as made by.")
    imported_creator = serializers.CharField(help_text="The file's name for its creator, kept.")
    claim = serializers.IntegerField(
        allow_null=True, help_text="The claim (or link) made; null on a dry run."
    )


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    revision = serializers.IntegerField(help_text="The revision annotated: the current one.")
    exact = serializers.IntegerField()
    fuzzy = serializers.IntegerField()
    ambiguous = serializers.IntegerField()
    refused = serializers.IntegerField()
    items = ImportItemSerializer(many=True)


def report_data(report: ImportReport) -> dict[str, Any]:
    counts = {o: report.count(o) for o in OUTCOMES}
    items = [vars(item) | {"outcome": str(item.outcome)} for item in report.items]
    return {"dry_run": report.dry_run, "revision": report.revision, **counts, "items": items}


def _bool_param(request: Request, name: str) -> bool:
    raw = request.query_params.get(name, "false").lower()
    if raw not in {"true", "false", "1", "0"}:
        raise exceptions.ValidationError({name: ["Must be true or false."]})
    return raw in {"true", "1"}


IMPORT_DESCRIPTION = (
    "W3C Web Annotations (an AnnotationCollection with its first page embedded, an "
    "AnnotationPage, or a list, as Hypothesis and other annotators export them: targets "
    "with a TextQuoteSelector and/or a TextPositionSelector, code points into the "
    'canonical text, paragraphs joined by "\\n\\n") or our JSON Lines export '
    "(`application/x-ndjson`, or recognised by its shape). Each item is anchored into the "
    "current revision by the rules of re-anchoring: exact placements are accepted, fuzzy "
    "and ambiguous ones accepted and marked as needing review, others refused. Without "
    "`dry_run` it is all or nothing: if any item is refused, nothing is written and the "
    "answer is 400 naming each refused item (`items[i]`) with its reason. Authors are "
    "matched by username where the importer may record them (a lead, for any user whose "
    "role could have made it; anyone, for themselves); otherwise the importer is recorded "
    "and the claim keeps the file's name in `imported_creator`. A confidence note stands "
    "under its reviewer's name or is refused; verdicts are imported by leads only. Limits: "
    "CLAIMDESK_IMPORT_MAX_ITEMS items and CLAIMDESK_IMPORT_MAX_BYTES bytes per request "
    "(413 naming the limit)."
)


class ImportView(APIView):
    permission_classes = [MayRead]
    parser_classes = PARSERS
    renderer_classes = [ORJSONRenderer]

    def get_queryset(self):
        return Claim.objects.none()  # for MayRead's model

    def _names(self, request: Request, article: Article) -> Names:
        """The slugs and addresses by which a file names this article; `from_article`
        adds another article's, for a copy of it."""
        articles = [article]
        other = request.query_params.get("from_article")
        if other:
            found = Article.objects.filter(slug=other).first()
            if found is None:
                raise exceptions.ValidationError({"from_article": ["No article has this slug."]})
            articles.append(found)
        slugs, iris = set(), set()
        for each in articles:
            slugs.add(each.slug)
            api = request.build_absolute_uri(f"/api/v1/articles/{each.slug}/")
            iris.update({api, *([each.url] if each.url else [])})
        return Names(slugs=slugs, iris=iris)

    @extend_schema(
        summary="Import annotations (W3C Web Annotations or our JSON Lines)",
        description=IMPORT_DESCRIPTION,
        tags=["imports"],
        operation_id="articles_import",
        parameters=[
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                description="Report where each item would go; write nothing.",
            ),
            OpenApiParameter(
                "from_article",
                OpenApiTypes.STR,
                description="The slug of the article the file was exported from, when this "
                "article is a copy of that report: its slug and addresses then name this one.",
            ),
        ],
        # application/ld+json is read like application/json; the schema names one of them
        # only, since a client generator makes one model per media type and two of one
        # shape collide (openapi-python-client: "duplicate models").
        request={
            "application/json": {
                "oneOf": [
                    {"type": "object", "description": "An AnnotationCollection."},
                    {"type": "array", "items": {"type": "object"}, "description": "Annotations."},
                ]
            },
            "application/x-ndjson": {"type": "string", "format": "binary"},
        },
        responses={
            200: OpenApiResponse(ImportReportSerializer, description="The dry run's report."),
            201: OpenApiResponse(ImportReportSerializer, description="Imported: the report."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        article = get_object_or_404(Article, slug=slug)
        if not access.can_add(request.user, Claim):  # before reading a body it may not send
            raise exceptions.PermissionDenied("Your role may not import annotations.")
        dry_run = _bool_param(request, "dry_run")
        names = self._names(request, article)
        if not isinstance(request.data, tuple):
            raise exceptions.ParseError("Send the annotations as the request body.")
        body, media_type = request.data
        try:
            items = items_from(body, media_type, names)
        except TooMany as error:
            raise ImportTooLarge(str(error)) from None
        except ItemError as error:
            raise exceptions.ValidationError({f"items[{error.index}]": [error.message]}) from None
        try:
            report = retrying(annotations_import)(
                article=article, items=items, user=request.user, dry_run=dry_run
            )
        except ImportRefused as refused:
            fields: dict[str, list[str]] = {}
            for item in refused.report.refused:  # a JSON Lines claim and its link share one
                fields.setdefault(f"items[{item.index}]", []).append(item.reason or "")
            count = len(refused.report.refused)
            detail = f"{count} items cannot be imported; nothing was written."
            body = error_body(400, "invalid", detail, fields)
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        answer = status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        return Response(report_data(report), status=answer)
