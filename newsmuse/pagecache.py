"""The page cache: anonymous GETs of public pages are kept in Django's cache, never stale.

Every cached page is filed under the *content version*, a counter in the database that any
write to what pages show moves on, in the same transaction as the write: each app declares
the models its pages show with ``watch()`` in its ``AppConfig.ready()``. Writes that send no
model signals (``QuerySet.update()``, ``bulk_create()``) call ``content_changed()`` themselves.

What changes by the clock alone — a scheduled piece going live, a watch option's window
opening or closing — is declared with ``register_clock()``. A page's key also holds the latest
such moment that has passed, so a scheduled piece appears at its time and not a second
before, with no job to run.

Responses carry ``ETag`` and ``Last-Modified`` and answer conditional GETs with 304; public
pages send ``Cache-Control`` that lets a CDN or nginx keep them for a second and revalidate,
so shared caches never lag a change by more than that. Requests with a session cookie (staff,
previews), the admin and any response a view marks private are neither cached nor cacheable.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from .models import ContentVersion

# When the clock next changes a page, and the latest moment it did (either may be None).
Clock = Callable[[datetime], tuple[datetime | None, datetime | None]]

_clocks: list[Clock] = []


def watch(*watched: type[models.Model]) -> None:
    """Make every save or delete of these models (and changes to these many-to-many
    through models) refresh every cached page."""
    for model in watched:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=uid)
        m2m_changed.connect(_m2m_changed, sender=model, weak=False, dispatch_uid=uid)


def register_clock(clock: Clock) -> None:
    """Declare content that pages show differently as time passes. ``clock(now)`` returns
    ``(last, next)``: the latest such moment at or before ``now`` and the first after it."""
    if clock not in _clocks:
        _clocks.append(clock)


def content_changed() -> None:
    """Move the content version on: every page is made afresh on its next request. Runs in
    the caller's transaction, so readers see the new version exactly when they see the write."""
    changed = ContentVersion.objects.filter(pk=ContentVersion.ROW).update(
        version=models.F("version") + 1, changed=_unix_now()
    )
    if not changed:
        with transaction.atomic():
            ContentVersion.objects.get_or_create(
                pk=ContentVersion.ROW, defaults={"version": 1, "changed": _unix_now()}
            )


def _changed(sender, raw=False, **kwargs):
    content_changed()


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed()


@dataclass(frozen=True)
class State:
    """What a page's cache key and validators depend on, read once per request."""

    version: int
    changed: int  # Unix time of the last content change
    clock: float | None  # the latest clock moment that has passed

    @property
    def last_modified(self) -> int:
        """When pages last changed, by a write or by the clock (a piece going live)."""
        return max(self.changed, int(self.clock or 0))


def current_state() -> State:
    """The content version (one small query, written by hand: it runs on every request)
    and the clock, computed once per version and kept in the cache until it next moves."""
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed FROM {table} WHERE id = %s", [ContentVersion.ROW])
        row = cursor.fetchone()
    version, changed = row or (0, 0)
    cache = caches[settings.PAGE_CACHE_ALIAS]
    moment = timezone.now()
    now = moment.timestamp()
    key = f"pageclock:{version}"
    clock = cache.get(key)
    if clock is None or (clock[1] is not None and clock[1] <= now):
        clock = _read_clocks(moment)
        timeout = settings.PAGE_CACHE_SECONDS
        if clock[1] is not None:
            timeout = max(0.001, min(timeout, clock[1] - now))
        cache.set(key, clock, timeout)
    return State(version=version, changed=changed, clock=clock[0])


def _unix_now() -> int:
    return int(timezone.now().timestamp())


def _read_clocks(now: datetime) -> tuple[float | None, float | None]:
    lasts, nexts = [], []
    for clock in _clocks:
        last, upcoming = clock(now)
        if last is not None:
            lasts.append(last.timestamp())
        if upcoming is not None:
            nexts.append(upcoming.timestamp())
    return max(lasts, default=None), min(nexts, default=None)


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache, and set their HTTP validators.

    Sits near the top of ``MIDDLEWARE`` so that a hit skips sessions, authentication and
    the view; with ``PAGE_CACHE_ENABLED`` off it still sets the headers and answers 304s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._is_public_read(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # Staff see previews and their own state: never kept by a shared cache.
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ["Cookie"])
            return response
        if not settings.PAGE_CACHE_ENABLED:
            response = self.get_response(request)
            if _is_cacheable(response):
                _set_validators(response, last_modified=None)
            return _conditional(request, response)
        state = current_state()
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = _key(request, state)
        stored = cache.get(key)
        if stored is not None:
            return _conditional(request, _from_stored(stored))
        response = self.get_response(request)
        if _is_cacheable(response):
            _set_validators(response, last_modified=state.last_modified)
            cache.set(key, _to_stored(response), settings.PAGE_CACHE_SECONDS)
        return _conditional(request, response)

    @staticmethod
    def _is_public_read(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(settings.PAGE_CACHE_SKIP_PATHS)
        )


def _key(request: HttpRequest, state: State) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"page:{state.version}:{state.clock}:{digest}"


def _is_cacheable(response: HttpResponse) -> bool:
    """A complete 200 that no view marked private and that sets no cookie."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
    )


def _set_validators(response: HttpResponse, *, last_modified: int | None) -> None:
    digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
    response["ETag"] = f'"{digest}"'
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = settings.PAGE_CACHE_CONTROL


# nginx keeps a page until the end of the second it got it in (proxy_expiry), so a change
# saved just after shows when that second ends. A page (or 304) sent in the first tenth of a
# second comes already expired, so nginx asks again on the next request; that bounds the
# wait by nine tenths of a second: with the render of the new page, a change shows through
# nginx within a second.
PROXY_KEEPS_FROM = 0.1


def proxy_expiry(now: float) -> str:
    """``X-Accel-Expires`` for a public page sent at the Unix time ``now``: "@" and the
    Unix second nginx may keep it through, the current one or, early in the second, the one
    before (expired: asked again next time). Not "0": nginx would then go by
    ``s-maxage=1``, counted in whole seconds, and keep the page for up to two."""
    second = int(now)
    return f"@{second}" if now - second >= PROXY_KEEPS_FROM else f"@{second - 1}"


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The response, or a 304 when the client's copy is current, telling nginx how long to
    keep it (``proxy_expiry``)."""
    if "ETag" not in response:
        return response
    last_modified = response.get("Last-Modified")
    answer = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )
    answer["X-Accel-Expires"] = proxy_expiry(timezone.now().timestamp())
    return answer


def _to_stored(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    return response.content, list(response.items())


def _from_stored(stored: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
