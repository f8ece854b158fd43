"""GET /api/v1/changes/: the changes feed (annotate.changes) over HTTP.

Who may read it: whoever may read claims through the API (every role; anonymous callers
too when CLAIMDESK_PUBLIC_READ is on), each told only of what they may read now
(annotate.access.changes_visible_q).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate.api.renderers import ORJSONRenderer
from annotate.changes.recording import ACTIONS, RESOURCES
from annotate.changes.rendering import render
from annotate.changes.selectors import (
    START,
    Position,
    changes_after,
    feed_origin,
    latest_position,
)
from annotate.models import Claim
from articles.models import Article

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
PARAMETERS = {"after", "article", "limit"}

CHANGE = inline_serializer(
    "FeedChange",
    {
        "id": serializers.IntegerField(help_text="Stable: the same change always has it."),
        "cursor": serializers.CharField(help_text="Pass as `after` to read what follows."),
        "type": serializers.CharField(help_text="`resource.action`, e.g. `claim.updated`."),
        "resource": serializers.ChoiceField(choices=sorted(RESOURCES.values())),
        "action": serializers.ChoiceField(choices=ACTIONS),
        "object_id": serializers.IntegerField(),
        "url": serializers.URLField(allow_null=True),
        "article": serializers.CharField(allow_null=True, help_text="The article's slug."),
        "actor": serializers.CharField(allow_null=True, help_text="Who acted (username)."),
        "at": serializers.DateTimeField(),
        "tombstone": serializers.BooleanField(
            help_text="The resource is gone, or hidden from you: remove your copy."
        ),
        "data": serializers.DictField(
            allow_null=True,
            help_text="The resource as its endpoint shows it to you now (a claim as "
            "`?expand=notes` shows it); null for a tombstone.",
        ),
    },
)


class FeedGone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = (
        "This cursor is from another feed: the database was made anew (a backup was "
        "loaded, or it is another installation). Read the feed again from the start."
    )
    default_code = "gone"


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Must be a whole number from 1 to {MAX_LIMIT}."]})
    return int(raw)


def _after(request: Request, origin: str) -> Position:
    raw = request.query_params.get("after")
    if raw is None or raw == "":
        return START
    if raw == "latest":
        return replace(latest_position(request.user), origin=origin)
    try:
        return Position.parse(raw)
    except ValueError:
        raise ValidationError(
            {"after": ["Is not a cursor: pass a change's `cursor`, or `latest`."]}
        ) from None


class ChangesView(APIView):
    renderer_classes = [ORJSONRenderer]

    def get_queryset(self) -> QuerySet[Claim]:
        return Claim.objects.none()  # MayRead: whoever reads claims reads their changes

    @extend_schema(
        summary="The changes feed: every create, update, delete and restore, in order",
        description=(
            "Changes after `after` (a cursor from a previous page; from the beginning "
            "without it; `latest` for only what happens from now on), oldest first, as "
            "you may see them now: each carries the resource as its own endpoint shows "
            "it to you at the time you read the page, or a tombstone when it is gone or "
            "hidden from you. Apply each page in order and your copy equals what the "
            "API shows. Poll with the page's `cursor` until `has_more` is false, then "
            "again later. A claim's tombstone also removes its citations, notes and "
            "relations. Under independent review, recording your own note sends you "
            "others' notes on that claim (`revealed`), and losing it takes them back "
            "(`hidden`)."
        ),
        parameters=[
            OpenApiParameter("after", OpenApiTypes.STR, description="A cursor, or `latest`."),
            OpenApiParameter("article", OpenApiTypes.STR, description="Only this article."),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=f"At most {MAX_LIMIT}; {DEFAULT_LIMIT}."
            ),
        ],
        responses=inline_serializer(
            "ChangePage",
            {
                "results": CHANGE.__class__(many=True),
                "cursor": serializers.CharField(
                    help_text="Where this page ends: the next request's `after`."
                ),
                "has_more": serializers.BooleanField(),
                "next": serializers.URLField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        unknown = sorted(set(request.query_params) - PARAMETERS)
        if unknown:
            raise ValidationError({name: ["Is not a parameter of the feed."] for name in unknown})
        origin = feed_origin()
        limit, after = _limit(request), _after(request, origin)
        slug = request.query_params.get("article")
        article = get_object_or_404(Article, slug=slug) if slug is not None else None
        if not after.at_start and after.origin != origin:
            raise FeedGone()
        changes = changes_after(request.user, after=after, article=article, limit=limit + 1)
        has_more = len(changes) > limit
        changes = changes[:limit]
        cursor = str(Position.of(changes[-1], origin) if changes else after)
        query = {"after": cursor, "limit": limit} | ({"article": slug} if slug else {})
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
        return Response(
            {
                "results": render(changes, request, origin),
                "cursor": cursor,
                "has_more": has_more,
                "next": next_url,
            }
        )
