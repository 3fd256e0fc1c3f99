"""Gunicorn settings for newsmuse in production: `gunicorn -c deploy/gunicorn.conf.py`.

Django's settings come from the environment as usual (see the README). What differs
between machines comes from these variables:

    GUNICORN_BIND       address to listen on                    default 127.0.0.1:8000
    GUNICORN_WORKERS    number of worker processes              default: one per CPU
    GUNICORN_LOG_LEVEL  debug, info, warning, error or critical default info
"""

import os
from pathlib import Path

# The WSGI application, imported from the project root wherever gunicorn is started from.
wsgi_app = "newsmuse.wsgi:application"
chdir = str(Path(__file__).resolve().parent.parent)

# The loopback only: nginx in front is what clients talk to.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, one per CPU. Rendering a page keeps a CPU busy and the database is close,
# so more workers than CPUs only adds switching (threaded workers measured no faster on two
# cores). Sync workers must not face slow clients: nginx buffers requests and responses.
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 1))

# A worker silent for this many seconds is killed and replaced.
timeout = 30

# gunicorn's own messages go to stderr, for the service manager's journal, next to the app's
# JSON lines (newsmuse.logs: one per request, one per error); nginx keeps its access log.
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
errorlog = "-"
accesslog = None

# No control socket: by default every instance would share one path in $HOME (or
# $XDG_RUNTIME_DIR), and nothing here uses `gunicornc`.
control_socket_disable = True
