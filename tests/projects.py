"""
The project run with other settings, in a subprocess of its own (a third
language, a new kind of content): as a deployment with those settings would.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(settings_module, tmp_path, *arguments, environment=None):
    """
    A command of the project under ``settings_module``, whose database is a
    SQLite file in ``tmp_path``, with ``environment``'s variables set; the
    command's output.
    """
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=inherited
        | {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_VAR_DIR": str(tmp_path),
            "TEST_PROJECT_DATABASE": str(tmp_path / "db.sqlite3"),
        }
        | (environment or {}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
