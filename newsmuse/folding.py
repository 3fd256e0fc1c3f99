"""Text compared the way people type it: without accents and without case.

``fold`` does it in Python; the ``folded`` lookup (``name__folded__contains``) does the same
in SQL on both databases: PostgreSQL's unaccent extension (migration 0005) with lower(), and
on SQLite ``fold`` itself, registered on every new connection as NEWSMUSE_FOLD.
"""

import unicodedata

from django.db.models import CharField, TextField, Transform

# Letters that do not decompose into a plain letter and an accent, but that PostgreSQL's
# unaccent still maps to plain letters: both sides must agree.
PLAIN_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


def fold(text: str | None) -> str | None:
    """“José Hernández” → “jose hernandez”."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(PLAIN_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


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
