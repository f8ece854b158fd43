"""Who may call what, in DRF terms. The rules themselves live in annotate.access (the
one definition the pages, the admin and the API share); these classes only apply them to
a request, and are named by the rule they enforce."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from annotate import access


def _model_of(view: Any) -> Any:
    """The model whose permissions apply: the view's declared `queryset`'s when it has one,
    else its get_queryset()'s (which may build a whole selector: the claims' took a tenth
    of a claim's create, only to be asked its model)."""
    declared = getattr(view, "queryset", None)
    return (declared if declared is not None else view.get_queryset()).model


class MayRead(BasePermission):
    """Reading needs the model's view permission (every role has it), or no login at all
    when CLAIMDESK_PUBLIC_READ is on. Writing needs a login; what may be written is the
    business of the rules below.

    Anonymous callers are refused with 401 (not 403) so that a script knows to send a token.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if request.method in SAFE_METHODS:
            if settings.CLAIMDESK_PUBLIC_READ:
                return True
            if not user.is_authenticated:
                return False
            model = _model_of(view)
            return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        return bool(user.is_authenticated)


class MayAddOrIsAuthorOrLead(BasePermission):
    """Creating needs the role's add permission; changing or deleting an object needs the
    ownership rule of annotate.access (own work, or a lead; never someone else's note)."""

    message = "Your role may not do this to this object."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "POST" and getattr(view, "action", None) == "create":
            return access.can_add(request.user, _model_of(view))
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return access.can_delete(request.user, obj)
        return access.can_change(request.user, obj)


class IsLead(BasePermission):
    """Setting a verdict is the lead's decision alone."""

    message = "Only leads set verdicts."

    def has_permission(self, request: Request, view: Any) -> bool:
        return access.can_adjudicate(request.user)
