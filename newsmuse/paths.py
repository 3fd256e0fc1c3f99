"""Addresses of pages by URL name, reversed once per process.

``reverse()`` matches the name against the URLconf on every call, and a feature page links
to some thirty people, films and pieces. ``path_to`` remembers what it reversed, keyed by
all that ``reverse()`` reads besides its arguments (the URLconf and the script prefix), so a
test with a URLconf of its own, or a site served under a sub-path, gets its own addresses.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def path_to(name: str, *args) -> str:
    """``reverse(name, args=args)``, remembered."""
    return _reversed(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, args)


@lru_cache(maxsize=16384)
def _reversed(urlconf: str, script_prefix: str, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)
