"""Per-user request budgets: writes are scarcer than reads. Rates come from settings
(CLAIMDESK_API_READ_RATE, CLAIMDESK_API_WRITE_RATE) at request time, so they can be
changed by environment and by tests without re-importing the module.

The request times live in the default cache, which settings makes a shared one (a database
table), so every worker and web instance spends one budget. DRF reads and rewrites the
history without a lock: requests of one user at the same instant may each miss the
other's entry, so a burst can pass the rate by a few. That is DRF's contract and fine
for a budget; the login guard, which must be exact, claims slots atomically instead."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class _MethodRateThrottle(SimpleRateThrottle):
    setting = ""
    safe = True

    def get_rate(self) -> str:
        return getattr(settings, self.setting)

    def allow_request(self, request: Request, view: Any) -> bool:
        if (request.method in SAFE_METHODS) != self.safe:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReadThrottle(_MethodRateThrottle):
    scope = "read"
    setting = "CLAIMDESK_API_READ_RATE"
    safe = True


class WriteThrottle(_MethodRateThrottle):
    scope = "write"
    setting = "CLAIMDESK_API_WRITE_RATE"
    safe = False
