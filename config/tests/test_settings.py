"""Production settings, checked in a fresh interpreter as a deployment would load them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3Yq9-" * 12


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("key", [None, "", "django-insecure-claimdesk-development-only", "short"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = {"DEBUG": "false", "ALLOWED_HOSTS": "claimdesk.example"}
    if key is not None:
        env["SECRET_KEY"] = key

    result = manage("check", **env)

    assert result.returncode == 1
    assert "SECRET_KEY must be set to a long random value" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="claimdesk.example",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_misspelt_boolean_is_an_error_not_a_silent_default():
    result = manage("check", DEBUG="flase")

    assert result.returncode == 1
    assert "DEBUG must be true or false, not 'flase'" in result.stderr


def test_production_counts_throttles_in_the_database_not_per_process():
    result = manage(
        "shell", "--no-imports", "-c",
        "from django.core.cache import caches; from django.core.cache.backends.db import"
        " DatabaseCache; print(isinstance(caches['default'], DatabaseCache))",
        DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="claimdesk.example",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"  # config.cache's, Django's DatabaseCache


@pytest.mark.django_db
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL setting"
)
def test_postgresql_connections_do_not_jit_compile_queries():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
