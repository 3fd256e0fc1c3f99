"""Logs as JSON lines (settings.LOGGING, without debug): one per request, written by
RequestLogMiddleware, and one per unhandled error, with its traceback, written by Django's
`django.request` logger. A log collector reads them without parsing free text."""

import json
import logging
import time
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger("newsmuse.requests")

# What RequestLogMiddleware adds to its records. Nothing else a record carries is written:
# the request Django attaches to error records holds cookies and headers.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class RequestLogMiddleware:
    """Logs each response with its method, path, status, duration and user. First in
    MIDDLEWARE, so the duration covers the other middleware, cache hits and redirects too.

    It writes no query string (they can carry search terms or tokens) and no share-link
    token from the path; never a header, a cookie or a form field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = loggable_path(request)
        logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id(request),
            },
        )
        return response


def loggable_path(request: HttpRequest) -> str:
    """The path, with the value of any URL part named like a token replaced."""
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name, value in match.kwargs.items():
            if "token" in name and isinstance(value, str) and value:
                path = path.replace(value, "[redacted]")
    return path


def user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request already looked them up (Django's
    AuthenticationMiddleware keeps them in `_cached_user`): asking `request.user` here would
    cost the session and user queries on pages that never needed them."""
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None
