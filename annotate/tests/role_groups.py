"""The role groups as the migrations leave them, put back after a transactional test's
flush emptied them (post_migrate only brings back permissions)."""

from __future__ import annotations

import importlib


def put_back_role_groups() -> None:
    """0002_roles's table, then what 0008_shared_sources grants on citations and sources."""
    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("annotate.migrations.0002_roles")
    shared = importlib.import_module("annotate.migrations.0008_shared_sources")
    for name, perms in roles.ROLE_PERMISSIONS.items():
        granted = [
            ("annotate", f"{action}_{model}")
            for model in ("citation", "source")
            for action in shared.ROLE_ACTIONS[name]
        ]
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in {*perms, *granted}
        )
