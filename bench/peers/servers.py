"""Both apps served as production serves them, side by side on loopback: gunicorn with the
same number of sync workers (2), DEBUG off, each on a database of its own.

Claimdesk starts through `bin/start-web` (migrate, collectstatic, seed import, gunicorn with
config/gunicorn.conf.py), as docker-compose and CI start it. doccano starts its Django backend
under gunicorn directly: `doccano webserver` would bind 0.0.0.0 (../shared/peers/doccano.md).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
PG_BASE = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_reset(name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(PG_BASE + "postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def doccano_backend(python: str) -> Path:
    """The folder of doccano's Django project inside its virtualenv (site-packages/backend)."""
    out = subprocess.run(  # noqa: S603 (the interpreter the user named)
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip()) / "backend"


def claimdesk_env(db_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "false",
        "HTTPS": "false",  # plain http on loopback; secure cookies would never come back
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CLAIMDESK_SITE_URL": f"http://127.0.0.1:{port}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "WEB_TIMEOUT": "300",  # a 10,000-claim export over HTTP on a loaded machine
        # The throttles would turn 500 creates into 429s: doccano has none by default.
        "CLAIMDESK_API_READ_RATE": "100000000/minute",
        "CLAIMDESK_API_WRITE_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHON": sys.executable,
    }


def doccano_env(python: str, home: Path, db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DOCCANO_HOME": str(home),
        "STANDALONE": "True",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": db_url,
        "MEDIA_ROOT": str(home / "media"),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "PYTHONPATH": str(doccano_backend(python)),
    }


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited:\n{log.read_text()[-3000:]}")
        try:
            requests.get(url, timeout=30)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise SystemExit(f"server for {url} did not answer in 180 s:\n{log.read_text()[-3000:]}")


@contextmanager
def serving(command: list[str], env: dict[str, str], cwd: Path, log: Path, probe: str):
    """Run a server until the block ends; its output goes to `log` (read when it fails)."""
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_until_serving(probe, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_claimdesk(db_url: str, port: int, log: Path):
    env = claimdesk_env(db_url, port)
    return serving(
        [str(ROOT / "bin" / "start-web")],
        env,
        ROOT,
        log,
        f"http://127.0.0.1:{port}/accounts/login/",
    )


def serve_doccano(python: str, env: dict[str, str], port: int, log: Path):
    gunicorn = str(Path(python).parent / "gunicorn")
    backend = doccano_backend(python)
    command = [gunicorn, "--chdir", str(backend), "config.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--timeout", "300"]
    return serving(command, env, backend, log, f"http://127.0.0.1:{port}/v1/")
