"""Sign-in throttling: repeated wrong passwords lock the account for that address."""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD


def sign_in(client, password, address="203.0.113.5", language="en"):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        headers={"accept-language": language},
    )


def fail_until_locked(client, address="203.0.113.5"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-password", address)


def test_a_few_wrong_passwords_are_answered_with_the_form(editor, client):
    """Below the limit, a wrong password shows the form again; the right one works."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong-password").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_after_the_limit_even_the_right_password_is_refused(editor, client):
    """Once locked, the right password does not sign in, and says why."""
    fail_until_locked(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert b"locked" in response.content
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_lock_out_message_is_in_the_readers_language(editor, client):
    """A Spanish reader is told in Spanish."""
    fail_until_locked(client)
    response = sign_in(client, PASSWORD, language="es")
    assert response.status_code == 429
    assert "bloqueada" in response.content.decode()


def test_the_lock_is_per_user_and_address(editor, client):
    """The same user from another address can still sign in."""
    fail_until_locked(client, "203.0.113.5")
    assert sign_in(Client(), PASSWORD, "198.51.100.7").status_code == 302


def test_failures_are_logged(editor, client, caplog):
    """Each failed sign-in is written to the log with the user name."""
    with caplog.at_level(logging.WARNING, logger="axes"):
        sign_in(client, "wrong-password")
    assert "editor" in caplog.text
    assert "203.0.113.5" in caplog.text


def test_an_administrator_unlocks_from_the_admin(editor, client, admin_client):
    """Deleting the access attempt in the admin lets the user sign in again."""
    fail_until_locked(client)
    attempt = AccessAttempt.objects.get(username="editor")
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin_client.get(changelist).status_code == 200
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert sign_in(client, PASSWORD).status_code == 302


def test_an_editor_cannot_unlock(editor, client, editor_client):
    """Only administrators see the access attempts."""
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert editor_client.get(changelist).status_code == 403


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.2"),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
    ],
)
def test_the_address_is_the_one_the_outermost_proxy_saw(
    settings, rf, proxies, forwarded, expected
):
    """Addresses a client writes into X-Forwarded-For itself are ignored."""
    from reviews.ops.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
