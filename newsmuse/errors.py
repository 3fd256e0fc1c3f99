"""What readers see when something fails: a calm page, never a traceback or a bare 500.

The pages are rendered without a request context, so they need neither the database nor
a session: they work when the database is what failed.
"""

import sys

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string

# How long to tell clients (and nginx, and crawlers) to wait before trying again.
RETRY_AFTER_SECONDS = 30


def server_error(request) -> HttpResponse:
    """handler500: a database that cannot be reached is a 503 with Retry-After (the site
    recovers by itself once it is back); anything else is a 500. Either is logged by
    Django before this runs."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = _page("errors/unavailable.html", "Back in a moment", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = _page("errors/500.html", "Something went wrong", status=500)
    response["Cache-Control"] = "no-store"
    return response


def _page(template: str, heading: str, *, status: int) -> HttpResponse:
    context = {"site_name": settings.SITE_NAME, "heading": heading}
    return HttpResponse(render_to_string(template, context), status=status)
