"""`make audit`: every public page type judged by axe-core, the Nu HTML validator and Lighthouse.

From a site's home page this finds one address of each public page type (home, the archive,
a feature, a person, a film, a series, a tag, a search with a query, the people, films,
series and tags indexes, and a missing page), then judges each in Debian's Chromium:

- axe-core, injected with Playwright, at a phone's width and a desktop's: no serious or
  critical violation;
- the Nu HTML validator (vnu.jar on the installed Java): no error;
- Lighthouse with its mobile defaults: at least 90 in performance and 95 in accessibility,
  best practices and SEO.

It prints one Markdown table with each missed target marked, the findings behind each miss,
and exits 1 when a target is missed (2 when the audit could not run). The tools are the
versions pinned in audit/package.json; `make audit` installs them with `npm ci`.

`python -m newsmuse.audit URL` judges a running site (`make serve`, at
http://127.0.0.1:8000 by default); `--serve` starts the site as `make serve` does, in a
scratch folder with its own SQLite database and the demo, on a free port, and stops it
afterwards. Only the loopback is ever asked for anything: the browser resolves no other name.
"""

import argparse
import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from newsmuse.bench.run import (
    ROOT,
    BenchError,
    app_environment,
    free_port,
    prepare,
    start_gunicorn,
    step,
    stop,
    wait_until_up,
)

TOOLS = ROOT / "audit" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = TOOLS / ".bin" / "lighthouse"
DEFAULT_URL = "http://127.0.0.1:8000"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Lighthouse's categories, as (key, column heading, least score).
CATEGORIES = (
    ("performance", "performance", 90),
    ("accessibility", "accessibility", 95),
    ("best-practices", "best practices", 95),
    ("seo", "SEO", 95),
)
# axe-core impacts that count against the target; the others are listed as notes.
BLOCKING_IMPACTS = ("critical", "serious")
# Widths axe-core judges each page at: a phone and a desktop.
VIEWPORTS = ({"width": 375, "height": 800}, {"width": 1280, "height": 900})

# Chromium quiet on the network, as this audit and the browser tests (tests/browser) run it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Bounds, in seconds.
FETCH_TIMEOUT = 30
AXE_TIMEOUT = 60
VNU_TIMEOUT = 300
LIGHTHOUSE_TIMEOUT = 180
LIGHTHOUSE_TRIES = 2  # Lighthouse now and then fails to record a trace; a second run does.


class AuditError(Exception):
    """The audit cannot run; the message says why."""


