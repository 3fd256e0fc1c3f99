"""Work a request leaves for after its response has gone to the browser.

Making an image's renditions takes a second or more; an editor who uploads one should not
wait for it. ``after_response(task)`` runs ``task`` when Django sends ``request_finished``,
which the server does once the response's last byte is written. Outside a request (a
command, a test without one) the task runs at once. A task that fails is logged, never
raised: the response it would fail has already gone.
"""

import logging
import threading

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)

_state = threading.local()


def after_response(task) -> None:
    tasks = getattr(_state, "tasks", None)
    if tasks is None:
        task()
    else:
        tasks.append(task)


def _start(**kwargs) -> None:
    if leftover := getattr(_state, "tasks", None):
        # The last request in this thread never finished (its response was never closed):
        # its tasks run now rather than never.
        logger.warning("Running %d task(s) of a request that never finished", len(leftover))
        _run(leftover)
    _state.tasks = []


def _finish(**kwargs) -> None:
    tasks, _state.tasks = getattr(_state, "tasks", None) or [], None
    _run(tasks)


def _run(tasks) -> None:
    for task in tasks:
        try:
            task()
        except Exception:
            logger.exception("A task left for after the response failed")


def connect() -> None:
    request_started.connect(_start, dispatch_uid="newsmuse.after_response.start")
    request_finished.connect(_finish, dispatch_uid="newsmuse.after_response.finish")
