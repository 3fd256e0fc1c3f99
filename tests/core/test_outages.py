"""When the database is down readers get a calm 503 that says when to retry, never a 500
traceback, and the site comes back by itself."""

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.factories import make_feature


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(reader, monkeypatch):
    feature = make_feature()
    urls = ["/", feature.get_absolute_url(), feature.guests[0].person.get_absolute_url()]

    def unreachable(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        assert response["Cache-Control"] == "no-store"
        assert "Back in a moment" in response.content.decode()
        assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_any_other_failure_is_a_calm_500(reader, monkeypatch):
    from features.models import FeatureQuerySet

    monkeypatch.setattr(FeatureQuerySet, "published", lambda self: 1 / 0)
    response = reader.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stops the database server's connections; SQLite has no server to lose",
)
def test_the_site_comes_back_by_itself_when_postgresql_does(reader):
    feature = make_feature()
    assert reader.get(feature.get_absolute_url()).status_code == 200
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: as good as down
    try:
        assert reader.get(feature.get_absolute_url()).status_code == 503
    finally:
        connection.settings_dict["PORT"] = real_port
    assert reader.get(feature.get_absolute_url()).status_code == 200
