import sqlite3

import pytest
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from newsmuse.backends.sqlite3.base import LONGEST_REMEMBERED_QUERY, CursorWrapper, in_qmark_style

QUERIES = [
    "SELECT 1",
    'SELECT "a" FROM "t" WHERE "b" = %s AND "c" IN (%s, %s)',
    "SELECT '100%%' WHERE x LIKE %s ESCAPE '\\\\'",
    "SELECT '%%s is text, not a parameter', %s",
]


@pytest.fixture
def cursors():
    database = sqlite3.connect(":memory:")
    yield database.cursor(factory=SQLiteCursorWrapper), database.cursor(factory=CursorWrapper)
    database.close()


@pytest.mark.parametrize("query", QUERIES)
def test_queries_are_written_for_sqlite_as_djangos_backend_writes_them(cursors, query):
    djangos, ours = cursors
    assert ours.convert_query(query) == djangos.convert_query(query)
    assert ours.convert_query(query) == djangos.convert_query(query)  # and when remembered


def test_named_parameters_are_converted_every_time(cursors):
    djangos, ours = cursors
    query = "SELECT %(first)s, %(second)s"
    assert ours.convert_query(query, param_names=["first", "second"]) == "SELECT :first, :second"
    assert djangos.convert_query(query, param_names=["first", "second"]) == "SELECT :first, :second"


def test_a_query_is_converted_once_however_often_it_runs(cursors):
    _, ours = cursors
    query = "SELECT %s + %s -- run many times"
    in_qmark_style.cache_clear()
    for number in range(5):
        assert ours.execute(query, [number, 1]).fetchone() == (number + 1,)
    assert in_qmark_style.cache_info().misses == 1
    assert in_qmark_style.cache_info().hits == 4


def test_long_one_off_queries_are_converted_but_not_kept(cursors):
    djangos, ours = cursors
    query = "SELECT %s" + " " * LONGEST_REMEMBERED_QUERY
    in_qmark_style.cache_clear()
    assert ours.convert_query(query) == djangos.convert_query(query)
    assert in_qmark_style.cache_info().currsize == 0
