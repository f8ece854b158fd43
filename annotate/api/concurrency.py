"""Writes that collide: PostgreSQL may abort one of two concurrent transactions that lock
the same rows in opposite orders (deadlock) or that cannot be serialised. Each service
call is its own transaction, so the aborted one can simply run again.

A service that locks a source or note and then touches its claim can meet claim_delete,
which locks the claim and then its sources: that is the deadlock seen under load.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection
from rest_framework import status
from rest_framework.exceptions import APIException

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 3
TRANSIENT_SQLSTATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure


class Busy(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Another change to the same objects happened at the same moment; retry."
    default_code = "busy"

    def __init__(self) -> None:
        super().__init__()
        self.wait = 1  # seconds, sent as Retry-After


def _is_transient(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in TRANSIENT_SQLSTATES


def retrying(service: Callable[P, T]) -> Callable[P, T]:
    """Call a service, running it again when the database aborted it as a deadlock victim."""

    @functools.wraps(service)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return service(*args, **kwargs)
            except OperationalError as error:
                # Inside an outer transaction (a test's, say) the whole of it is lost.
                if not _is_transient(error) or connection.in_atomic_block:
                    raise
                if attempt == ATTEMPTS:
                    raise Busy() from error
        raise AssertionError("unreachable")

    return call
