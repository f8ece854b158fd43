from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str, **kwargs: Any) -> None:
    """The throttles' and the login guard's shared cache is a database table (settings
    CACHES). Creating it after every `migrate` (it is a no-op once it exists) means every
    way of making a database has it: `make run`, bin/start-web, CI's scripts, the tests.
    A migration would run only once, so a table missing after a change of CACHES would
    stay missing; this follows whatever CACHES says at each migrate."""
    call_command("createcachetable", database=using, verbosity=0)


class AnnotateConfig(AppConfig):
    name = "annotate"
    verbose_name = "Annotations"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)
        from annotate.changes import recording

        recording.connect()
        from annotate.webhooks import triggering

        recording.changes_recorded.connect(
            triggering.on_changes_recorded, dispatch_uid="webhooks-wake"
        )
