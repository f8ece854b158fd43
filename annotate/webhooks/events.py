"""Which events an endpoint wants: `resource.action` patterns over the feed's names
(annotate.changes.recording: RESOURCES and ACTIONS)."""

from __future__ import annotations

from annotate.changes.recording import ACTIONS, RESOURCES

ALL = "*"


def pattern_error(pattern: object) -> str | None:
    """Why `pattern` is not one, or None: `*`, `resource.*`, `*.action` or
    `resource.action`, each part a name the feed uses."""
    if not isinstance(pattern, str):
        return "Must be a string."
    if pattern == ALL:
        return None
    resource, dot, action = pattern.partition(".")
    if not dot:
        return f"`{pattern}` is not `resource.action` (or `*`)."
    if resource != ALL and resource not in RESOURCES.values():
        return f"`{resource}` is no resource; one of {', '.join(sorted(RESOURCES.values()))}."
    if action != ALL and action not in ACTIONS:
        return f"`{action}` is no action; one of {', '.join(ACTIONS)}."
    return None


def wanted(patterns: list[str], event_type: str) -> bool:
    resource, _, action = event_type.partition(".")
    for pattern in patterns:
        if pattern == ALL:
            return True
        want_resource, _, want_action = pattern.partition(".")
        if want_resource in (ALL, resource) and want_action in (ALL, action):
            return True
    return False
