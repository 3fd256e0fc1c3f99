"""Text compared the way people type it: without accents and without case.

``fold`` does it in Python; the ``folded`` lookup (``name__folded__contains``) does the same
in SQL on both databases: PostgreSQL's unaccent extension (migration 0005) with lower(), and
on SQLite ``fold`` itself, registered on every new connection as NEWSMUSE_FOLD.
"""

from django.db.models import CharField, TextField, Transform

from .text import unaccent


def fold(text: str | None) -> str | None:
    """“José Hernández” → “jose hernandez”, exactly as LOWER(UNACCENT()) does it."""
    return None if text is None else unaccent(text).lower()


class Folded(Transform):
    lookup_name = "folded"
    function = "NEWSMUSE_FOLD"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="LOWER(UNACCENT(%(expressions)s))", **extra_context
        )


def register_lookup() -> None:
    CharField.register_lookup(Folded)
    TextField.register_lookup(Folded)


def add_sqlite_function(sender, connection, **kwargs) -> None:
    """A ``connection_created`` receiver: gives SQLite the function the lookup calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("NEWSMUSE_FOLD", 1, fold, deterministic=True)
