"""When the database is down readers get a calm 503 that says when to retry, never a 500
traceback, and the site comes back by itself."""

import socket
import threading

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


class PausableRelay:
    """A loopback TCP relay in front of PostgreSQL that can stop passing bytes on, which
    is how a paused or hung server looks to its clients: connections stay open and the
    kernel acknowledges every packet, but no answer comes back.

    It resumes by itself after ``give_up_after`` seconds, so a request that is not
    bounded finishes late with a 200 (and the test fails) instead of hanging the suite.
    """

    def __init__(self, host: str, port: int, give_up_after: float = 20.0):
        self.upstream = (host, port)
        self.give_up_after = give_up_after
        self.flowing = threading.Event()
        self.flowing.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def pause(self) -> None:
        self.flowing.clear()
        threading.Timer(self.give_up_after, self.flowing.set).start()

    def resume(self) -> None:
        self.flowing.set()

    def close(self) -> None:
        self.flowing.set()
        for sock in self.sockets:
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.flowing.wait()
                target.sendall(data)
        except OSError:
            pass
        finally:
            target.close()


@pytest.fixture
def relayed_database(settings):
    """The test connection, reopened through a PausableRelay."""
    settings.DATABASE_QUERY_TIMEOUT = 1
    real = dict(connection.settings_dict)
    relay = PausableRelay(real["HOST"] or "127.0.0.1", int(real["PORT"] or 5432))
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(relay.port))
    connection.settings_dict["OPTIONS"] = {**real["OPTIONS"], "connect_timeout": 1}
    try:
        yield relay
    finally:
        relay.close()
        connection.close()
        connection.settings_dict.update(real)
        with connection.cursor() as cursor:  # the abandoned sessions, gone before teardown
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pauses the database server; SQLite is a file, with no server to pause",
)


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_paused_database_is_a_503_in_seconds_and_the_site_recovers(reader, relayed_database):
    feature = make_feature()
    url = feature.get_absolute_url()
    assert reader.get(url).status_code == 200  # the connection is open, and kept

    relayed_database.pause()
    response = reader.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert connection.connection is None  # abandoned: its state is unknown
    assert reader.get(url).status_code == 503  # a new connection cannot start either

    relayed_database.resume()
    assert reader.get(url).status_code == 200


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_health_check_of_a_reused_connection_is_bounded_too(reader, relayed_database):
    feature = make_feature()
    url = feature.get_absolute_url()
    assert reader.get(url).status_code == 200
    # What a server does between two requests: the kept connection is checked again
    # before its next query (CONN_HEALTH_CHECKS), with a SELECT 1 no deadline covers.
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is not None and not connection.health_check_done

    relayed_database.pause()
    assert reader.get(url).status_code == 503
    relayed_database.resume()
    assert reader.get(url).status_code == 200
