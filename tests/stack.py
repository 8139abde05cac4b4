"""
The production stack for tests (bench.stack), and a browser
stand-in: cookies, CSRF tokens and forms as a browser sends them.
"""

import contextlib
import html
import os
import re
import secrets
import signal
import uuid
from http.client import HTTPConnection
from urllib.parse import urlencode

import pytest

from bench import stack

from .admin_forms import PARITY_NOTE

#: A Redis nobody listens on: every cache call fails at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "reviews.pagecache.backend.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def required(factory, *arguments):
    """Skip on a laptop without a server; in CI a missing one is a failure."""
    try:
        return factory(*arguments)
    except stack.Unavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the stack tests: {error}")
        pytest.skip(str(error))


def postgres_database():
    return stack.PostgresDatabase(required(stack.postgres_server_url))


def redis():
    return required(stack.Redis)


def staff_member(site, username, group):
    """
    A staff member of ``group`` (Editors, Publishers) in the stack's own
    database, as an administrator adds one; their password.
    """
    password = secrets.token_urlsafe(16)
    site.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from reviews.groups import sync_group\n"
        f"user = get_user_model().objects.create_user({username!r},"
        f" password={password!r}, is_staff=True)\n"
        f"user.groups.add(sync_group({group!r}))\n",
    )
    return password


def page_reads(redis_client):
    """
    How many times Redis was asked for values since it started: what the
    copies of pages in each worker's memory save
    (``reviews.pagecache.middleware.NearCache``).
    """
    stats = redis_client.info("commandstats")
    return sum(
        stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget")
    )


@contextlib.contextmanager
def answered_by(worker, workers):
    """
    Requests made in this block are answered by ``worker``: the other
    workers are paused (SIGSTOP), so only it accepts connections. Which idle
    worker wins a connection is otherwise up to the kernel.
    """
    others = [pid for pid in workers if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode()

    def hidden_inputs(self):
        """Every <input type="hidden"> of the page, as a browser would post it."""
        fields = {}
        for tag in re.findall(r"<input\b[^>]*>", self.text):
            if 'type="hidden"' in tag:
                name = re.search(r'name="([^"]*)"', tag)
                value = re.search(r'value="([^"]*)"', tag)
                if name:
                    fields[html.unescape(name.group(1))] = html.unescape(
                        value.group(1) if value else ""
                    )
        return fields


class Browser:
    """One person's browser talking to one app server, over HTTPS as the
    TLS proxy in front of it reports, with the site's host name as the proxy
    passes it on (``Host: 127.0.0.1``, no port: nginx.conf's ``$host``)."""

    HOST = "127.0.0.1"

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = {} if cookies is None else cookies

    @property
    def origin(self):
        return f"https://{self.HOST}"

    def on(self, other):
        """The same browser (same cookies) talking to another app server."""
        return Browser(other.port, self.cookies)

    def request(self, method, path, body=None, headers=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": self.HOST,
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + path,
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        raw = connection.getresponse()
        response = Response(raw.status, raw.headers, raw.read())
        connection.close()
        for cookie in raw.headers.get_all("Set-Cookie") or ():
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in cookie:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, files=None):
        """A form as a browser posts it, with the CSRF token from its cookie."""
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if not files:
            body = urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                    f"\r\n\r\n{value}\r\n".encode()
                )
            for name, (filename, data) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
                    f' filename="{filename}"\r\nContent-Type: '
                    "application/octet-stream\r\n\r\n".encode()
                    + data
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body, {"Content-Type": content_type})

    def edit(self, path, fields):
        """An admin change form opened, then posted with these values, as a
        browser does: the form says what it was opened with (ContentForm)."""
        opened = self.get(path).hidden_inputs().get("opened_with", "")
        return self.post(path, {**fields, "opened_with": opened})

    def publish(self, snapshot, goes_live_at=""):
        """
        A publisher opens the snapshot's confirmation page and presses
        Publish, with a go-live time typed or left empty (now), and the
        reason the seed's translations differ from their source in emphasis.
        """
        path = f"/admin/reviews/snapshot/{snapshot}/publish/"
        opened = self.get(path)
        assert opened.status == 200, opened.text[:2000]
        assert 'name="goes_live_at"' in opened.text, "no Publish form on the page"
        response = self.post(
            path,
            {
                "goes_live_at": goes_live_at,
                "parity_note": PARITY_NOTE,
                "compared": opened.hidden_inputs()["compared"],
            },
        )
        assert response.status == 302, response.text[:3000]
        return response

    def sign_in(self, username, password):
        self.get("/admin/login/")
        response = self.post(
            "/admin/login/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        assert response.status == 302, response.text[:2000]
        return response


class Stack:
    """
    Two app servers, A (``first``) and B (``second``), on one PostgreSQL
    database and one Redis, with the seed published once (``setup_site``),
    and an editor and a publisher signed in (through A; their sessions are
    good on B too). ``first`` and ``second`` are anonymous readers.
    """

    def __init__(self, site, database, redis, password):
        self.site, self.database, self.redis = site, database, redis
        #: The administrator's password (``setup_site``).
        self.password = password
        self.first, self.second = Browser(site.serve()), Browser(site.serve())
        self.editor, self.publisher = (
            Browser(self.first.port),
            Browser(self.first.port),
        )
        self.editor.sign_in("editor", staff_member(site, "editor", "Editors"))
        self.publisher.sign_in(
            "publisher", staff_member(site, "publisher", "Publishers")
        )

    @property
    def servers(self):
        return (self.first, self.second)

    def snapshot(self):
        """The seed snapshot's primary key and slug."""
        return self.database.query("SELECT id, slug FROM reviews_snapshot")[0]

    def publication_numbers(self):
        return [
            number
            for (number,) in self.database.query(
                "SELECT number FROM publishing_publication ORDER BY number"
            )
        ]


@contextlib.contextmanager
def running_stack(folder):
    """The production stack for a module's tests (see ``Stack``)."""
    database, cache = postgres_database(), redis()
    # Redis keeps its dump here, for the restart test.
    cache.folder = folder
    database.create()
    cache.start()
    site = stack.Site(database.url, cache.url, folder)
    try:
        yield Stack(site, database, cache, site.install())
    finally:
        site.stop()
        cache.stop()
        database.drop()
