"""What long management commands show while they work, and how they stop when told to."""

import signal
from contextlib import contextmanager

from django.core.management.base import OutputWrapper

WIDTH = 30


class Progress:
    """Call it with (steps done, steps in all). On a terminal it redraws a bar in place; in
    a log (cron, a pipe) it writes the bar at every tenth and at the end; with ``quiet``
    nothing at all."""

    def __init__(self, out: OutputWrapper, *, quiet: bool = False):
        self.out = out
        self.quiet = quiet

    def __call__(self, number: int, total: int) -> None:
        if self.quiet or not total:
            return
        done = WIDTH * number // total
        bar = f"[{'#' * done}{'.' * (WIDTH - done)}] {number}/{total}"
        if self.out.isatty():
            self.out.write(f"\r{bar}", ending="")
            if number == total:
                self.out.write("")
        elif number == total or number % max(1, total // 10) == 0:
            self.out.write(bar)


class Stopped(Exception):
    """The command was told to stop (SIGTERM or SIGHUP)."""


@contextmanager
def stop_cleanly():
    """Turn SIGTERM and SIGHUP into an exception, so that a command stopped by a service
    manager or a closed terminal rolls back and removes its files like one interrupted with
    Ctrl-C, instead of dying in the middle."""

    def stop(signum, frame):
        raise Stopped(f"Stopped by {signal.Signals(signum).name}.")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
