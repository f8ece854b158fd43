"""Shapes of webhook endpoints and their delivery log in the API.

As everywhere in the API, `url` is the object's own address here; where the events go
is `link` (as a source's web address is).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotate.api.serializers import IdentityField, VersionField, WriteSerializer
from annotate.changes.selectors import feed_origin
from annotate.webhooks.models import WebhookDelivery, WebhookEndpoint
from annotate.webhooks.selectors import position_of
from articles.models import Article

EVENT_TYPES_HELP = (
    "`resource.action` patterns of the changes feed's event types: `claim.updated`, "
    '`claim.*`, `*.deleted`; `["*"]` (the default) for every event.'
)


class WebhookSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="api-webhook-detail")
    link = serializers.URLField(source="url", read_only=True, help_text="Where events go.")
    secret = serializers.CharField(
        read_only=True,
        help_text="Verify each delivery with it (Standard Webhooks: whsec_…). Only you see it.",
    )
    event_types = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=EVENT_TYPES_HELP
    )
    article = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Only this article's events (null: all).",
    )
    cursor = serializers.SerializerMethodField(
        help_text="The feed position delivered up to (a /api/v1/changes/ cursor)."
    )
    failures = serializers.IntegerField(
        read_only=True, help_text="Failed attempts in a row at the next event."
    )
    retry_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the next attempt is due."
    )
    disabled_reason = serializers.CharField(
        read_only=True, help_text="Why delivery disabled it (empty: you did, or it is on)."
    )
    deliveries_url = serializers.SerializerMethodField()
    version = VersionField()

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id", "url", "link", "secret", "event_types", "article", "active", "cursor",
            "failures", "retry_at", "disabled_reason", "deliveries_url", "version",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_cursor(self, endpoint: WebhookEndpoint) -> str:
        context = self.context  # shared by a list's items: one lookup per response
        origin = context.get("feed_origin")
        if origin is None:
            origin = context["feed_origin"] = feed_origin()
        return str(replace(position_of(endpoint), origin=origin))

    @extend_schema_field(OpenApiTypes.URI)
    def get_deliveries_url(self, endpoint: WebhookEndpoint) -> str:
        path = reverse("api-webhook-deliveries", kwargs={"pk": endpoint.pk})
        return self.context["request"].build_absolute_uri(path)


class WebhookWriteSerializer(WriteSerializer):
    link = serializers.CharField(
        max_length=2000,
        help_text="An http(s) URL outside this app's own network (see README: Webhooks).",
    )
    secret = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="whsec_ and 24 to 64 bytes in base64; left out (or blank), the server makes one.",
    )
    event_types = serializers.ListField(
        child=serializers.JSONField(), required=False, help_text=EVENT_TYPES_HELP
    )
    article = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Article.objects.all(),
        required=False,
        allow_null=True,
        help_text="An article's slug: only its events. Null or left out: every article's.",
    )
    active = serializers.BooleanField(
        required=False,
        help_text="false pauses delivery; true re-enables it where it stopped.",
    )

    shown_as = WebhookSerializer
    elsewhere: ClassVar[dict[str, str]] = {
        "url": "Read-only: the webhook's address in this API; where events go is `link`.",
    }

    def service_fields(self) -> dict[str, Any]:
        fields = dict(self.validated_data)
        if "link" in fields:
            fields["url"] = fields.pop("link")
        if fields.get("secret") == "":
            fields["secret"] = None  # blank: a new one from the server
        return fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    redeliver_url = serializers.SerializerMethodField()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "change_id", "event_type", "attempt", "redelivery", "ok", "status",
            "response", "error", "duration_ms", "at", "redeliver_url",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "change_id": {"help_text": "The event's id in the changes feed."},
            "status": {"help_text": "The receiver's HTTP status; null when none came."},
            "response": {"help_text": "The start of the receiver's answer."},
            "error": {"help_text": "Why no answer came (a timeout, a refused connection)."},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_redeliver_url(self, delivery: WebhookDelivery) -> str:
        path = reverse(
            "api-webhook-redeliver",
            kwargs={"pk": delivery.endpoint_id, "delivery_id": delivery.pk},
        )
        return self.context["request"].build_absolute_uri(path)
