"""GET /api/v1/articles/: reports and the paragraphs of their revisions (read-only: the
text comes from imports, not from the API)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annotate import history, restore, selectors
from annotate.api import history_serializers as hs
from annotate.api import serializers as s
from annotate.api.concurrency import retrying
from annotate.api.conditional import ConditionalMixin, etag_of
from annotate.api.pagination import SlugCursorPagination
from annotate.api.permissions import MayRead
from annotate.reanchoring.placements import with_placement
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

    @extend_schema(
        summary="Claims deleted from the article (leads only)",
        description="The article's claims that are deleted and not restored, newest first "
        "(at most 50). Restore one with POST …/deleted-claims/{claim_id}/restore/.",
        responses=hs.DeletedClaimSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="deleted-claims",
        permission_classes=[MayRead, hs.IsLeadToRestore],
        pagination_class=None,
    )
    def deleted_claims(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        deleted = history.deleted_claims(self.get_object())
        return Response(hs.DeletedClaimSerializer(deleted, many=True).data)

    @extend_schema(
        summary="Restore a deleted claim (leads only)",
        description="Brings the claim back with its span, sources and notes, under their "
        "old ids; the claim's history shows them restored.",
        request=None,
        responses={200: s.ClaimSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deleted-claims/(?P<claim_id>[0-9]+)/restore",
        permission_classes=[MayRead, hs.IsLeadToRestore],
    )
    def restore_claim(self, request: Request, claim_id: str, *args: Any, **kwargs: Any) -> Response:
        s.refuse_any_body(request.data)
        article = self.get_object()
        if not history.is_deleted_claim_of(article, int(claim_id)):
            raise NotFound("This article has no deleted claim with that id.")
        claim = retrying(restore.claim_restore)(claim_id=int(claim_id), user=request.user)
        fresh = with_placement(selectors.api_claims(request.user), revision=None).get(pk=claim.pk)
        response = Response(s.ClaimSerializer(fresh, context=self.get_serializer_context()).data)
        response["ETag"] = etag_of(fresh)
        return response
