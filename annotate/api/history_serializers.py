"""Shapes of history in the data API: a claim's timeline and an article's deleted claims
(read by annotate.history), and who may restore (annotate.restore: claim_restore,
citation_restore, confidence_note_restore)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from annotate import access
from annotate.api.permissions import MayRead

ANY_VALUE = "The field's value (a string, number, boolean or null)."


DISPLAY = (
    "The value made readable, where it is not readable itself: the username for a user's "
    "id, the label of a choice, the paragraph, quote or statement an id points at (`#id` "
    "when that is gone); null for plain values and for null."
)


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field's name; `_id` fields hold an id.")
    label = serializers.CharField(help_text="The field's name for people.")
    old = serializers.JSONField(allow_null=True, help_text=ANY_VALUE)
    new = serializers.JSONField(allow_null=True, help_text=ANY_VALUE)
    old_display = serializers.CharField(allow_null=True, help_text=DISPLAY)
    new_display = serializers.CharField(allow_null=True, help_text=DISPLAY)


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    who = serializers.CharField(help_text="Username of who did it; blank when unknown.")
    object_type = serializers.ChoiceField(
        choices=["span", "claim", "citation", "source", "note", "relation"]
    )
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
    message = "Only leads see and restore deleted claims, citations and notes."

    def has_permission(self, request: Request, view: Any) -> bool:
        return access.can_restore(request.user)


def restore_schema(name: str, serializer: type[serializers.Serializer]) -> Any:
    """The OpenAPI of a lead's restore of a deleted source or note, shaped like the claim
    restore's (article_views.ArticleViewSet.restore_claim)."""
    return extend_schema(
        summary=f"Restore a deleted {name} (leads only)",
        description=f"Brings back a {name} deleted on its own, under its old id; the claim's "
        f"history shows it restored. 404 when no {name} with that id was ever deleted; 400 "
        "naming the field when it is not deleted now (restored already), when its claim is "
        f"deleted (restore the claim: its {name}s come back with it), or for a note when its "
        "reviewer has recorded another on the claim since.",
        request=None,
        responses={200: serializer},
    )


# `@action(**RESTORE_ACTION)`: POST …/{id}/restore/, for leads; the object is not there to
# be looked up, so the view reads no queryset and no filters.
RESTORE_ACTION: dict[str, Any] = {
    "detail": True,
    "methods": ["post"],
    "permission_classes": [MayRead, IsLeadToRestore],
    "filter_backends": [],
}
