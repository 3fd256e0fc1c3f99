"""Database helpers the apps share."""

import copy
import signal
import threading
import zlib
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.models import Aggregate, JSONField, QuerySet, Subquery
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


def attach(instance, relation: str, rows) -> None:
    """Give ``instance`` the rows of its ``relation`` (a reverse foreign key or a many-to-many
    field), loaded some other way, as ``prefetch_related`` would: ``.all()`` returns them
    with no query, while ``filter()`` and the like still query this instance's rows only."""
    queryset = getattr(instance, relation).get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation] = queryset


class Prepared:
    """A query compiled to SQL once per process and database, then run with new values.

    Building a queryset and compiling it runs thousands of lines of Python each time, and
    for the queries a public page runs on every request that costs more than the database
    takes to answer them. ``Prepared(build, slug=str, now=datetime)`` calls ``build`` once
    per database with a stand-in for each value, keeps the SQL it compiles to, and each
    call after that only puts the values in::

        by_slug = Prepared(lambda slug: Film.objects.filter(slug=slug), slug=str)
        films = by_slug(slug="a-million-miles-away")

    The SQL must be the same whatever the values: ``build`` uses each value only as a
    parameter compared as it is (``filter(slug=slug)``, not ``slug__icontains``), never to
    choose the query's shape, and anything that may change between calls (the time, the
    id of a row) is a value, not a constant of ``build``. Calls return a list of what the
    queryset would give (instances with their ``select_related`` and annotations, or
    ``values()`` dicts); ``prefetch_related`` is refused, as it runs queries of its own.
    """

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        for name, kind in kinds.items():
            if kind not in _STAND_INS:
                raise TypeError(f"{name}: a prepared value is a str, an int or a datetime")
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected the values {sorted(self.kinds)}, got {sorted(values)}")
        for name, value in values.items():
            kind = self.kinds[name]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise TypeError(f"{name} must be of type {kind.__name__}, not {value!r}")
        compiled = self._compiled.get(using) or self._compile(using)
        database = connections[using]
        params = list(compiled.params)
        for index, name, wrapper in compiled.slots:
            value = _adapt(database, values[name])
            params[index] = wrapper(value) if wrapper else value
        compiler = copy.copy(compiled.compiler)
        compiler.connection = database
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        compiler.get_converters = lambda expressions: compiled.converters
        query = _CompiledQuery(compiled.queryset.query, compiler)
        queryset = QuerySet(compiled.queryset.model, query=query, using=using)
        queryset._iterable_class = compiled.queryset._iterable_class
        queryset._fields = compiled.queryset._fields
        return list(queryset)

    def _compile(self, using: str) -> "_Compiled":
        stand_ins = {
            name: _STAND_INS[kind](number) for number, (name, kind) in enumerate(self.kinds.items())
        }
        queryset = self.build(**stand_ins)
        if queryset._prefetch_related_lookups:
            raise ValueError("A prepared query cannot prefetch: prefetches are queries too.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        # How each column's values are turned into Python's, as the compiler works them out
        # for each run; bound to this thread's connection, whose settings all share.
        converters = compiler.get_converters([column for column, *_ in compiler.select])
        database = connections[using]
        adapted = {name: _adapt(database, stand_in) for name, stand_in in stand_ins.items()}
        # A parameter may come wrapped in a type of the driver's that says how to send it
        # (psycopg's Int4 for an integer column): the value put in its place is wrapped alike.
        slots = tuple(
            (index, name, None if type(param) is type(stand_in) else type(param))
            for index, param in enumerate(params)
            for name, stand_in in adapted.items()
            if isinstance(param, type(stand_in)) and param == stand_in
        )
        if unused := self.kinds.keys() - {name for _, name, _ in slots}:
            raise ValueError(f"The prepared query does not use {sorted(unused)} as parameters.")
        compiled = _Compiled(queryset, compiler, converters, sql, tuple(params), slots)
        self._compiled[using] = compiled
        return compiled


# Stand-ins no real query parameter equals: a string no one types, integers in the range of
# every integer column, times at the start of 1901.
_STAND_INS = {
    str: lambda number: f"\x1fprepared value {number}\x1f",
    int: lambda number: 2_000_000_011 + number,
    datetime: lambda number: datetime(1901, 1, 1, 0, 0, number, 271_828, tzinfo=UTC),
}


def _adapt(database, value):
    """A value as the database's compiler puts it in the parameters."""
    if isinstance(value, datetime):
        return database.ops.adapt_datetimefield_value(value)
    return value


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    converters: dict
    sql: str
    params: tuple
    # (index in params, the value's name, the driver's wrapper for it or None)
    slots: tuple[tuple[int, str, type | None], ...]


class _CompiledQuery:
    """The prepared query as its QuerySet sees it when it runs: the original query (which
    ``values()`` reads its column names from) whose compiler is the one already set up."""

    def __init__(self, query, compiler):
        self.query = query
        self.compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler

    def __getattr__(self, name):
        return getattr(self.query, name)
