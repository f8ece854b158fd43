"""/api/v1/webhooks/: a reader's webhook endpoints, their delivery log, redeliveries.

Who: whoever reads the API with an account (every role) registers endpoints, and sees and
changes only their own: leads too, since an endpoint holds its owner's secret and is sent
what its owner may read (annotate.access). Another's endpoint answers 404.

The ETag of an endpoint is the version of its settings (If-Match on PUT, PATCH, DELETE);
its delivery state (cursor, failures, retry_at) moves on its own, so a GET is never
answered 304.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from annotate import access
from annotate.api import webhook_serializers as ws
from annotate.api.concurrency import retrying
from annotate.api.conditional import etag_of, expected_version
from annotate.api.pagination import IdCursorPagination
from annotate.api.serializers import refuse_any_body
from annotate.api.views import IF_MATCH
from annotate.webhooks import selectors, services
from annotate.webhooks.models import WebhookEndpoint

T = TypeVar("T")


def _in_api_names(call: Callable[[], T]) -> T:
    """Run a service whose refusals name the model's `url`, answering with the request's
    name for it, `link`."""
    try:
        return call()
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        fields = {("link" if name == "url" else name): m for name, m in error.message_dict.items()}
        raise DjangoValidationError(fields) from error


class MayRegisterWebhooks(BasePermission):
    """Every role with an account; anonymous callers get 401 (send a token)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return access.can_register_webhooks(request.user)


class NewestFirst(IdCursorPagination):
    ordering = "-id"


@extend_schema_view(
    list=extend_schema(summary="List your webhook endpoints"),
    retrieve=extend_schema(summary="One of your webhook endpoints"),
    create=extend_schema(
        summary="Register a webhook endpoint",
        description="It is sent every event of your changes feed from now on (those its "
        "`event_types` and `article` select), in order, each signed per the Standard "
        "Webhooks specification with its `secret` (README: Webhooks).",
        request=ws.WebhookWriteSerializer,
        responses={201: ws.WebhookSerializer},
    ),
    update=extend_schema(
        summary="Replace a webhook endpoint's settings",
        request=ws.WebhookWriteSerializer,
        parameters=[IF_MATCH],
    ),
    partial_update=extend_schema(
        summary="Change a webhook endpoint (`active: true` resumes a disabled one)",
        request=ws.WebhookWriteSerializer,
        parameters=[IF_MATCH],
    ),
    destroy=extend_schema(summary="Delete a webhook endpoint", parameters=[IF_MATCH]),
)
class WebhookViewSet(viewsets.ModelViewSet):
    serializer_class = ws.WebhookSerializer
    permission_classes = [MayRegisterWebhooks]
    lookup_value_regex = r"[0-9]+"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return selectors.endpoints_for(self.request.user)

    def _input(self, partial: bool = False) -> dict[str, Any]:
        serializer = ws.WebhookWriteSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.service_fields()

    def _answer(self, endpoint: WebhookEndpoint, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=endpoint.pk)
        response = Response(self.get_serializer(fresh).data, status=code)
        response["ETag"] = etag_of(fresh)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        fields = self._input()
        endpoint = _in_api_names(
            lambda: retrying(services.webhook_create)(
                user=request.user, request_host=request.get_host(), **fields
            )
        )
        return self._answer(endpoint, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        fields = self._input(partial=kwargs.get("partial", False))
        endpoint = _in_api_names(
            lambda: retrying(services.webhook_update)(
                endpoint=endpoint,
                user=request.user,
                expected_version=expected_version(request),
                request_host=request.get_host(),
                **fields,
            )
        )
        return self._answer(endpoint)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        retrying(services.webhook_delete)(
            endpoint=self.get_object(),
            user=request.user,
            expected_version=expected_version(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The endpoint's delivery log, newest first",
        description="One entry per attempt: the event, the attempt's number for that event, "
        "the receiver's status and the start of its answer, or why none came.",
        responses=ws.WebhookDeliverySerializer(many=True),
    )
    @action(detail=True, url_path="deliveries", url_name="deliveries")
    def deliveries(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        paginator = NewestFirst()
        page = paginator.paginate_queryset(selectors.deliveries_of(endpoint), request, self)
        data = ws.WebhookDeliverySerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        summary="Send a logged event again",
        description="Queued at once; it is sent as you may see it now (not at all if you "
        "may no longer be told of it) and logged as a redelivery. It does not move the "
        "endpoint's place in the feed.",
        request=None,
        responses={202: OpenApiResponse(description="Queued.")},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver",
        url_name="redeliver",
    )
    def redeliver(self, request: Request, delivery_id: str, *args: Any, **kwargs: Any) -> Response:
        refuse_any_body(request.data)
        endpoint = self.get_object()
        delivery = get_object_or_404(selectors.deliveries_of(endpoint), pk=delivery_id)
        services.webhook_redeliver(delivery=delivery, user=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)
