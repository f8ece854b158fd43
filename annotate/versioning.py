"""Optimistic concurrency: who edits a stale copy is told, not silently overwritten.

An annotation's version is its last-modified time in microseconds. A claim's version
also moves when its sources or confidence notes change (the services touch it), so a
claim's version covers everything shown with it, and `updated_after` sync finds it.
The API sends the version as its ETag; the workspace's forms carry it in a hidden field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class StaleEdit(Exception):
    """The object changed since the client read it; `current` is the fresh copy."""

    def __init__(self, current: Any) -> None:
        super().__init__(f"{current._meta.verbose_name} {current.pk} was changed meanwhile")
        self.current = current


def version_of(obj: Any) -> str:
    return version_at(getattr(obj, "updated_at", None) or obj.created_at)


def version_at(stamp: datetime) -> str:
    """The version of an object last modified at `stamp` (for rows read without models)."""
    return str(int(stamp.timestamp() * 1_000_000))


def lock_current(obj: Any, expected_version: str | frozenset[str] | None) -> Any:
    """Lock the object's row for this transaction and return its current state.

    Raises StaleEdit when `expected_version` is given and no longer matches: the check
    and the write that follows happen under the same lock, so exactly one of two
    concurrent editors wins. It may be several versions (an If-Match list): any matches.
    """
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if expected_version is not None and not matches(current, expected_version):
        raise StaleEdit(current)
    return current


def matches(obj: Any, expected_version: str | frozenset[str]) -> bool:
    expected = {expected_version} if isinstance(expected_version, str) else expected_version
    return version_of(obj) in expected
