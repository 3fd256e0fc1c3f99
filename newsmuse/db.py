"""Database helpers the apps share."""

import signal
import threading
import zlib
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.db import OperationalError, connection, connections
from django.db.models import Aggregate, JSONField, Subquery
from django.db.models.functions import JSONObject


def take_turns(name: str) -> None:
    """Hold the lock called ``name`` until the transaction ends, so that requests which
    check something and then write it (a free slug, say) do so one after another.

    PostgreSQL takes a transaction-scoped advisory lock. SQLite needs none: its writers
    already take turns, each transaction starting with the write lock (IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])


class DatabaseTimeout(OperationalError):
    """PostgreSQL did not answer in time; newsmuse.errors answers the request with a 503."""


class DatabaseDeadlineMiddleware:
    """Bounds how long a request waits for PostgreSQL to answer: settings.DATABASE_QUERY_TIMEOUT
    seconds for each query, and a short health check before an open connection is reused.

    A paused or hung server keeps its connections open and the kernel keeps acknowledging
    what is sent, so no TCP timeout fires, and ``statement_timeout`` is enforced by the very
    server that is not running: without this, such a request waits until gunicorn kills
    the worker. When the timer rings, the query is abandoned and the connection closed (its
    state is unknown); the next request opens a new one, within ``connect_timeout``.

    Interval timers ring in the main thread only, which is where gunicorn's sync workers
    and the test client serve requests; threaded development servers are not bounded.
    SQLite needs none of this: it is a file, not a server that can stop answering.
    """

    # A health check is one ``SELECT 1``; one that takes longer than this costs a
    # reconnect, not an error.
    HEALTH_CHECK_SECONDS = 2.0

    def __init__(self, get_response):
        self.get_response = get_response
        self.waiting = False

    def __call__(self, request):
        seconds = settings.DATABASE_QUERY_TIMEOUT
        servers = [db for db in connections.all() if db.vendor == "postgresql"]
        if not seconds or not servers or threading.current_thread() is not threading.main_thread():
            return self.get_response(request)
        previous = signal.signal(signal.SIGALRM, self.ring)
        try:
            with ExitStack() as bounded:
                for db in servers:
                    self.check_health(db)
                    bounded.enter_context(db.execute_wrapper(self.bounded_query))
                return self.get_response(request)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def ring(self, signum, frame):
        if self.waiting:
            raise DatabaseTimeout("The database did not answer in time.")

    @contextmanager
    def waiting_at_most(self, seconds: float, db):
        self.waiting = True
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        except DatabaseTimeout:
            db.close()
            raise
        finally:
            self.waiting = False
            signal.setitimer(signal.ITIMER_REAL, 0)

    def check_health(self, db) -> None:
        """Run Django's health check of a reused connection (CONN_HEALTH_CHECKS) now,
        under a deadline: left to Django it would run unbounded before the first query."""
        try:
            with self.waiting_at_most(self.HEALTH_CHECK_SECONDS, db):
                db.close_if_health_check_failed()
        except DatabaseTimeout:
            pass  # closed: the first query connects afresh, or fails with a 503

    def bounded_query(self, execute, sql, params, many, context):
        with self.waiting_at_most(settings.DATABASE_QUERY_TIMEOUT, context["connection"]):
            return execute(sql, params, many, context)


class JSONList(Aggregate):
    """The grouped values as one JSON array, on SQLite and PostgreSQL alike: with
    ``JSONObject`` it brings a row's small related records (its tags, say) in the row's
    own query, where a prefetch would cost a query and a model instance for each.
    The array's order is the database's; sort it in Python."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset, *, group_by: str, **fields) -> Subquery:
    """A subquery giving, for each row of the outer query, the rows of ``queryset`` (which
    refers to the outer row with ``OuterRef``) as a JSON list of objects with ``fields``
    (name=lookup); NULL when there are none."""
    rows = queryset.order_by().values(group_by).annotate(rows=JSONList(JSONObject(**fields)))
    return Subquery(rows.values("rows"))
