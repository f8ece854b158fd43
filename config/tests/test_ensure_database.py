"""bin/ensure-database: `make run` on a fresh PostgreSQL server creates the database that
DATABASE_URL names instead of stopping at 'database does not exist'."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "ensure-database"


def ensure(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def server_url(settings: dict, name: str) -> str:
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"


def test_it_leaves_sqlite_to_django(tmp_path):
    result = ensure(f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL server")
def test_it_creates_a_missing_postgresql_database_once():
    name = f"claimdesk_fresh_{uuid.uuid4().hex[:12]}"
    url = server_url(connection.settings_dict, name)
    try:
        first, second = ensure(url), ensure(url)

        assert (first.returncode, first.stdout) == (0, f"Created PostgreSQL database {name}\n")
        assert (second.returncode, second.stdout) == (0, "")
        with psycopg.connect(url) as created:
            assert created.execute("select current_database()").fetchone() == (name,)
    finally:
        maintenance = server_url(connection.settings_dict, "postgres")
        with psycopg.connect(maintenance, autocommit=True) as server:
            server.execute(f'drop database if exists "{name}"')


def test_it_names_the_database_and_the_fix_when_it_cannot():
    result = ensure("postgres://no_such_role_here@127.0.0.1:5432/claimdesk_never")

    assert result.returncode == 1
    assert "Could not make sure PostgreSQL database 'claimdesk_never' exists" in result.stderr
    assert "createdb claimdesk_never" in result.stderr
