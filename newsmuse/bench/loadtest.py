"""`make loadtest`: readers and editors at once against the production server on PostgreSQL.

On a scratch PostgreSQL database (migrated, the demo loaded, content generated, the roles
and a few editor accounts made), this starts gunicorn as `make serve` does, with the page
cache on and the default local-memory cache, and for `--seconds`:

- readers: wrk loads the home page, feature, person, film, series and tag pages in turn;
- editors: each signs in through the admin's login form, then opens a feature's change form
  and posts it back with a new headline and one more body paragraph, again and again. Two
  editors share each feature, so some saves are refused as conflicts: an expected answer,
  counted apart from errors.

Afterwards every page the readers loaded must answer 200, each edited feature must show the
headline of its last accepted save (with every accepted save in its revisions and no refused
one), and the server log must hold no error. It prints a Markdown table, exits 1 when
anything failed, and drops the database and removes the scratch folder whatever happens.
"""

import argparse
import dataclasses
import html
import http.client
import json
import math
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from newsmuse.bench.run import (
    PAGES,
    ROOT,
    BenchError,
    app_environment,
    fetch,
    find_tool,
    free_port,
    prepare,
    start_gunicorn,
    step,
    stop,
    wait_until_up,
    wrk_report,
)

GENERATE = ["--features", "500", "--people", "300", "--films", "100", "--images", "4"]
# Generated pages the readers load besides the demo's: at least this many of the newest
# features (all the edited ones), and up to this many people, films, series and tags of theirs.
READ_FEATURES, READ_OTHERS = 8, 3
# Editors per feature: two share each, so that some saves are refused as conflicts.
SHARING = 2
WRK_THREADS = 2
HTTP_TIMEOUT = 30
# In the admin form's message when a save is refused because someone saved first.
CONFLICT = "after you opened it"
# Notes an editor keeps in a body: older ones go, so a long run stays under the block limit.
KEPT_NOTES = 10
ERROR_SAMPLES = 5

