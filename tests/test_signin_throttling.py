"""Sign-in throttling: wrong passwords lock a name from an address, or the address."""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD


def sign_in(
    client,
    password,
    address="203.0.113.5",
    language="en",
    username="editor",
    **headers,
):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        headers={"accept-language": language, **headers},
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
        (1, "2001:db8::1", "2001:db8::1"),
        # Fewer hops than proxies, or a hop that is not a bare address: the
        # nearest proxy's address, never a guess.
        (2, "1.2.3.4", "10.0.0.2"),
        (1, "10.0.0.1:1234", "10.0.0.2"),
        (1, "1.2.3.4, not-an-ip", "10.0.0.2"),
        (1, "1.2.3.4, ", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_address_is_the_one_the_outermost_proxy_saw(
    settings, rf, proxies, forwarded, expected
):
    """Addresses a client writes into X-Forwarded-For itself are ignored."""
    from reviews.ops.signin import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


PROXY = "10.0.0.2"


def through_proxy(password, client_address, written_by_client="", **options):
    """Sign in through one proxy, which appends the address it saw."""
    forwarded = ", ".join(filter(None, [written_by_client, client_address]))
    return sign_in(Client(), password, PROXY, x_forwarded_for=forwarded, **options)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_a_proxy_a_stranger_cannot_lock_the_user_out(editor, one_proxy):
    """Failures from one client lock that client; the user signs in from hers."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("wrong-password", "198.51.100.66")
    assert through_proxy(PASSWORD, "198.51.100.66").status_code == 429
    assert through_proxy(PASSWORD, "203.0.113.5").status_code == 302


def test_behind_a_proxy_a_spoofed_address_does_not_escape_the_lock(editor, one_proxy):
    """Rotating what the client writes in X-Forwarded-For changes nothing."""
    responses = [
        through_proxy("wrong-password", "198.51.100.66", f"192.0.2.{n}")
        for n in range(settings.AXES_FAILURE_LIMIT + 7)
    ]
    assert [r.status_code for r in responses].count(429) == 8
    assert through_proxy(PASSWORD, "198.51.100.66", "192.0.2.200").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "198.51.100.66"
    }


@pytest.mark.parametrize("hop", ["10.0.0.1:1234", "not-an-ip", "[::1]:80", "1.2.3"])
def test_a_malformed_hop_counts_as_the_proxys_address(editor, one_proxy, hop):
    """A last hop that is not an address is refused as one, never a 500."""
    statuses = [
        through_proxy("wrong-password", hop).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert through_proxy(PASSWORD, hop).status_code == 429
    assert AccessAttempt.objects.get().ip_address == PROXY


def test_trying_many_user_names_from_one_address_is_throttled(editor):
    """Password spraying: past the address's limit every name is refused."""
    statuses = [
        sign_in(Client(), "Summer2026!", username=f"user{n}").status_code
        for n in range(30)
    ]
    limit = settings.SIGNIN_ADDRESS_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    assert sign_in(Client(), PASSWORD).status_code == 429
    assert sign_in(Client(), PASSWORD, "198.51.100.7").status_code == 302


def test_signing_in_does_not_clear_the_addresss_other_failures(editor):
    """A sprayer's own account cannot reset the count of the names it tried."""
    limit = settings.SIGNIN_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        sign_in(Client(), "wrong-password", username=f"user{n}")
    assert sign_in(Client(), PASSWORD).status_code == 302
    assert sign_in(Client(), "wrong-password", username="one-more").status_code == 429
