"""Put back the role groups a transactional test's flush emptied.

A flush after a transactional test empties every table, groups included (post_migrate
brings back only permissions). The roles and their permissions are the migrations' tables:
0002_roles, and every later migration that grants the roles permissions on a new model
(each has a ROLE_PERMISSIONS table of its own, `role: [(app label, codename)]`).
"""

from __future__ import annotations

import importlib
import pkgutil


def role_migrations() -> list:
    """The migration modules with a ROLE_PERMISSIONS table, in order."""
    import annotate.migrations as package

    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    modules = [importlib.import_module(f"annotate.migrations.{name}") for name in names]
    return [m for m in modules if hasattr(m, "ROLE_PERMISSIONS")]


def restore_role_groups() -> None:
    from django.contrib.auth.models import Group, Permission

    for roles in role_migrations():
        for name, perms in roles.ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.add(
                *(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    for app_label, codename in perms
                )
            )
