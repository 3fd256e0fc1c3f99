"""/healthz tells a load balancer whether this app server can answer pages."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

URL = "/healthz"

CLOSED_PORT_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_healthy_when_the_database_and_the_cache_answer(client, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:  # SELECT 1
        response = client.get(URL)
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_never_cached_nor_kept_by_the_page_cache(client, django_assert_num_queries):
    client.get(URL)
    with django_assert_num_queries(1):  # SELECT 1 again: no page cache version read, no hit
        response = client.get(URL)
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response and "X-Accel-Expires" not in response


@override_settings(CACHES=CLOSED_PORT_CACHE)
def test_unavailable_when_the_cache_does_not_answer(client):
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "error"}
    assert "no-store" in response["Cache-Control"]


def test_unavailable_when_the_database_does_not_answer(client, caplog):
    with mock.patch("newsmuse.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error", "cache": "ok"}
    # The reason goes to the log, not to whoever asked.
    assert "connection refused" not in response.content.decode()
    assert "Health check: the database does not answer." in caplog.text
    assert "OperationalError: connection refused" in caplog.text
