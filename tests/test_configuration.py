"""The deployment's settings are all documented, and gunicorn's file is valid."""

import http.client
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from bench.stack import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
READ_FROM_ENVIRONMENT = re.compile(
    r'(?:environ\.get|env|env_bool|env_int|env_list)\(\s*"([A-Z_]+)"'
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


def test_env_example_as_the_readme_fills_it_starts_gunicorn(tmp_path):
    """.env.example sourced, secrets filled in: `make serve`'s gunicorn answers."""
    port = free_port()
    filled_in = {
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Only this one differs from a real deployment: a free port on loopback.
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    script = "set -a; . ./.env.example; {}; set +a; exec {} reviewsite.wsgi".format(
        "; ".join(f"{name}={shlex.quote(value)}" for name, value in filled_in.items()),
        shlex.quote(str(Path(sys.executable).parent / "gunicorn")),
    )
    server = subprocess.Popen(
        ["sh", "-c", script],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, server)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/healthz", headers={"Host": "snapshots.example.org"})
        assert connection.getresponse().status == 200
    finally:
        server.terminate()
        server.wait()