# load_test writes `paths = {…}` above this. wrk calls done() once at the end: one JSON line.
WRK_SCRIPT = """\
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[n % #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"status_errors": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclasses.dataclass
class Tally:
    """What one editor's saves came to."""

    accepted: list[str] = dataclasses.field(default_factory=list)  # headlines saved
    refused: list[str] = dataclasses.field(default_factory=list)  # headlines refused
    errors: int = 0
    samples: list[str] = dataclasses.field(default_factory=list)  # the first error messages
    seconds: list[float] = dataclasses.field(default_factory=list)  # each answered POST

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.samples) < ERROR_SAMPLES:
            self.samples.append(message)


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more.")
    return number


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m newsmuse.bench.loadtest",
        description="Readers (wrk) and editors (the admin's change form) at once against "
        "gunicorn as `make serve` runs it, on a scratch PostgreSQL database at "
        "127.0.0.1:5432. Prints a Markdown table; exits 1 on any error (an answer other than "
        "2xx/3xx, a socket error, an editor's error, an error in the server log).",
    )
    parser.add_argument("--seconds", type=positive, default=30, help="length of the run (30)")
    parser.add_argument("--readers", type=positive, default=16, help="wrk connections (16)")
    parser.add_argument(
        "--editors", type=positive, default=3, help=f"editors saving, {SHARING} per feature (3)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    # Ctrl-C and `kill` end the run through the finally below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    wrk = find_tool("wrk")
    scratch = Path(tempfile.mkdtemp(prefix="newsmuse-loadtest-"))
    database = f"newsmuse_loadtest_{secrets.token_hex(4)}"
    servers: list[subprocess.Popen] = []
    stopping = threading.Event()
    created = False
    try:
        postgres("createdb", database)
        created = True
        failed = load_test(args, wrk, scratch, database, servers, stopping)
    except BenchError as error:
        print(f"\nThe load test could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        stopping.set()
        for server in servers:
            stop(server)
        if created:
            postgres("dropdb", "--force", database, check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nFinished in {time.monotonic() - started:.0f} s.")
    return 1 if failed else 0


def postgres(command: str, *arguments: str, check: bool = True) -> None:
    """createdb or dropdb on the local PostgreSQL."""
    finished = subprocess.run(
        [command, "-h", "127.0.0.1", "-U", "postgres", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if finished.returncode:
        message = f"{command} {' '.join(arguments)} failed: {finished.stderr.strip()}"
        if check:
            raise BenchError(message)
        print(message, file=sys.stderr)


def load_test(
    args: argparse.Namespace,
    wrk: str,
    scratch: Path,
    database: str,
    servers: list[subprocess.Popen],
    stopping: threading.Event,
) -> bool:
    """The whole run; returns whether anything failed. The server goes into `servers` at
    once, for the caller to stop; setting `stopping` ends the editors early."""
    env = {
        **app_environment(scratch),
        # The site's own settings and the switches of `make serve`, on the scratch database.
        "DJANGO_SETTINGS_MODULE": "newsmuse.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "SECURE_COOKIES": "false",
        "SERVE_MEDIA": "true",
    }
    step("Preparing", f"database {database}, folder {scratch}")
    prepare(env, scratch / "prepare.log", GENERATE)
    manage(env, "setup_roles")
    password = secrets.token_urlsafe(16)
    site = json.loads(shell(env, "describe_site", args.editors, password))
    pages, features = site["pages"], site["edited"]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = scratch / "gunicorn.log"
    step("Starting", f"gunicorn on {base}, page cache on")
    servers.append(start_gunicorn(env, port, "on", log))
    wait_until_up(f"{base}/", servers[-1], log)
    for path in pages:
        fetch(base + path)  # each answers 200 before the load, or the run stops here
    editors = [Browser(base) for _ in range(args.editors)]
    for number, editor in enumerate(editors, 1):
        editor.sign_in(site["login"], f"loadtest-editor-{number}", password)

    step(
        "Load",
        f"{args.seconds} s: wrk -t{min(WRK_THREADS, args.readers)} -c{args.readers} over "
        f"{len(pages)} pages; {args.editors} editors saving {len(features)} features",
    )
    script = scratch / "readers.lua"
    script.write_text(f"paths = {{{', '.join(map(json.dumps, pages))}}}\n{WRK_SCRIPT}")
    tallies = [Tally() for _ in editors]
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=edit,
            args=(editor, n + 1, features[n // SHARING], started + args.seconds, stopping, tally),
            daemon=True,
        )
        for n, (editor, tally) in enumerate(zip(editors, tallies, strict=True))
    ]
    for thread in threads:
        thread.start()
    readers = read(wrk, script, base, args.seconds, args.readers)
    for thread in threads:
        thread.join(timeout=2 * HTTP_TIMEOUT)
    editing_seconds = time.monotonic() - started

    step("Checking", "pages, headlines and revisions, the server log")
    anonymous = Browser(base)
    return report(
        Outcome(
            readers=readers,
            tallies=tallies,
            seconds=editing_seconds,
            stuck=[n for n, thread in enumerate(threads, 1) if thread.is_alive()],
            pages=pages,
            failing=[path for path in pages if anonymous.send(path)[0] != 200],
            headlines=check_headlines(env, anonymous, features, tallies),
            log_errors=error_lines(log),
        )
    )


@dataclasses.dataclass
class Outcome:
    """What a run found, for report()."""

    readers: dict  # wrk's figures (see read)
    tallies: list[Tally]  # one per editor
    seconds: float  # from the start of the load until the editors stopped
    stuck: list[int]  # editors still saving long after the end
    pages: list[str]  # what the readers loaded
    failing: list[str]  # the pages not answering 200 after the run
    headlines: list[str]  # what is wrong with each edited feature ("": nothing)
    log_errors: list[str]  # error lines of the server log


def report(outcome: Outcome) -> bool:
    """Print the table and every problem found; whether there was one."""
    readers, tallies = outcome.readers, outcome.tallies
    saves = [seconds * 1000 for tally in tallies for seconds in tally.seconds]
    accepted = sum(len(tally.accepted) for tally in tallies)
    refused = sum(len(tally.refused) for tally in tallies)
    editor_errors = sum(tally.errors for tally in tallies)
    rows = [
        ("reader requests/s", f"{readers['requests'] / readers['seconds']:,.0f}"),
        (
            "reader latency p50 / p90 / p99, ms",
            " / ".join(f"{readers[f'p{p}_us'] / 1000:.1f}" for p in (50, 90, 99)),
        ),
        ("reader answers other than 2xx/3xx", f"{readers['status_errors']:,}"),
        ("reader socket errors", f"{readers['socket_errors']:,}"),
        ("saves accepted per second", f"{accepted / outcome.seconds:.1f}"),
        (
            "saves accepted / refused as conflicts / errors",
            f"{accepted} / {refused} / {editor_errors}",
        ),
        (
            "save latency p50 / p99, ms",
            f"{percentile(saves, 50):.0f} / {percentile(saves, 99):.0f}" if saves else "—",
        ),
        (
            "pages answering 200 after the run",
            f"{len(outcome.pages) - len(outcome.failing)} of {len(outcome.pages)}",
        ),
        (
            "edited features showing their last accepted save",
            f"{outcome.headlines.count('')} of {len(outcome.headlines)}",
        ),
        ("errors in the server log", f"{len(outcome.log_errors)}"),
    ]
    print("\n| measure | value |\n| --- | ---: |")
    for name, value in rows:
        print(f"| {name} | {value} |")

    problems = [
        f"readers: {count:,} {what}"
        for what, count in (
            ("answers other than 2xx/3xx", readers["status_errors"]),
            ("socket errors", readers["socket_errors"]),
        )
        if count
    ]
    problems += [
        *(f"{path} does not answer 200 after the run" for path in outcome.failing),
        *(problem for problem in outcome.headlines if problem),
        *(f"server log: {line}" for line in outcome.log_errors[:ERROR_SAMPLES]),
        *(f"editor {n}: {sample}" for n, t in enumerate(tallies, 1) for sample in t.samples),
        *(f"editor {n} still saving {2 * HTTP_TIMEOUT} s after the end" for n in outcome.stuck),
    ]
    if problems:
        print()
        for problem in problems:
            print(f"- {problem}")
    print("\nFAIL: the problems above." if problems else "\nPASS: no errors.")
    return bool(problems)


def manage(env: dict[str, str], *command: str) -> str:
    """Run a manage.py command in the app's environment; its standard output."""
    finished = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if finished.returncode:
        raise BenchError(f"manage.py {command[0]} failed:\n{finished.stderr[-2000:]}")
    return finished.stdout


def shell(env: dict[str, str], function: str, *arguments: object) -> str:
    """Call one of the functions below marked "in `manage.py shell`"; what it printed."""
    code = f"from newsmuse.bench.loadtest import {function}; {function}(*{list(arguments)!r})"
    return manage(env, "shell", "--no-imports", "-c", code)


def describe_site(editors: int, password: str) -> None:
    """In `manage.py shell`: make the editor accounts, and print as JSON the admin's login
    path, the pages the readers load and the features the editors change."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from features.models import Feature

    group = Group.objects.get(name="Editor")
    for number in range(1, editors + 1):
        user = get_user_model().objects.create_user(
            f"loadtest-editor-{number}", password=password, is_staff=True
        )
        user.groups.add(group)
    edited = math.ceil(editors / SHARING)
    features = list(
        Feature.objects.published()
        .filter(slug__startswith="gen-")
        .order_by("-published_at")
        .select_related("series")
        .prefetch_related("participants__person", "films", "tags")[: max(READ_FEATURES, edited)]
    )
    others = [
        [p.person.get_absolute_url() for f in features for p in f.participants.all()],
        [film.get_absolute_url() for f in features for film in f.films.all()],
        [f.series.get_absolute_url() for f in features if f.series],
        [reverse("features:tag", args=[tag.slug]) for f in features for tag in f.tags.all()],
    ]
    pages = [*PAGES.values(), *(f.get_absolute_url() for f in features)]
    for urls in others:
        pages += list(dict.fromkeys(urls))[:READ_OTHERS]
    site = {
        "login": reverse("admin:login"),
        "pages": list(dict.fromkeys(pages)),
        "edited": [
            {
                "id": f.pk,
                "path": f.get_absolute_url(),
                "change": reverse("admin:features_feature_change", args=[f.pk]),
            }
            for f in features[:edited]
        ],
    }
    print(json.dumps(site))


def saved_headlines(ids: list[int]) -> None:
    """In `manage.py shell`: print as JSON each feature's headline and those of its
    revisions, newest first."""
    from features.models import Feature, Revision

    print(
        json.dumps(
            {
                pk: {
                    "current": Feature.objects.get(pk=pk).headline,
                    "revisions": [
                        content["headline"]
                        for content in Revision.objects.filter(feature_id=pk).values_list(
                            "content", flat=True
                        )
                    ],
                }
                for pk in ids
            }
        )
    )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: a 302 after a POST is how the admin says it saved."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """An HTTP client with its own cookies, straight to the loopback whatever proxy the
    environment names."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(CookieJar()),
            NoRedirects(),
        )

    def send(self, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        """GET `path`, or POST `fields` to it; the status and the page."""
        data = None if fields is None else urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data, timeout=HTTP_TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode(errors="replace")

    def sign_in(self, path: str, username: str, password: str) -> None:
        """Through the admin's login form, as a person does."""
        status, page = self.send(path)
        if status == 200:
            fields = replaced(form_fields(page, "login-form"), username=username, password=password)
            status, page = self.send(path, fields)
        if status != 302:
            raise BenchError(f"{username} could not sign in ({status}): {form_errors(page)}")


class FormFields(HTMLParser):
    """The name/value pairs a browser sends for the form with this id, without its buttons."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea: tuple[str, list[str]] | None = None  # its name and text
        self.select: tuple[str, bool, list[tuple[str, bool]]] | None = None  # name, multiple,
        # and each option's value and whether it is selected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        name = attributes.get("name")
        if not self.inside or "disabled" in attributes:
            return
        if tag == "option" and self.select:
            self.select[2].append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = (name, "multiple" in attributes, [])
        elif tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append((name, attributes.get("value") or default))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            name, parts = self.textarea
            # A browser drops the newline right after <textarea>, which Django writes.
            self.fields.append((name, "".join(parts).removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.fields += [(name, value) for value in chosen]
            self.select = None


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    parser.close()
    return parser.fields


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    return [(name, values.get(name, value)) for name, value in fields]


def form_errors(page: str) -> str:
    """The admin's error messages on a page, on one line."""
    found = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', page, re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(found)))
    return " ".join(text.split())[:500] or "no error message on the page"


def edit(
    editor: Browser,
    number: int,
    feature: dict,
    deadline: float,
    stopping: threading.Event,
    tally: Tally,
) -> None:
    """Open the feature's change form and post it back with a new headline and one more
    paragraph, until the deadline. Each headline is unique ("Load test edit 12 by editor 3"),
    so the checks afterwards can tell which save a page shows."""
    url = feature["change"]
    save = 0
    while time.monotonic() < deadline and not stopping.is_set():
        save += 1
        headline = f"Load test edit {save} by editor {number}"
        try:
            status, page = editor.send(url)
            if status != 200:
                tally.error(f"GET {url} answered {status}")
                continue
            fields = form_fields(page, "feature_form")
            body = with_note(dict(fields).get("body_source", ""), number, save)
            fields = [*replaced(fields, headline=headline, body_source=body), ("_save", "Save")]
            posted = time.monotonic()
            status, page = editor.send(url, fields)
            tally.seconds.append(time.monotonic() - posted)
        except (OSError, http.client.HTTPException) as error:
            tally.error(f"{url}: {error!r}")
            time.sleep(0.1)
            continue
        if status == 302:
            tally.accepted.append(headline)
        elif status == 200 and CONFLICT in page:
            tally.refused.append(headline)
        else:
            tally.error(f"POST {url} answered {status}: {form_errors(page)}")


def with_note(body: str, editor: int, save: int) -> str:
    """The body with a paragraph added, less this editor's oldest beyond KEPT_NOTES."""
    mine = f"Editor {editor} adds note "
    paragraphs = [p for p in re.split(r"\n\s*\n", body.strip()) if p]
    own = [p for p in paragraphs if p.startswith(mine)]
    for old in own[: max(0, len(own) + 1 - KEPT_NOTES)]:
        paragraphs.remove(old)
    return "\n\n".join([*paragraphs, f"{mine}{save} during a load test."])


def read(wrk: str, script: Path, base: str, seconds: int, readers: int) -> dict:
    """wrk's figures for the readers."""
    return wrk_report(
        wrk, script, f"{base}/", seconds, threads=min(WRK_THREADS, readers), connections=readers
    )


def check_headlines(
    env: dict[str, str], anonymous: Browser, features: list[dict], tallies: list[Tally]
) -> list[str]:
    """For each edited feature, what is wrong with it ("" when nothing): its newest revision
    must be an accepted save and hold its headline, which the public page shows; every
    accepted save must be among its revisions and no refused one."""
    saved = json.loads(shell(env, "saved_headlines", [f["id"] for f in features]))
    problems = []
    for index, feature in enumerate(features):
        path, headlines = feature["path"], saved[str(feature["id"])]
        current, revisions = headlines["current"], headlines["revisions"]
        sharing = tallies[index * SHARING : (index + 1) * SHARING]
        accepted = {headline for tally in sharing for headline in tally.accepted}
        refused = {headline for tally in sharing for headline in tally.refused}
        if revisions[0] not in accepted:
            problem = f"{path}: the newest revision, {revisions[0]!r}, is no accepted save"
        elif current != revisions[0]:
            problem = f"{path}: the headline is {current!r}, the newest revision {revisions[0]!r}"
        elif lost := accepted - set(revisions):
            problem = f"{path}: {len(lost)} accepted saves are not in the revisions"
        elif written := refused & set(revisions):
            problem = f"{path}: {len(written)} refused saves are in the revisions"
        elif html.escape(current) not in anonymous.send(path)[1]:
            problem = f"{path}: the page does not show {current!r}"
        else:
            problem = ""
        problems.append(problem)
    return problems


def error_lines(log: Path) -> list[str]:
    """The server log's errors: the app's JSON lines at level ERROR or CRITICAL, and
    gunicorn's own plain-text [ERROR] and [CRITICAL] lines (a worker timing out)."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            if record.get("level") in ("ERROR", "CRITICAL"):
                last = (record.get("traceback") or "").strip().rpartition("\n")[2]
                found.append(f"{record['level']} {record.get('message')} {last}".strip())
        elif "[ERROR]" in line or "[CRITICAL]" in line:
            found.append(line)
    return found


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


if __name__ == "__main__":
    sys.exit(main())
