"""The deployment's settings are all documented, and gunicorn's file is valid."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ_FROM_ENVIRONMENT = re.compile(
    r'(?:environ\.get|env_bool|env_int|env_list)\(\s*"([A-Z_]+)"'
)


def variables_read(path):
    return set(READ_FROM_ENVIRONMENT.findall((ROOT / path).read_text()))


def test_every_variable_is_documented_in_env_example():
    """A deployer finds every setting the code reads in .env.example."""
    documented = set(
        re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    read = variables_read("reviewsite/settings.py") | variables_read("gunicorn.conf.py")
    assert read - documented == set()
    assert "DATABASE_URL" in documented and "REDIS_URL" in documented


def test_gunicorn_configuration_is_valid():
    """gunicorn accepts the repository's configuration file."""
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "reviewsite.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
