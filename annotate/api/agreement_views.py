"""GET /api/v1/articles/{slug}/agreement/: the agreement page as JSON."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate import access
from annotate.agreement import article_agreement
from annotate.api import serializers as s
from annotate.api.permissions import MayRead
from annotate.models import ConfidenceNote
from articles.models import Article


class AgreementView(APIView):
    permission_classes = [MayRead]

    def get_queryset(self) -> QuerySet[ConfidenceNote]:
        return ConfidenceNote.objects.none()  # MayRead asks for the notes' view permission

    @extend_schema(
        summary="How far reviewers agree on an article (Krippendorff's alpha)",
        description="Leads and researchers always; reviewers only when the article's "
        "independent review is off (403 otherwise: it would show others' notes).",
        responses={200: s.AgreementSerializer},
    )
    def get(self, request: Request, slug: str) -> Response:
        article = get_object_or_404(Article, slug=slug)
        if not access.may_see_agreement(request.user, article):
            raise PermissionDenied("Under independent review, reviewers don't see others' notes.")
        result = article_agreement(article)
        result_data = {
            "article_slug": article.slug,
            "ordinal": result.ordinal,
            "nominal": result.nominal,
            "interval": result.interval,
            "pairable": result.pairable,
            "judgements": result.judgements,
            "reviewers": result.reviewers,
            "claims": result.claims,
        }
        return Response(s.AgreementSerializer(result_data, context={"request": request}).data)
