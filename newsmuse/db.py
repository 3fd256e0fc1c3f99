"""Database helpers the apps share."""

import zlib

from django.db import connection


def take_turns(name: str) -> None:
    """Hold the lock called ``name`` until the transaction ends, so that requests which
    check something and then write it (a free slug, say) do so one after another.

    PostgreSQL takes a transaction-scoped advisory lock. SQLite needs none: its writers
    already take turns, each transaction starting with the write lock (IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])
