"""Editors saving at the same moment get a clear message, never a 500."""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from features import services
from features.content import FeatureContent
from features.models import Feature

pytestmark = [
    pytest.mark.django_db(transaction=True),
]

TOGETHER = 10


def all_at_once(work):
    """work(n) in TOGETHER threads released at the same moment, each with its own
    connection; what each returned, or the name of what it raised."""
    start = threading.Barrier(TOGETHER)
    outcomes = [None] * TOGETHER

    def run(n):
        try:
            start.wait()
            outcomes[n] = work(n)
        except Exception as error:
            outcomes[n] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(TOGETHER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_saves_claiming_one_slug_at_once_give_one_feature_and_slug_messages():
    def save(n):
        try:
            services.save_feature(
                user=None, content=FeatureContent(headline=f"Take {n}", slug="same-slug")
            )
        except ValidationError as error:
            return f"refused: {sorted(error.message_dict)}"
        return "saved"

    outcomes = all_at_once(save)
    assert outcomes == {"saved": 1, "refused: ['slug']": TOGETHER - 1}
    assert Feature.objects.filter(slug="same-slug").count() == 1


def test_admin_adds_with_one_slug_at_once_give_one_feature_and_form_errors(django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
    clients = [Client(raise_request_exception=False) for _ in range(TOGETHER)]
    for client in clients:
        client.force_login(editor)

    def add(n):
        response = clients[n].post(
            reverse("admin:features_feature_add"),
            {
                "headline": f"Take {n}",
                "slug": "same-slug",
                "participants-TOTAL_FORMS": "0",
                "participants-INITIAL_FORMS": "0",
            },
        )
        if response.status_code != 200:
            return response.status_code
        errors = response.context["adminform"].form.errors
        return "slug taken" if "already exists" in str(errors.get("slug")) else str(errors)

    outcomes = all_at_once(add)
    assert outcomes == {302: 1, "slug taken": TOGETHER - 1}
    assert Feature.objects.filter(slug="same-slug").count() == 1
