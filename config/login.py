"""Login, throttled against password guessing, on every path that checks a password.

One username from one address may fail LOGIN_FAILURE_LIMIT times within
LOGIN_FAILURE_WINDOW seconds; past that, attempts are refused with 429 (the password is not
even checked) until the oldest failure is a window old.

Where: in the authentication backend, not in a login view. Every login Django or a library
offers (ours at /accounts/login/, the admin's, DRF's ObtainAuthToken or BasicAuthentication
if ever added) ends in `django.contrib.auth.authenticate()`, which asks the backends in
AUTHENTICATION_BACKENDS order; a guard in one view leaves every other view unguarded.
ThrottledModelBackend (the only backend) claims a slot before ModelBackend checks the
password, and when none is free raises PermissionDenied, which makes authenticate() return
None at once. It also marks the request, so that LoginGuardMiddleware turns whatever the
view answers to a failed login (a form with "wrong password", a JSON 400) into 429 with
Retry-After and LOCKED_OUT.

The key is the username as authentication will see it: NFKC-normalised (as Django's login
forms do before authenticate(), so "ｖictim" and "𝐯𝐢ctim" log in as "victim") and then
case-folded (so "Victim" cannot open a second budget either), plus the client's address.

The failures are counted in the shared cache (settings CACHES), so every gunicorn worker
and every web instance sees the same count. Each attempt first claims one of LIMIT slots
with `cache.add`, which is atomic in every cache backend (an INSERT on the cache table's
primary key, SET NX in Redis); a failed attempt keeps its slot until it expires, a
successful one gives it back. A get-then-set counter would lose counts to concurrent
attempts, and checking before the password and counting after would let parallel guesses
all pass the check: with slots, no more than LIMIT passwords are ever checked per window.

Why not django-axes, the well-kept library for this: it does exactly that check-before,
count-after (a lockout check in its backend, the count in a user_login_failed handler), so
a burst of parallel guesses all get their passwords checked; its maintainers closed that as
a known issue they will not fix (jazzband/django-axes#592). It would also bring three
tables, an admin and a settings surface for what is here one backend and one middleware.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import SimpleTemplateResponse
from rest_framework.throttling import BaseThrottle

LOCKED_OUT = "Too many failed logins for this account from your address; try again later."

# Set on the request by the backend when it refused a login, read by the middleware.
LOCKED_OUT_FLAG = "login_locked_out"


def client_address(request: HttpRequest | None) -> str:
    """The caller's address as the API's throttles see it: behind CLAIMDESK_API_NUM_PROXIES
    proxies, from X-Forwarded-For, so that one proxy's address does not lump every user's
    failures together. Without a request (a caller that passes none) all such attempts share
    one budget per username: stricter, never looser."""
    return BaseThrottle().get_ident(request) if request is not None else ""


def login_key(username: str) -> str:
    """The username as authentication matches it, folded further: NFKC as the login forms
    normalise it, then case-folded. Two spellings that can log in as the same user (and some
    that cannot, which only makes the guard stricter) share one budget."""
    return unicodedata.normalize("NFKC", username).casefold()


def failure_slots(request: HttpRequest | None, username: str) -> list[str]:
    key = f"{login_key(username)}\0{client_address(request)}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    return [f"login-failures:{digest}:{n}" for n in range(settings.LOGIN_FAILURE_LIMIT)]


def claim_attempt(slots: list[str]) -> str | None:
    """Take a free slot for this attempt, or None when all are taken (locked out)."""
    taken = cache.get_many(slots)
    for slot in slots:
        if slot not in taken and cache.add(slot, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
            return slot
    return None


def mark_locked_out(request: HttpRequest | None) -> None:
    # DRF passes its own Request wrapper; the middleware sees the HttpRequest inside it.
    if request is not None:
        setattr(getattr(request, "_request", request), LOCKED_OUT_FLAG, True)


class ThrottledModelBackend(ModelBackend):
    """ModelBackend behind the login guard: a slot is claimed before the password is checked
    and given back only when it was right."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None  # not a password login: nothing to guess, nothing to count
        attempt = claim_attempt(failure_slots(request, username))
        if attempt is None:
            mark_locked_out(request)
            raise PermissionDenied(LOCKED_OUT)  # authenticate() stops: no backend checks it
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            cache.delete(attempt)  # the right password is not a failure
        return user

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """ModelBackend's answer (the user's own permissions and their groups'), in one
        query instead of two: every API request asks it once (annotate.access)."""
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_perm_cache")
        ):
            names = ("content_type__app_label", "codename")
            own = Permission.objects.filter(user=user_obj).values_list(*names).order_by()
            of_groups = Permission.objects.filter(group__user=user_obj).values_list(*names)
            rows = own.union(of_groups.order_by())
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return super().get_all_permissions(user_obj, obj)

    async def aauthenticate(
        self, request: HttpRequest | None, **credentials: Any
    ) -> AbstractBaseUser | None:
        # ModelBackend's own async path would skip the guard.
        return await sync_to_async(self.authenticate)(request, **credentials)


class LoginGuardMiddleware:
    """Answers 429 with Retry-After for a request whose login the guard refused, whichever
    view took it: a login form is shown again with LOCKED_OUT as its error, any other answer
    is replaced by LOCKED_OUT alone (as JSON when the view answered JSON)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, LOCKED_OUT_FLAG, False):
            return response
        if not getattr(response, LOCKED_OUT_FLAG, False):
            if response.get("Content-Type", "").startswith("application/json"):
                response = JsonResponse({"detail": LOCKED_OUT})
            else:
                response = HttpResponse(LOCKED_OUT, content_type="text/plain; charset=utf-8")
        response.status_code = 429
        response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
        return response

    def process_template_response(
        self, request: HttpRequest, response: SimpleTemplateResponse
    ) -> SimpleTemplateResponse:
        """Before a login page renders, replace its "wrong password" with LOCKED_OUT: the
        password was not checked, and the user should know to wait rather than retry."""
        form = (response.context_data or {}).get("form")
        if getattr(request, LOCKED_OUT_FLAG, False) and form is not None:
            form.errors.clear()
            form.add_error(None, LOCKED_OUT)
            setattr(response, LOCKED_OUT_FLAG, True)
        return response
