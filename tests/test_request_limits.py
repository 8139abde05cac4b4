"""Request size limits: a too-big body is refused before any of it is stored."""

import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from bench.stack import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent

FIFTY_MB = 50 * 1024 * 1024


class CountingBody:
    """A body of ``length`` bytes, made as it is read, counting what is read."""

    def __init__(self, length):
        self.length = length
        self.read_bytes = 0

    def read(self, size=-1):
        left = self.length - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size=-1):
        return self.read(size)


def post(client, path, length, **headers):
    """POST a multipart body of ``length`` bytes, as a client streams it."""
    body = CountingBody(length)
    response = client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": body},
        **headers,
    )
    return response, body


@pytest.fixture
def temporary_folder(settings, tmp_path):
    """Where Django would spool an upload: it must stay empty."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", ["/en/", "/admin/login/", "/no/such/page/"])
def test_an_anonymous_50_mb_body_is_refused_unread(db, temporary_folder, path):
    """A visitor's huge body, with any CSRF cookie, is answered 413 before reading."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    response, body = post(client, path, FIFTY_MB, HTTP_X_CSRFTOKEN="a" * 32)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert not any(temporary_folder.iterdir())
    assert "64.0" in response.content.decode()  # the limit, 64 KB, stated


def test_the_refusal_is_in_the_readers_language(db, temporary_folder):
    """A Spanish reader is told the limit in Spanish."""
    response, _ = post(Client(), "/es/", FIFTY_MB, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 413
    assert 'lang="es"' in response.content.decode()
    assert "Demasiados datos" in response.content.decode()


def test_an_anonymous_body_over_the_form_limit_is_refused(db, temporary_folder):
    """Anyone not signed in may only send a small form, kept in memory."""
    response, body = post(Client(), "/admin/login/", 65 * 1024 + 1)
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_an_editor_may_send_a_spreadsheet_but_not_50_mb(
    seed, editor_client, temporary_folder, settings
):
    """Signed in, the limit is the spreadsheet limit; beyond it 413, unread."""
    url = reverse("admin:reviews_conclusion_import")
    response, body = post(editor_client, url, FIFTY_MB)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "5.1" in response.content.decode()  # 5 MB + the form around it


def test_a_sign_in_form_is_not_refused(editor, client):
    """An ordinary form is well under the limit."""
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "wrong"}
    )
    assert response.status_code == 200


def test_a_spreadsheet_within_the_limit_reaches_the_import(
    seed, editor_client, settings
):
    """A body just within the limit is read and judged by the import form."""
    url = reverse("admin:reviews_conclusion_import")
    response, body = post(editor_client, url, settings.SIGNED_IN_MAX_BODY_BYTES)
    assert response.status_code != 413
    assert body.read_bytes > 0


@pytest.fixture(scope="module")
def embedded_server(tmp_path_factory):
    """`make run`'s server (runserver, on wsgiref) in a process of its own."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, server)
    yield port
    server.terminate()
    server.wait()


@pytest.mark.parametrize("path", ["/en/", "/admin/login/"])
def test_the_embedded_server_answers_a_50_mb_body_with_413(embedded_server, path):
    """The refusal is a response wsgiref accepts: no hop-by-hop header, no 500."""
    connection = http.client.HTTPConnection("127.0.0.1", embedded_server, timeout=60)
    connection.request(
        "POST",
        path,
        body=b"x" * FIFTY_MB,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    assert response.status == 413
    assert "64.0" in response.read().decode()
