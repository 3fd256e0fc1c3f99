"""Render pages in this process, with no server, for `newsmuse.bench.run`.

    python -m newsmuse.bench.render PATH N          render PATH N times (after two warm-ups)
    python -m newsmuse.bench.render --queries PATH… print the SQL queries of each page as JSON

The first runs under valgrind: two runs with different N give the instructions of one
render, with start-up cancelled out.
"""

import gc
import io
import json
import os
import sys


def environ_for(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def render(path: str, count: int) -> None:
    """Two warm-up renders fill the template, URL and page caches. The full collection after
    them starts the counted renders with every garbage collector generation empty, so the
    collections that fall among them do not depend on what start-up allocated."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")

    def once() -> None:
        body = application(environ_for(path), start_response)
        b"".join(body)
        body.close()

    once()
    once()
    gc.collect()
    for _ in range(count):
        once()


def count_queries(paths: list[str]) -> dict[str, dict]:
    """Each page's status and SQL queries, from its second request: the first also pays for
    what a worker loads once (content types, the page clock)."""
    import django
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    django.setup()
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    pages = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        pages[path] = {"status": response.status_code, "queries": len(queries)}
    return pages


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsmuse.bench.settings")
    if sys.argv[1] == "--queries":
        print(json.dumps(count_queries(sys.argv[2:])))
    else:
        render(sys.argv[1], int(sys.argv[2]))
