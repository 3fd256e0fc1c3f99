"""What long management commands show while they work, and how they stop when told to."""

import signal
import sys
from contextlib import contextmanager


class Progress:
    """A one-line "label: done/total" counter on stderr, redrawn in place; silent when
    stderr is not a terminal (cron, logs) or when ``quiet``."""

    def __init__(self, label: str, *, quiet: bool = False, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.shown = not quiet and self.stream.isatty()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if self.shown and total:
            self.stream.write(f"\r{self.label}: {done}/{total} ({done * 100 // total}%)")
            self.stream.flush()
            self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.drawn = False


class Stopped(Exception):
    """The command was told to stop (SIGTERM or SIGHUP) and undid its work."""


@contextmanager
def stop_cleanly():
    """Turn SIGTERM and SIGHUP into an exception, so that a command stopped by a service
    manager or a closed terminal rolls back and removes its files like one interrupted with
    Ctrl-C, instead of dying in the middle."""

    def stop(signum, frame):
        raise Stopped(f"Stopped by {signal.Signals(signum).name}; nothing was changed.")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
