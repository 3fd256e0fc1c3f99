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
    context = {"site_name": settings.SITE_NAME}
    if isinstance(error, DatabaseError):
        response = HttpResponse(render_to_string("errors/unavailable.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(render_to_string("errors/500.html", context), status=500)
    response["Cache-Control"] = "no-store"
    return response
