"""GET /api/v1/articles/: reports and the paragraphs of their revisions (read-only: the
text comes from imports, not from the API)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annotate import selectors
from annotate.api import serializers as s
from annotate.api.conditional import ConditionalMixin
from annotate.api.pagination import SlugCursorPagination
from articles.models import Revision

REVISION = OpenApiParameter(
    "revision", OpenApiTypes.INT, description="Revision number; the current one by default."
)


def positive_int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 2**31:
        raise ValidationError({name: ["Must be a positive whole number."]})
    return int(raw)


@extend_schema_view(
    list=extend_schema(summary="List articles"),
    retrieve=extend_schema(
        summary="An article with the paragraphs of one revision", parameters=[REVISION]
    ),
)
class ArticleViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Reports and their text. Paragraph offsets are code points (see the API description)."""

    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = SlugCursorPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet:
        return selectors.api_articles()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return s.ArticleDetailSerializer if self.action == "retrieve" else s.ArticleSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self.get_object()
        number = positive_int_param(request, "revision") or article.current_revision
        revision = get_object_or_404(Revision, article=article, number=number)
        article.selected_revision = revision
        article.selected_paragraphs = revision.paragraphs.order_by("position")
        article.revision_numbers = list(
            article.revisions.order_by("number").values_list("number", flat=True)
        )
        return Response(self.get_serializer(article).data)
