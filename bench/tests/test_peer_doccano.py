"""bench/peers/doccano.py without doccano: it says how to enable it and exits 0 (a machine
without doccano, CI's included, runs the rest of the benchmarks undisturbed), and it leaves
bench/RESULTS.md as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "peers" / "doccano.py"
RESULTS = ROOT / "bench" / "RESULTS.md"


def run_without_doccano(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCCANO_PYTHON"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_prints_the_install_steps_and_exits_0():
    before = RESULTS.read_text()
    done = run_without_doccano("--databases", "sqlite,postgres")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "not run (DOCCANO_PYTHON is not set)" in done.stdout
    assert "pip install doccano 'marshmallow<4' 'numpy<2' gunicorn psycopg2-binary" in done.stdout
    assert (
        "DOCCANO_PYTHON=/work/doccano-venv/bin/python .venv/bin/python bench/peers/doccano.py"
        in (done.stdout)
    )
    assert RESULTS.read_text() == before


def test_a_named_interpreter_that_does_not_exist_is_an_error(tmp_path):
    env_python = tmp_path / "no-such-venv" / "bin" / "python"
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, "DOCCANO_PYTHON": str(env_python)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert f"DOCCANO_PYTHON={env_python} does not exist." in done.stderr