@dataclasses.dataclass
class Page:
    name: str
    path: str
    status: int = 200
    html: bytes = b""
    noindex: bool = False  # the page asks search engines not to index it
    axe: int | None = None  # serious and critical violations (rules)
    axe_rules: set[str] = dataclasses.field(default_factory=set)  # every rule broken
    vnu: int | None = None  # errors
    scores: dict[str, int | None] = dataclasses.field(default_factory=dict)
    # Categories scored without the audits the page fails on purpose (see judge_lighthouse).
    adjusted: set[str] = dataclasses.field(default_factory=set)
    notes: list[str] = dataclasses.field(default_factory=list)  # what stands behind a miss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsmuse.audit",
        description="Judge every public page type of a site on the loopback with axe-core, "
        "the Nu HTML validator and Lighthouse (mobile); print one table and exit 1 when a "
        "target is missed.",
    )
    parser.add_argument(
        "url",
        nargs="?",
        default=DEFAULT_URL,
        help=f"the running site's address on the loopback ({DEFAULT_URL})",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="start the site as `make serve` does, with the demo in a scratch database, on a "
        "free port, instead of judging a running one",
    )
    parser.add_argument(
        "--runs",
        type=int,
        choices=range(1, 10),
        default=1,
        metavar="N",
        help="Lighthouse runs a page, of which the median counts (1)",
    )
    parser.add_argument(
        "--minutes",
        type=float,
        default=20,
        help="give up after this many minutes (20)",
    )
    args = parser.parse_args(argv)
    # Ctrl-C and `kill` end the run through the finally below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = time.monotonic()
    deadline = started + args.minutes * 60
    scratch = Path(tempfile.mkdtemp(prefix="newsmuse-audit-"))
    server: subprocess.Popen | None = None
    try:
        check_tools()
        if args.serve:
            base, server = serve(scratch)
        else:
            base = loopback_url(args.url)
        pages = audit(base, scratch, deadline, args.runs)
    except (AuditError, BenchError) as error:
        print(f"\nThe audit could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(scratch, ignore_errors=True)
    missed = report(pages)
    print(f"\nFinished in {time.monotonic() - started:.0f} s.")
    return 1 if missed else 0


def check_tools() -> None:
    for path in (AXE, VNU, LIGHTHOUSE):
        if not path.exists():
            raise AuditError(f"{path} is missing: run `make audit`, which installs the tools.")
    for tool in ("java", "node"):
        if shutil.which(tool) is None:
            raise AuditError(f"{tool} is not on PATH.")
    if not Path(chromium()).exists():
        raise AuditError(f"Chromium is not at {chromium()}: install Debian's 'chromium'.")


def chromium() -> str:
    return os.environ.get("CHROMIUM", "/usr/bin/chromium")


def loopback_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK:
        raise AuditError(f"{url} is not a site on this machine's loopback (127.0.0.1).")
    return f"{parts.scheme}://{parts.netloc}"


def serve(scratch: Path) -> tuple[str, subprocess.Popen]:
    """The site as `make serve` runs it, on a scratch SQLite database with the demo."""
    env = {
        **app_environment(scratch),
        "DJANGO_SETTINGS_MODULE": "newsmuse.settings",
        "SECURE_COOKIES": "false",
        "SERVE_MEDIA": "true",
    }
    step("Preparing the demo site", scratch)
    prepare(env, scratch / "prepare.log", None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port, "true", scratch / "server.log")
    wait_until_up(f"{base}/healthz", server, scratch / "server.log")
    step("Serving", base)
    return base, server


def audit(base: str, scratch: Path, deadline: float, runs: int) -> list[Page]:
    step("Finding one page of each type", base)
    pages = discover(base)
    width = max(len(page.name) for page in pages)
    for page in pages:
        print(f"   {page.name:<{width}}  {page.path}", flush=True)
    step("Nu HTML validator", VNU.relative_to(ROOT))
    validate(pages, scratch)
    step("axe-core", f"widths {', '.join(str(v['width']) for v in VIEWPORTS)}")
    run_axe(base, pages)
    step("Lighthouse", f"mobile, {runs} run{'s' if runs > 1 else ''} a page, one page at a time")
    for page in pages:
        reports = []
        for _ in range(runs):
            if time.monotonic() > deadline:
                raise AuditError("out of time; raise --minutes to wait longer.")
            reports.append(run_lighthouse(base, page, scratch))
        judge_lighthouse(page, median_run(reports))
        print(f"   {page.name}: {format_scores(page)}", flush=True)
    return pages


# Finding the pages -------------------------------------------------------------------------


class Links(HTMLParser):
    """The links of a page (address and text), the first search form's action, and whether
    a robots meta tag says noindex."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.search_action: str | None = None
        self.noindex = False
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in attributes:
            self._href, self._text = attributes["href"], []
        elif tag == "form" and attributes.get("role") == "search":
            self.search_action = self.search_action or attributes.get("action", "")
        elif tag == "meta" and attributes.get("name", "").lower() == "robots":
            self.noindex = self.noindex or "noindex" in attributes.get("content", "").lower()

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def get(base: str, path: str) -> tuple[int, bytes, dict[str, str]]:
    """GET straight to the loopback, whatever proxy the environment names; any status."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(base + path, timeout=FETCH_TIMEOUT) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
    except (urllib.error.URLError, OSError) as error:
        raise AuditError(f"{base + path} did not answer: {error}") from error


def load(base: str, name: str, path: str, status: int = 200) -> tuple[Page, Links]:
    code, body, headers = get(base, path)
    if code != status:
        raise AuditError(f"the {name} page, {path}, answered {code} instead of {status}.")
    if not headers.get("Content-Type", "").startswith("text/html"):
        raise AuditError(f"the {name} page, {path}, is not HTML.")
    links = Links()
    links.feed(body.decode("utf-8", errors="replace"))
    noindex = links.noindex or "noindex" in headers.get("X-Robots-Tag", "").lower()
    return Page(name, path, code, body, noindex), links


def find_link(
    links: Links, pattern: str, what: str, where: str, last: bool = False
) -> tuple[str, str]:
    """The path and text of the first (or last) link on the site whose path matches."""
    found = [
        (urllib.parse.urlsplit(href).path, text)
        for href, text in links.links
        if re.fullmatch(pattern, urllib.parse.urlsplit(href).path)
        and not urllib.parse.urlsplit(href).netloc
    ]
    if not found:
        raise AuditError(f"{where} links to no {what}.")
    return found[-1 if last else 0]


def discover(base: str) -> list[Page]:
    """One page of each public type, following links as a reader would: the home page leads
    to a feature and the header to the indexes, the feature to a person, a film, its series
    and a tag, and the person's name is the search query, which must find the feature."""
    home, home_links = load(base, "home", "/")
    archive_path, _ = find_link(home_links, "/features/", "archive", "The home page")
    feature_path, _ = find_link(home_links, r"/features/[^/]+/", "feature", "The home page")
    feature, feature_links = load(base, "feature", feature_path)
    pages = [home, load(base, "archive", archive_path)[0], feature]
    # The byline names the interviewers first; the last person a feature names is a guest,
    # whose page has the most to show (a portrait, credits), and whose name is the query.
    person_path, person_name = find_link(
        feature_links, r"/people/[^/]+/", "person", "The feature", last=True
    )
    pages.append(load(base, "person", person_path)[0])
    for name, pattern in (
        ("film", r"/films/[^/]+/"),
        ("series", r"/series/[^/]+/"),
        ("tag", r"/tags/[^/]+/"),
    ):
        path, _ = find_link(feature_links, pattern, name, "The feature")
        pages.append(load(base, name, path)[0])
    if not home_links.search_action:
        raise AuditError("the home page has no search form.")
    query = urllib.parse.urlencode({"q": person_name})
    search, search_links = load(base, "search", f"{home_links.search_action}?{query}")
    find_link(search_links, re.escape(feature_path), "feature", f"Searching {person_name!r}")
    pages.append(search)
    for name, path in (
        ("people index", "/people/"),
        ("films index", "/films/"),
        ("series index", "/series/"),
        ("tags index", "/tags/"),
    ):
        found, _ = find_link(home_links, re.escape(path), name, "The home page")
        pages.append(load(base, name, found)[0])
    missing = f"{feature_path.rstrip('/')}-{secrets.token_hex(4)}/"
    pages.append(load(base, "missing page", missing, status=404)[0])
    return pages


# The judges --------------------------------------------------------------------------------


def validate(pages: list[Page], scratch: Path) -> None:
    """All pages in one run of the validator: the JVM starts once."""
    folder = scratch / "html"
    folder.mkdir()
    files = {}
    for number, page in enumerate(pages):
        file = folder / f"{number:02}.html"
        file.write_bytes(page.html)
        files[file.name] = page
        page.vnu = 0
    try:
        finished = subprocess.run(
            ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always"]
            + [str(folder / name) for name in sorted(os.listdir(folder))],
            capture_output=True,
            text=True,
            timeout=VNU_TIMEOUT,
        )
        messages = json.loads(finished.stdout)["messages"]
    except (subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as error:
        raise AuditError(f"the Nu HTML validator did not report: {error}") from error
    for message in messages:
        page = files.get(message.get("url", "").rpartition("/")[2])
        if page is None:
            raise AuditError(f"the Nu HTML validator says: {message.get('message')}")
        if message.get("type") == "error" or message.get("subType") == "fatal":
            page.vnu += 1
            page.notes.append(f"vnu, line {message.get('lastLine', '?')}: {message['message']}")


def resolver_rules(base: str) -> str:
    """Chromium resolves no name but the site's (addresses need no resolving)."""
    return f"MAP * ~NOTFOUND, EXCLUDE {urllib.parse.urlsplit(base).hostname}"


def run_axe(base: str, pages: list[Page]) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    script = AXE.read_text()
    origin = urllib.parse.urlsplit(base).netloc
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules={resolver_rules(base)}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=args)
        try:
            for viewport in VIEWPORTS:
                context = browser.new_context(viewport=viewport)
                context.set_default_timeout(AXE_TIMEOUT * 1000)
                # Anything for another host is refused before it leaves the browser.
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if urllib.parse.urlsplit(route.request.url).netloc == origin
                        else route.abort()
                    ),
                )
                tab = context.new_page()
                for page in pages:
                    try:
                        tab.goto(base + page.path, wait_until="load")
                        tab.evaluate(script)
                        result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
                    except PlaywrightError as error:
                        raise AuditError(f"axe-core on {page.path}: {error}") from error
                    judge_axe(page, result["violations"], viewport["width"])
                context.close()
        finally:
            browser.close()


