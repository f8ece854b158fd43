"""Login, throttled against password guessing.

One username from one address may fail LOGIN_FAILURE_LIMIT times within
LOGIN_FAILURE_WINDOW seconds; past that, attempts are refused with 429 (the password is not
even checked) until the oldest failure is a window old.

The failures are counted in the shared cache (settings CACHES), so every gunicorn worker
and every web instance sees the same count. Each attempt first claims one of LIMIT slots
with `cache.add`, which is atomic in every cache backend (an INSERT on the cache table's
primary key, SET NX in Redis); a failed attempt keeps its slot until it expires, a
successful one gives it back. A get-then-set counter would lose counts to concurrent
attempts, and checking before the password and counting after would let parallel guesses
all pass the check: with slots, no more than LIMIT passwords are ever checked per window.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from rest_framework.throttling import BaseThrottle

LOCKED_OUT = "Too many failed logins for this account from your address; try again later."


def client_address(request: HttpRequest) -> str:
    """The caller's address as the API's throttles see it: behind CLAIMDESK_API_NUM_PROXIES
    proxies, from X-Forwarded-For, so that one proxy's address does not lump every user's
    failures together."""
    return BaseThrottle().get_ident(request)


def failure_slots(request: HttpRequest) -> list[str]:
    username = request.POST.get("username", "").strip().lower()
    digest = hashlib.sha256(f"{username}\0{client_address(request)}".encode()).hexdigest()
    return [f"login-failures:{digest}:{n}" for n in range(settings.LOGIN_FAILURE_LIMIT)]


def claim_attempt(slots: list[str]) -> str | None:
    """Take a free slot for this attempt, or None when all are taken (locked out)."""
    taken = cache.get_many(slots)
    for slot in slots:
        if slot not in taken and cache.add(slot, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
            return slot
    return None


class ThrottledLoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.attempt = claim_attempt(failure_slots(request))
        if self.attempt is None:
            form = self.get_form()
            form.cleaned_data, form._errors = {}, ErrorDict()  # refuse without validating
            form.add_error(None, LOCKED_OUT)
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        cache.delete(self.attempt)  # the right password is not a failure
        return super().form_valid(form)
