"""/healthz for the load balancer, and 503 pages when the database is down."""

import os
import signal
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from .conftest import publish
from .stack import DEAD_REDIS


@pytest.fixture
def database_down():
    """Every query fails as it does when PostgreSQL cannot be reached."""
    error = OperationalError("connection refused")
    with mock.patch.object(connection, "cursor", side_effect=error):
        yield


def test_healthy(db, client):
    """Database and cache reachable: 200."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_database_down_is_unhealthy(db, client, database_down):
    """Database unreachable: 503, saying which part is down."""
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response["Retry-After"]


@override_settings(CACHES=DEAD_REDIS)
def test_cache_down_is_reported_degraded_and_the_server_stays_healthy(db, client):
    """Redis unreachable: 200, the cache reported degraded; pages still render."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


def test_a_hung_cache_is_reported_degraded(db, client, shared_cache, redis_server):
    """Redis stopped (SIGSTOP) mid-run: 200 with the cache degraded, no 503."""
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}
    os.kill(redis_server.process.pid, signal.SIGSTOP)
    try:
        response = client.get("/healthz")
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


def test_health_check_refuses_a_post(db, client):
    """Only GET and HEAD."""
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(("path", "language"), [("/en/", "en"), ("/es/", "es")])
def test_pages_answer_503_in_the_readers_language_with_the_database_down(
    db, client, database_down, path, language
):
    """A visitor is asked to come back shortly, in her language, not shown a 500."""
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert f'<html lang="{language}">' in response.content.decode()


def test_the_503_page_in_spanish_says_so_in_spanish(db, client, database_down):
    """The Spanish page explains the outage in Spanish first."""
    client.raise_request_exception = False
    response = client.get("/es/")
    assert "no está disponible" in response.content.decode()


def test_other_errors_stay_500(db, client):
    """Only an unreachable database is a 503; a bug is still a 500."""
    client.raise_request_exception = False
    with mock.patch(
        "reviews.public.views.render_snapshot", side_effect=ValueError("bug")
    ):
        from reviews.models import Snapshot

        publish(
            Snapshot.objects.create(
                slug="s",
                number=1,
                series_en="S",
                series_es="S",
                title_en="T",
                title_es="T",
            )
        )
        response = client.get("/en/")
    assert response.status_code == 500