def judge_axe(page: Page, violations: list[dict], width: int) -> None:
    """Counts each rule once, whichever widths it is broken at."""
    page.axe = page.axe or 0
    for violation in violations:
        if violation["id"] in page.axe_rules:
            continue
        page.axe_rules.add(violation["id"])
        impact = violation.get("impact") or "minor"
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        page.notes.append(
            f"axe {impact}, {violation['id']} at {width}px: {violation['help']} ({targets})"
        )
        if impact in BLOCKING_IMPACTS:
            page.axe += 1


def median_run(reports: list[dict]) -> dict:
    """The run with the median performance score, as Lighthouse's own tools pick one: the
    other categories hardly move between runs, performance does on a busy machine."""
    return sorted(reports, key=lambda report: report["categories"]["performance"]["score"] or 0)[
        (len(reports) - 1) // 2
    ]


def run_lighthouse(base: str, page: Page, scratch: Path) -> dict:
    output = scratch / "lighthouse.json"
    command = [
        str(LIGHTHOUSE),
        base + page.path,
        "--output=json",
        f"--output-path={output}",
        "--only-categories=" + ",".join(key for key, _, _ in CATEGORIES),
        "--form-factor=mobile",
        "--quiet",
        f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}",
        f"--chrome-flags=--host-resolver-rules='{resolver_rules(base)}'",
    ]
    if page.status != 200:
        command.append("--ignore-status-code")  # the missing page, judged like any other
    env = {**os.environ, "CHROME_PATH": chromium()}
    report: dict = {}
    for _ in range(LIGHTHOUSE_TRIES):
        output.unlink(missing_ok=True)
        try:
            subprocess.run(
                command, env=env, capture_output=True, timeout=LIGHTHOUSE_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            continue
        if output.exists():
            report = json.loads(output.read_text())
            if not report.get("runtimeError"):
                break
    if not report:
        raise AuditError(f"Lighthouse gave no report for {page.path}.")
    return report


def judge_lighthouse(page: Page, report: dict) -> None:
    """Scores as Lighthouse shows them (0 to 100). A page that asks not to be indexed fails
    Lighthouse's crawlability audit on purpose, and a missing page its status audit: their SEO
    is scored without those audits, and the table says so."""
    if report.get("runtimeError"):
        page.notes.append(f"Lighthouse: {report['runtimeError'].get('message')}")
    exempt = set()
    if page.noindex:
        exempt.add("is-crawlable")
    if page.status == 404:
        exempt.add("http-status-code")
    for key, _, least in CATEGORIES:
        category = report["categories"].get(key, {})
        score = category.get("score")
        if key == "seo" and exempt:
            score = score_without(report, category, exempt)
            page.adjusted.add(key)
        page.scores[key] = None if score is None else round(score * 100)
        if page.scores[key] is None or page.scores[key] < least:
            for ref in category.get("auditRefs", []):
                result = report["audits"].get(ref["id"], {})
                failed = result.get("score") is not None and result["score"] < 1
                if ref.get("weight") and failed and ref["id"] not in exempt:
                    detail = result.get("displayValue") or ""
                    page.notes.append(
                        f"Lighthouse {key}, {ref['id']}: {result.get('title')} {detail}".strip()
                    )


def score_without(report: dict, category: dict, exempt: set[str]) -> float | None:
    total = weighted = 0.0
    for ref in category.get("auditRefs", []):
        score = report["audits"].get(ref["id"], {}).get("score")
        if ref["id"] in exempt or not ref.get("weight") or score is None:
            continue
        total += ref["weight"]
        weighted += ref["weight"] * score
    return weighted / total if total else None


# The report --------------------------------------------------------------------------------


def format_scores(page: Page) -> str:
    return ", ".join(f"{heading} {page.scores.get(key)}" for key, heading, _ in CATEGORIES)


def cell(value: int | None, met: bool, mark: str = "") -> str:
    if value is None:
        return "– ✗"
    return f"{value}{mark}" + ("" if met else " ✗")


def report(pages: list[Page]) -> bool:
    """Print the table and the findings behind each miss; return whether any target missed."""
    headings = ["page", "address", "axe serious/critical (0)", "vnu errors (0)"]
    headings += [f"{heading} (≥{least})" for _, heading, least in CATEGORIES]
    rows, missed, footnote = [], [], False
    for page in pages:
        page_missed = not (page.axe == 0 and page.vnu == 0)
        row = [page.name, f"`{page.path}`", cell(page.axe, page.axe == 0)]
        row.append(cell(page.vnu, page.vnu == 0))
        for key, _, least in CATEGORIES:
            score = page.scores.get(key)
            met = score is not None and score >= least
            page_missed = page_missed or not met
            mark = "†" if key in page.adjusted else ""
            footnote = footnote or bool(mark)
            row.append(cell(score, met, mark))
        rows.append(row)
        if page_missed:
            missed.append(page)
    print()
    print("| " + " | ".join(headings) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in headings[2:]) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("✗ misses its target (in brackets).", end="")
    if footnote:
        print(
            " † SEO without the audits a page fails on purpose: crawlability on a page that "
            "says noindex (search results, the missing page), the status code on the missing "
            "page.",
            end="",
        )
    print()
    for page in pages:
        if page.notes:
            title = "misses a target" if page in missed else "notes"
            print(f"\n{page.name} ({page.path}) {title}:")
            for note in page.notes:
                print(f"  - {note}")
    print(
        f"\n{len(pages) - len(missed)} of {len(pages)} pages meet every target."
        if missed
        else f"\nAll {len(pages)} pages meet every target."
    )
    return bool(missed)


if __name__ == "__main__":
    sys.exit(main())
