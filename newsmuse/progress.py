"""The progress bar long-running management commands show."""

from django.core.management.base import OutputWrapper

WIDTH = 30


def show_progress(out: OutputWrapper, number: int, total: int) -> None:
    """Step ``number`` of ``total`` done: a bar redrawn in place on a terminal, and in a log
    (cron, a pipe) a line at every tenth and at the end."""
    done = WIDTH * number // total
    bar = f"[{'#' * done}{'.' * (WIDTH - done)}] {number}/{total}"
    if out.isatty():
        out.write(f"\r{bar}", ending="")
        if number == total:
            out.write("")
    elif number == total or number % max(1, total // 10) == 0:
        out.write(bar)
