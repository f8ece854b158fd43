"""The shared cache (throttles, login guard) is a database table: `migrate` creates it
whenever it is missing, so every way of making a database has one."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

TABLE = settings.CACHES["default"]["LOCATION"]


def cache_table_exists() -> bool:
    return TABLE in connection.introspection.table_names()


def test_migrate_creates_a_missing_cache_table():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(TABLE)}")
    assert not cache_table_exists()

    call_command("migrate", verbosity=0)

    assert cache_table_exists()
