"""/healthz, for load balancers: can this app server answer pages?"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache both answer, 503 when either does not, with which
    one in the JSON (the error itself goes to the log, not to whoever asks). Costs one query,
    `SELECT 1`, and one cache write; the page cache leaves this path alone."""
    works = {"database": answers("database", select_one), "cache": answers("cache", write_cache)}
    healthy = all(works.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if ok else "error" for name, ok in works.items()},
        },
        status=200 if healthy else 503,
    )


def answers(name: str, probe: Callable[[], None]) -> bool:
    try:
        probe()
    except Exception:
        logger.exception("Health check: the %s does not answer.", name)
        return False
    return True


def select_one() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def write_cache() -> None:
    cache.set("healthz", "ok", timeout=10)
