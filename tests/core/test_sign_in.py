"""Guessing passwords gets nowhere: sign-in pauses after five wrong ones."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "a-long-passphrase"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "e@example.com", PASSWORD)


def sign_in(client, password, username="editor", address="203.0.113.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def test_five_wrong_passwords_pause_sign_in_even_with_the_right_one(client, editor):
    for _ in range(4):
        assert sign_in(client, "guess").status_code == 200  # the form, with its error
    assert sign_in(client, "guess").status_code == 429  # the fifth pauses sign-in
    paused = sign_in(client, PASSWORD)
    assert paused.status_code == 429
    assert "Sign-in paused" in paused.content.decode()
    assert "15 minutes" in paused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_pause_counts_by_user_name_from_any_address(client, editor):
    for n in range(5):
        sign_in(client, "guess", address=f"198.51.100.{n}")
    assert sign_in(client, PASSWORD, address="192.0.2.1").status_code == 429


def test_the_pause_counts_by_address_across_user_names(client, editor):
    for n in range(5):
        sign_in(client, "guess", username=f"someone{n}")
    assert sign_in(client, PASSWORD).status_code == 429
    assert sign_in(client, PASSWORD, address="192.0.2.1").status_code == 302


def test_staff_see_the_attempts_and_a_command_lifts_the_pause(client, editor, django_user_model):
    for _ in range(5):
        sign_in(client, "guess")
    chief = django_user_model.objects.create_superuser("chief", "c@example.com", "x")
    client.force_login(chief)
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "203.0.113.7" in attempts.content.decode()
    client.logout()
    call_command("axes_reset_username", "editor", stdout=io.StringIO())
    assert sign_in(client, PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_it_saw_counts_not_what_the_client_claims(
    client, editor, settings
):
    settings.TRUSTED_PROXIES = 1
    for n in range(5):
        sign_in(
            client,
            "guess",
            username=f"someone{n}",
            address="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7",  # the first part is made up
        )
    paused = sign_in(
        client, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.7"
    )
    assert paused.status_code == 429
