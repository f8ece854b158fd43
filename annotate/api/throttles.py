"""Per-user request budgets: writes are scarcer than reads. Rates come from settings
(CLAIMDESK_API_READ_RATE, CLAIMDESK_API_WRITE_RATE) at request time, so they can be
changed by environment and by tests without re-importing the module.

The counts live in the default cache, which settings makes a shared one (a database
table), so every worker and web instance spends one budget.

Why not DRF's own SimpleRateThrottle: it keeps every request time of the last period in
one cache value and rewrites it on each request, so at a researcher's 1,200 reads a minute
each request decodes and writes back a 14 KB list. Here a budget is two counters, this
period's and the last one's, weighted by how much of the last one still falls within the
sliding period ("sliding window counter"): constant work per request, no burst of twice
the rate at a period's edge as a plain fixed window would allow. Counting is a read and a
write without a lock, as in DRF: simultaneous requests of one user may each count once
for two. That is DRF's own contract and fine for a budget (the login guard, which must be
exact, claims slots atomically instead)."""

from __future__ import annotations

import math
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

    def get_cache_key(self, request: Request, view: Any) -> str:
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: Any) -> bool:
        if (request.method in SAFE_METHODS) != self.safe:
            return True
        # Rates are read per request (see the module docstring), not once in __init__.
        self.num_requests, self.duration = self.parse_rate(self.get_rate())
        key = self.get_cache_key(request, view)
        period, into = divmod(self.timer() / self.duration, 1)
        current, previous = f"{key}:{int(period)}", f"{key}:{int(period) - 1}"
        counts = self.cache.get_many([current, previous])
        self.current, self.previous = counts.get(current, 0), counts.get(previous, 0)
        self.into = into
        if self.previous * (1 - into) + self.current + 1 > self.num_requests:
            return False
        # Kept for two periods: the next one still weighs this one's count.
        self.cache.set(current, self.current + 1, timeout=2 * self.duration)
        return True

    def wait(self) -> float:
        """Seconds until one more request fits: later in this period, as the last period
        weighs less, or else in the next one, as this one's count starts to fade."""
        room = self.num_requests - 1 - self.current
        if room >= 0 and self.previous:
            fraction = max(1 - room / self.previous, self.into)
        else:
            fraction = 1 + max(0.0, 1 - (self.num_requests - 1) / max(self.current, 1))
        return max(1, math.ceil((fraction - self.into) * self.duration))


class ReadThrottle(_MethodRateThrottle):
    scope = "read"
    setting = "CLAIMDESK_API_READ_RATE"
    safe = True


class WriteThrottle(_MethodRateThrottle):
    scope = "write"
    setting = "CLAIMDESK_API_WRITE_RATE"
    safe = False
