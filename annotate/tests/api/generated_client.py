"""A Python client generated from the app's own /api/schema/ by openapi-python-client, as
a tool's author would make one: written to a temporary directory and imported from it."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from django.conf import settings

CONFIG = Path(settings.BASE_DIR) / "docs" / "openapi-python-client.yaml"
PACKAGE = "claimdesk_client"
# What the generator says when it leaves part of an operation out of the client.
COMPLAINTS = ("WARNING", "Cannot parse", "Unable to", "Error", "error")


class GeneratorComplained(AssertionError):
    pass


def generate(schema: bytes, directory: Path) -> ModuleType:
    """Generate the client into `directory` and import it. A warning is a failure: a
    schema that a real generator cannot use whole is a defect of the schema."""
    (directory / "schema.yaml").write_bytes(schema)
    tools = Path(sys.executable).parent  # the generator formats its output with ruff
    result = subprocess.run(
        [
            str(tools / "openapi-python-client"), "generate",
            "--path", str(directory / "schema.yaml"),
            "--output-path", str(directory / PACKAGE),
            "--meta", "none",
            "--config", str(CONFIG),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"},
        check=False,
        timeout=300,
    )  # fmt: skip
    said = result.stdout + result.stderr
    if result.returncode or any(complaint in said for complaint in COMPLAINTS):
        raise GeneratorComplained(said)
    sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    return importlib.import_module(PACKAGE)


def forget(directory: Path) -> None:
    """Unload the generated package, so that another generation imports afresh."""
    sys.path.remove(str(directory))
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
