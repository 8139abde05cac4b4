"""Security headers: a Content-Security-Policy without inline code, HSTS, HTTPS."""

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from reviews.ops.middleware import style_attribute_allowed

from .pages import style_attributes

ROOT = Path(__file__).resolve().parent.parent


def policy(response):
    """The policy as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/es/",
        "/admin/",
        "/admin/reviews/snapshot/",
        "/admin/reviews/conclusion/import/",
    ],
)
def test_every_page_has_a_policy_without_inline_code(seed, admin_client, path):
    """No page, public or admin, allows inline scripts, eval or inline styles."""
    response = admin_client.get(path)
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_the_export_form_allows_only_its_own_event_handler(seed, admin_client):
    """import-export's one inline handler is allowed by its hash, nothing else."""
    response = admin_client.get("/admin/reviews/conclusion/export/")
    assert 'onchange="onSelectToggleChange(event)"' in response.content.decode()
    scripts = policy(response)["script-src"]
    assert scripts == [
        "'self'",
        "'unsafe-hashes'",
        "'sha256-{}'".format(
            base64.b64encode(
                hashlib.sha256(b"onSelectToggleChange(event)").digest()
            ).decode()
        ),
    ]


@override_settings(CSP_EVENT_HANDLERS=())
def test_an_event_handler_not_named_in_settings_gets_no_hash(seed, admin_client):
    """Inline code is only allowed when settings name it."""
    response = admin_client.get("/admin/reviews/conclusion/export/")
    assert policy(response)["script-src"] == ["'self'"]


def test_the_sign_in_page_has_the_policy(db, client):
    """The admin's sign-in page, seen before anyone signs in, has it too."""
    response = client.get(reverse("admin:login"))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy(response)["script-src"] == ["'self'"]


def test_the_public_page_needs_no_inline_style(seed, client):
    """Its charts draw with SVG attributes: styles come from the stylesheet alone."""
    response = client.get("/en/")
    assert policy(response)["style-src"] == ["'self'"]
    assert not style_attributes(response.content.decode())


@pytest.mark.parametrize(
    "value",
    [
        "--days: 75",
        "grid-column: span 31",
        "grid-column: 3 / 10",
        "padding: 0;",
        "font-weight: bold;",
    ],
)
def test_geometry_style_attributes_are_allowed(value):
    """The properties the pages set inline are allowed."""
    assert style_attribute_allowed(value)


@pytest.mark.parametrize(
    "value",
    [
        "background: url(https://attacker.example/leak)",
        "grid-column: 1 / 2; background-image: url(x)",
        "color: red",
        "--days: 1; position: fixed",
        "grid-column: expression(alert(1))",
        "grid-column: '1'",
        "",
    ],
)
def test_other_style_attributes_are_not_allowed(value):
    """A style attribute that sets anything else, or loads anything, gets no hash."""
    assert not style_attribute_allowed(value)


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_behind_a_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(seed, client):
    """HTTP goes to HTTPS; HTTPS (as the proxy says) carries HSTS."""
    insecure = client.get("/en/")
    assert insecure.status_code == 301
    assert insecure["Location"].startswith("https://")
    secure = client.get("/en/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_check_is_answered_over_plain_http(db, client):
    """The load balancer's health check is not redirected to HTTPS."""
    assert client.get("/healthz").status_code == 200


def production_environment(**extra):
    environment = {
        name: value
        for name, value in os.environ.items()
        # Set for the browser tests only; the deployment check refuses it.
        if name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {
        **environment,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "a-production-like-secret-" + "k" * 40,
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///unused.sqlite3"),
        "DJANGO_BEHIND_TLS_PROXY": "true",
        **extra,
    }


def test_deployment_checks_pass_with_production_settings():
    """`check --deploy --fail-level WARNING` passes as a deployment runs it."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_malformed_setting():
    """A yes/no variable with another value stops the site instead of guessing."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_environment(DJANGO_SSL_REDIRECT="maybe"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SSL_REDIRECT must be true or false" in result.stderr
