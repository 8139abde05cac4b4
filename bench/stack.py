"""
The production stack on loopback, for the tests and ``make bench``: gunicorn
serving the site with production settings, a Redis of its own, and a
database of its own (PostgreSQL, or a SQLite file).
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "stack-" + secrets.token_urlsafe(40)


class Unavailable(Exception):
    """A server the stack needs is not installed or not reachable."""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def parent_pid(stat_file):
    """The parent's id from /proc/<pid>/stat; None if the process is gone."""
    try:
        # The command name, in parentheses, may hold spaces: read after it.
        fields = stat_file.read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[1])


class Redis:
    """
    A Redis server of our own, on a free port, with a memory ceiling and the
    eviction policy the README recommends. It saves its data only when asked
    (``save()``), in ``folder``, and a restart on the same folder loads it, as
    a production Redis restarted after its periodic save does.
    """

    MAXMEMORY = "64mb"
    MAXMEMORY_POLICY = "allkeys-lru"

    def __init__(self, folder=None):
        executable = shutil.which("redis-server")
        if executable is None:
            raise Unavailable("redis-server is not installed")
        self.port = free_port()
        self.executable = executable
        self.folder = folder
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                self.MAXMEMORY,
                "--maxmemory-policy",
                self.MAXMEMORY_POLICY,
                *(("--dir", str(self.folder)) if self.folder else ()),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def client(self):
        import redis

        return redis.Redis(port=self.port)

    def save(self):
        """Write the data to the folder's dump, as Redis's periodic save does."""
        self.client().save()

    def kill(self):
        """Killed, as by the OOM killer or a crash: nothing saved on the way."""
        self.process.kill()
        self.process.wait(10)
        self.process = None

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class Proxy:
    """
    nginx in front of one app server, with the repository's ``nginx.conf``
    (listening on a free port of loopback instead of 80), as deployed.
    """

    def __init__(self, folder, upstream_port):
        executable = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
        if executable is None:
            raise Unavailable("nginx is not installed")
        self.executable = executable
        self.folder = Path(folder)
        self.port = free_port()
        self.upstream_port = upstream_port
        self.process = None

    def configuration(self):
        site = (ROOT / "nginx.conf").read_text()
        for shipped, here in (
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{self.upstream_port};"),
            ("listen 80;", f"listen 127.0.0.1:{self.port};"),
        ):
            if shipped not in site:
                raise RuntimeError(f"nginx.conf no longer says {shipped!r}")
            site = site.replace(shipped, here)
        (self.folder / "site.conf").write_text(site)
        temporary = "\n".join(
            f"    {kind}_temp_path {self.folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return (
            # Its workers may write the folder of whoever runs the tests.
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\nworker_processes 1;\npid {self.folder / 'nginx.pid'};\n"
            f"error_log {self.folder / 'error.log'};\n"
            "events { worker_connections 512; }\n"
            f"http {{\n    access_log off;\n{temporary}\n"
            f"    include {self.folder / 'site.conf'};\n}}\n"
        )

    def start(self):
        self.folder.mkdir(exist_ok=True)
        configuration = self.folder / "nginx.conf"
        configuration.write_text(self.configuration())
        self.process = subprocess.Popen(
            [
                self.executable,
                "-p",
                str(self.folder),
                "-e",
                str(self.folder / "error.log"),
                "-c",
                str(configuration),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)
        return self.port

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def postgres_server_url():
    """A PostgreSQL URL whose server lets us create databases."""
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise Unavailable("set TEST_POSTGRES_URL=postgres://user:pass@host/db")
    return url


class PostgresDatabase:
    """A database of its own on the server TEST_POSTGRES_URL names."""

    def __init__(self, server_url):
        import psycopg

        self.psycopg = psycopg
        parts = urlsplit(server_url)
        self.name = f"reviews_stack_{uuid.uuid4().hex[:8]}"
        self.admin_url = parts._replace(path="/postgres").geturl()
        self.url = parts._replace(path=f"/{self.name}").geturl()

    def execute(self, statement):
        with self.psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def create(self):
        self.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        # The servers are stopped by now; an autovacuum worker may still be
        # connected for a moment, and only a superuser could end it.
        for _ in range(50):
            try:
                self.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                return
            except self.psycopg.errors.ObjectInUse:
                time.sleep(0.1)
        raise RuntimeError(f"database {self.name} still in use")

    def query(self, sql, *params):
        with self.psycopg.connect(self.url) as connection:
            return connection.execute(sql, params).fetchall()


class Site:
    """The site's settings for one stack, and its commands and servers."""

    def __init__(self, database_url, redis_url, folder):
        self.folder = Path(folder)
        self.environment = {
            **{
                name: value
                for name, value in os.environ.items()
                # Set for the browser tests only; never in a deployment.
                if name != "DJANGO_ALLOW_ASYNC_UNSAFE"
            },
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # A TLS proxy would stand in front: it says so with this header.
            "DJANGO_BEHIND_TLS_PROXY": "true",
            "DJANGO_STATIC_ROOT": str(self.folder / "static"),
            "DJANGO_VAR_DIR": str(self.folder / "var"),
            "DJANGO_CACHE_KEY_PREFIX": f"stack-{uuid.uuid4().hex[:8]}",
            "GUNICORN_ACCESS_LOG": str(self.folder / "access.log"),
        }
        self.servers = {}

    def manage(self, *arguments, **environment):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env={**self.environment, **environment},
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def install(self):
        """Migrate, collect static files, load the seed; the admin's password."""
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        output = self.manage("setup_site")
        return re.search(r"password:\s+(\S+)", output).group(1)

    def serve(self, workers=2, **environment):
        """
        Start gunicorn on a free port; its port. ``workers=None`` leaves the
        number to gunicorn.conf.py (from the CPU count).
        """
        port = free_port()
        # Each app server has its own temporary folder, as on its own machine.
        temporary = self.folder / f"tmp-{port}"
        temporary.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "reviewsite.wsgi"],
            cwd=ROOT,
            env={
                **self.environment,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                **({"GUNICORN_WORKERS": str(workers)} if workers else {}),
                "TMPDIR": str(temporary),
                **environment,
            },
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
        )
        self.servers[port] = process
        wait_for_port(port, process)
        return port

    def workers(self, port, count, timeout=30):
        """
        The process ids of the ``count`` workers of the app server on
        ``port``, once gunicorn has started them all.
        """
        master = self.servers[port].pid
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            children = sorted(
                int(stat.parent.name)
                for stat in Path("/proc").glob("[0-9]*/stat")
                if parent_pid(stat) == master
            )
            if len(children) == count:
                return children
            time.sleep(0.1)
        raise TimeoutError(f"gunicorn on {port} has not started {count} workers")

    def stop(self):
        for process in self.servers.values():
            process.terminate()
        for process in self.servers.values():
            process.wait(30)
        self.servers = {}
