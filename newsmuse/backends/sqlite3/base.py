"""Django's SQLite backend, converting each distinct SQL text to SQLite's style once.

Django writes parameters as ``%s`` and its SQLite cursor rewrites them as ``?`` with a
regular expression on every query it runs. A public page runs the same few queries on every
request (``newsmuse.db.Prepared``), some of them several kilobytes long, and rewriting them
cost more than a tenth of an uncached feature page. The rewritten text depends on the text
alone, so it is remembered; settings.py selects this backend for ``sqlite://`` databases.
"""

from functools import lru_cache

from django.db.backends.sqlite3 import base

# Pages run a few hundred distinct queries, none longer than a few kilobytes; bulk inserts
# write long one-off texts that are not worth keeping.
REMEMBERED_QUERIES = 512
LONGEST_REMEMBERED_QUERY = 16_384


@lru_cache(maxsize=REMEMBERED_QUERIES)
def in_qmark_style(query: str) -> str:
    """``query`` with ``?`` for each ``%s`` and ``%`` for each ``%%``, as Django's
    ``SQLiteCursorWrapper.convert_query`` writes it."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= LONGEST_REMEMBERED_QUERY:
            return in_qmark_style(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)
