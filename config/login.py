"""Login, throttled against password guessing.

After LOGIN_FAILURE_LIMIT failed attempts for one username from one address within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused with 429 (and the password is
not even checked) until the window has passed since the first failure. Counters live in
the default cache, like the API's throttles: per process with the local-memory cache, so
with N gunicorn workers a guesser gets at most N times the limit.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse

LOCKED_OUT = "Too many failed logins for this account from your address; try again later."


def _failure_key(request: HttpRequest) -> str:
    username = request.POST.get("username", "").strip().lower()
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{username}\0{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


class ThrottledLoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if cache.get(_failure_key(request), 0) >= settings.LOGIN_FAILURE_LIMIT:
            form = self.get_form()
            form.cleaned_data, form._errors = {}, ErrorDict()  # refuse without validating
            form.add_error(None, LOCKED_OUT)
            response = self.form_invalid_response(form)
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        key = _failure_key(self.request)
        cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
        return self.form_invalid_response(form)

    def form_invalid_response(self, form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form))
