"""Shapes of history in the data API: a claim's timeline and an article's deleted claims
(read by annotate.history), and who may restore (annotate.services.claim_restore)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from annotate import access

ANY_VALUE = "The field's value (a string, number, boolean or null)."


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field's name; `_id` fields hold an id.")
    old = serializers.JSONField(allow_null=True, help_text=ANY_VALUE)
    new = serializers.JSONField(allow_null=True, help_text=ANY_VALUE)


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    who = serializers.CharField(help_text="Username of who did it; blank when unknown.")
    object_type = serializers.ChoiceField(choices=["span", "claim", "source", "note"])
    object_id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted", "restored"])
    changes = ChangeSerializer(
        many=True,
        help_text="Changed fields with old and new values; on created and restored, the "
        "values it was made with (old null); on deleted, the values it held (new null).",
    )


class DeletedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.CharField()
    deleted_at = serializers.DateTimeField(source="history_date")
    deleted_by = serializers.CharField(
        source="history_user.username", allow_null=True, default=None
    )


class IsLeadToRestore(BasePermission):
    message = "Only leads see and restore deleted claims."

    def has_permission(self, request: Request, view: Any) -> bool:
        return access.can_restore(request.user)
