"""GET /api/v1/articles/{slug}/export/{format}/: an article's claims as a streamed file.

Errors before the stream starts (401, 403, 404, a bad ?revision) are JSON like every
other API error, whatever the export's own media type.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate import selectors
from annotate.api.article_views import positive_int_param
from annotate.api.exports import FORMATS, ExportContext, ExportFormat
from annotate.datasets.package import DATAPACKAGE
from annotate.models import Claim
from articles.models import Article

EXPORT_REVISION = OpenApiParameter(
    "revision",
    OpenApiTypes.INT,
    description="Only claims anchored in this revision; by default every claim of the "
    "article, each positioned in its own revision's text.",
)


class _PassthroughRenderer(BaseRenderer):
    """Lets content negotiation accept the export's media type; the body is streamed."""

    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        return data


class ExportView(APIView):
    export: ExportFormat

    def get_queryset(self) -> QuerySet[Claim]:
        return Claim.objects.all()  # for MayRead: exports need permission to view claims

    def get_renderers(self) -> list[BaseRenderer]:
        renderer = _PassthroughRenderer()
        renderer.media_type = self.export.media_type.split(";")[0]
        renderer.format = self.export.name
        return [renderer, JSONRenderer()]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any):
        if isinstance(response, Response):  # an error: always JSON
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        article = get_object_or_404(Article, slug=slug)
        revision = positive_int_param(request, "revision")
        if revision is not None:
            get_object_or_404(article.revisions.all(), number=revision)
        claims = selectors.claims_of_article(article, request.user, revision=revision)
        ctx = ExportContext(request=request, article=article)
        response = StreamingHttpResponse(
            self.export.produce(claims, ctx), content_type=self.export.media_type
        )
        suffix = f"-r{revision}" if revision else ""
        name = "" if self.export.name == self.export.extension else f"-{self.export.name}"
        filename = f"{article.slug}{suffix}{name}.{self.export.extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _export_view(
    name: str, summary: str, description: str, schema: Any, export: ExportFormat | None = None
) -> type[ExportView]:
    export = export or FORMATS[name]
    media_type = export.media_type.split(";")[0]

    # A function of its own per format: extend_schema annotates the function it wraps.
    def get(self: ExportView, request: Request, slug: str) -> StreamingHttpResponse:
        return ExportView.get(self, request, slug)

    decorated = extend_schema(
        summary=summary,
        description=description,
        parameters=[EXPORT_REVISION],
        responses={(200, media_type): OpenApiResponse(schema, description=summary)},
        tags=["exports"],
        operation_id=f"articles_export_{name}",
    )(get)
    return type(f"{name.title()}ExportView", (ExportView,), {"export": export, "get": decorated})


W3CExportView = _export_view(
    "w3c",
    "W3C Web Annotation collection (JSON-LD)",
    "An AnnotationCollection whose first AnnotationPage holds every claim. Each claim is "
    "an Annotation (motivation `assessing`) with its statement, kind, verdict, citations "
    "(SpecificResource bodies with purpose `linking`, whose source is the cited document, "
    "with stance, excerpt, reliability and credibility) and confidence notes as bodies. "
    "Its target's source is the "
    "article's own address (or its API address when it has none), its state the API "
    "address of the claim's revision; a TextQuoteSelector gives the quote with its context "
    "and a TextPositionSelector its place: Unicode code points into the revision's "
    'canonical text (paragraphs joined by "\\n\\n"), half-open.',
    OpenApiTypes.OBJECT,
)
ClaimReviewExportView = _export_view(
    "claimreview",
    "schema.org ClaimReview (JSON-LD) of adjudicated claims",
    "A JSON-LD @graph of ClaimReview objects, one per claim with a verdict, authored by "
    "the organisation running this workspace. reviewRating runs from 5 (best) to 1 "
    "(worst): supported 5, mostly_supported 4, mixed 3, mostly_unsupported 2, "
    "unsupported 1. An unverifiable claim is not a point on that scale: its rating has "
    "alternateName `Unverifiable` and no ratingValue. itemReviewed.appearance is the "
    "article, and the sources cited as supporting the claim; every cited source is a "
    "`citation` of the review.",
    OpenApiTypes.OBJECT,
)
CsvExportView = _export_view(
    "csv",
    "One CSV row per claim",
    "Quote, statement, verdict, citation counts by stance, the confidence summary and "
    "`citations`: every citation with its source's fields, as JSON in one cell; "
    "`text_start`/`text_end` are positions in the canonical text as in the W3C export. "
    "Cells that a spreadsheet would run as a formula (starting with = + - @) are prefixed "
    "with a single quote.",
    OpenApiTypes.STR,
)
JsonLinesExportView = _export_view(
    "jsonl",
    "One JSON claim per line",
    "Each line is the claim as GET /api/v1/claims/{id}/?expand=notes shows it, plus "
    "`text_start`/`text_end` in the canonical text.",
    OpenApiTypes.STR,
)
DataPackageExportView = _export_view(
    "datapackage",
    "Frictionless data package (zip of CSV files)",
    "A zip holding `datapackage.json` (a Frictionless tabular data package: each file's "
    "Table Schema with types, primary and foreign keys and the allowed values) and one CSV "
    "per kind of object: `articles`, `revisions`, `paragraphs`, `spans`, `span_anchors` "
    "(placements in later revisions), `claims` (with verdicts), `sources`, `citations`, "
    "`notes` (the confidence notes you may see) and `relations` (links between exported "
    "claims), every field of each. Cells hold exact values (no spreadsheet formula guard); "
    "an empty cell is no value. Join the files by id.",
    OpenApiTypes.BINARY,
    export=DATAPACKAGE,
)
