"""`make bench`: what a feature page costs, next to a floor view and to nginx serving a file.

In a scratch folder, with its own SQLite database (migrated, the demo loaded, content
generated) and static files, this starts two gunicorn instances (page cache off and on),
nginx in front of the second with a configuration made from deploy/nginx.conf, and measures:

- requests per second and latency with wrk, in interleaved rounds, for the floor view, the
  demo feature page without and with the page cache, through nginx's proxy cache, and a
  static copy of the same page served by nginx;
- instructions per render under valgrind (`newsmuse.bench.render`), and SQL queries per page,
  also for a generated feature as long as the floor's page;
- how long after a headline change, saved as editors save it, the feature page shows it
  through nginx's proxy cache and through the page cache (`newsmuse.bench.data`);
- the memory of one gunicorn worker after 10,000 requests over every page type;
- in the full run, instructions per render of each public page type on a second database
  with the demo only, next to the same pages with the generated content.

It prints Markdown tables and a PASS/FAIL line per performance target, stops everything it
started and removes the scratch folder.
"""

import argparse
import collections
import dataclasses
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FLOOR = "/bench/floor/"
# The demo's pages (features/demo.py); the feature page is the one measured.
FEATURE = "/features/jose-hernandez-alejandra-marquez-abella-a-million-miles-away/"
PAGES = {
    "home": "/",
    "feature": FEATURE,
    "person": "/people/jose-hernandez/",
    "film": "/films/a-million-miles-away/",
    "series": "/series/news-x-muse/",
    "tag": "/tags/space/",
}
# Written into STATIC_ROOT, so nginx serves it through the shipped /static/ location.
STATIC_COPY = "bench/static-copy.html"
# The floor's Q&A (newsmuse.bench.floor) has this many words; the demo feature page ~125.
FLOOR_WORDS = 1_500
# Renders counted per page type for the scale table (fewer than the main table's).
SCALE_RENDERS = (3, 8)

# Freshness: headline changes timed, how often the page is fetched meanwhile, and how long
# after the change started a page may take to show it before it counts as never.
CHANGES = 5
POLL_SECONDS = 0.01
CHANGE_TIMEOUT = 30

# Memory: requests sent to one worker, and query strings on the feature page, each a key of
# its own to the page cache (under the 300 entries of Django's local-memory cache).
MEMORY_REQUESTS = 10_000
QUERY_STRINGS = 250
MISSING = "/features/no-such-feature/"

WRK_THREADS = 2
WRK_CONNECTIONS = 8

# The values of deploy/nginx.conf that belong to one installation (see its header).
NGINX_INSTALLATION = {
    "server 127.0.0.1:8000;": "server 127.0.0.1:{app_port};",
    "listen 80;": "listen 127.0.0.1:{port};",
    "/var/cache/nginx/newsmuse": "{scratch}/nginx/cache",
    "/srv/newsmuse/staticfiles/": "{scratch}/static/",
    "/srv/newsmuse/media/": "{scratch}/media/",
}

NGINX_MAIN = """\
# Made by newsmuse.bench.run for one run around deploy/nginx.conf.
{user}worker_processes auto;
pid {nginx}/nginx.pid;
events {{
    worker_connections 1024;
}}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {nginx}/body;
    proxy_temp_path {nginx}/proxy;
    fastcgi_temp_path {nginx}/fastcgi;
    uwsgi_temp_path {nginx}/uwsgi;
    scgi_temp_path {nginx}/scgi;
    include {nginx}/newsmuse.conf;
}}
"""

# wrk calls done() once at the end: one JSON line with the figures the table needs.
WRK_REPORT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_us": %d, "p99_us": %d, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


class BenchError(Exception):
    """Something the bench needs did not work; the message says what."""


@dataclasses.dataclass(frozen=True)
class Settings:
    features: int
    people: int
    films: int
    rounds: int
    seconds: int
    renders: tuple[int, int]  # the two numbers of renders counted under valgrind
    scale: bool  # whether to count each page type on a demo-only database too


FULL = Settings(
    features=2000, people=1000, films=400, rounds=3, seconds=5, renders=(10, 30), scale=True
)
QUICK = Settings(
    features=200, people=100, films=40, rounds=1, seconds=2, renders=(3, 8), scale=False
)


@dataclasses.dataclass
class Row:
    """A line of the table. `key` names its instruction and query counts; rows with a
    `url` are loaded with wrk."""

    key: str
    name: str
    url: str = ""
    runs: list[dict] = dataclasses.field(default_factory=list)

    def median(self, figure: str) -> float | None:
        return statistics.median(result[figure] for result in self.runs) if self.runs else None


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, Settings]:
    parser = argparse.ArgumentParser(
        prog="python -m newsmuse.bench.run",
        description="What a feature page costs, next to a floor view and to nginx serving "
        "a file; how soon a change shows; memory; cost as content grows. Prints Markdown "
        "tables and a PASS/FAIL line per performance target.",
        epilog="Only ratios measured within one run mean something: on a shared machine "
        "absolute figures move by a third from one run to the next.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="about two minutes: less content, one short round, no scale table",
    )
    for name, what in (
        ("features", "generated features"),
        ("people", "generated people"),
        ("films", "generated films"),
        ("rounds", "wrk rounds over all targets"),
        ("seconds", "seconds of each wrk run"),
    ):
        defaults = f"{getattr(FULL, name)}, quick {getattr(QUICK, name)}"
        parser.add_argument(f"--{name}", type=int, metavar="N", help=f"{what} ({defaults})")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    chosen = {
        name: value
        for name in ("features", "people", "films", "rounds", "seconds")
        if (value := getattr(args, name)) is not None
    }
    return args, dataclasses.replace(QUICK if args.quick else FULL, **chosen)


def main(argv: list[str] | None = None) -> int:
    args, settings = parse_args(argv)
    started = time.monotonic()
    # Ctrl-C and `kill` end the run through the finally below, even when started from a
    # shell that made it ignore SIGINT (as `&` in a script does).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    tools = {name: find_tool(name) for name in ("wrk", "nginx", "valgrind")}
    scratch = Path(tempfile.mkdtemp(prefix="newsmuse-bench-"))
    servers: list[subprocess.Popen] = []
    try:
        failed = run(tools, scratch, servers, settings)
    except BenchError as error:
        print(f"\nThe bench could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        for server in reversed(servers):
            stop(server)
        if args.keep:
            print(f"Kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nFinished in {time.monotonic() - started:.0f} s.")
    return 1 if failed and args.strict else 0


def run(
    tools: dict[str, str], scratch: Path, servers: list[subprocess.Popen], settings: Settings
) -> bool:
    """The whole bench; returns whether a target failed. Each server it starts goes into
    `servers` at once, for the caller to stop."""
    env = app_environment(scratch)
    demo_env = app_environment(scratch / "demo")
    step("Preparing", scratch)
    prepare(
        env,
        scratch / "prepare.log",
        [
            *("--features", str(settings.features)),
            *("--people", str(settings.people)),
            *("--films", str(settings.films)),
        ],
    )
    if settings.scale:
        step("Preparing a database with the demo only", scratch / "demo")
        (scratch / "demo").mkdir()
        prepare(demo_env, scratch / "prepare.log", None)
    long_page = closest_feature(env, FLOOR_WORDS)

    step("Counting instructions", f"{settings.renders[0]} and {settings.renders[1]} renders")
    counts = {
        key: instructions_per_render(tools["valgrind"], env, path, page_cache, settings.renders)
        for key, path, page_cache in (
            ("floor", FLOOR, "off"),
            ("feature", FEATURE, "off"),
            ("feature cached", FEATURE, "on"),
            ("long", long_page["path"], "off"),
        )
    }
    scale: dict[str, tuple[float | None, float | None]] = {}
    if settings.scale:
        step(
            "Counting instructions per page type",
            f"demo only and with generated content, {SCALE_RENDERS[0]} and {SCALE_RENDERS[1]} "
            "renders, page cache off",
        )
        scale = scale_counts(tools["valgrind"], demo_env, env)
    step("Counting queries", "the second request to each page")
    by_path = count_queries(env, "off", [FLOOR, *PAGES.values(), long_page["path"]])
    queries = {"floor": by_path[FLOOR], **{key: by_path[path] for key, path in PAGES.items()}}
    queries["long"] = by_path[long_page["path"]]
    queries["feature cached"] = count_queries(env, "on", [FEATURE])[FEATURE]

    step("Starting", "gunicorn with the page cache off and on, nginx in front of the second")
    uncached, cached, front = free_port(), free_port(), free_port()
    for port, page_cache in ((uncached, "off"), (cached, "on")):
        log = scratch / f"gunicorn-{port}.log"
        servers.append(start_gunicorn(env, port, page_cache, log))
        wait_until_up(f"http://127.0.0.1:{port}{FLOOR}", servers[-1], log)
    copy = scratch / "static" / STATIC_COPY
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(fetch(f"http://127.0.0.1:{cached}{FEATURE}")[0])
    servers.append(start_nginx(tools["nginx"], scratch, front, cached))
    static_url = f"http://127.0.0.1:{front}/static/{STATIC_COPY}"
    wait_until_up(static_url, servers[-1], scratch / "nginx" / "error.log")

    rows = [
        Row("floor", "floor view (gunicorn)", f"http://127.0.0.1:{uncached}{FLOOR}"),
        Row(
            "feature",
            "feature page, page cache off (gunicorn)",
            f"http://127.0.0.1:{uncached}{FEATURE}",
        ),
        Row(
            "feature cached",
            "feature page, page cache on (gunicorn)",
            f"http://127.0.0.1:{cached}{FEATURE}",
        ),
        Row("proxied", "feature page, nginx proxy cache", f"http://127.0.0.1:{front}{FEATURE}"),
        Row("static", "static copy of the page (nginx)", static_url),
    ]
    floor_size = len(fetch(rows[0].url)[0])
    notes = [
        proxy_cache_note(rows[3].url),
        f"Pages: the floor is {floor_size:,} bytes, the feature page {copy.stat().st_size:,}.",
    ]
    step(
        "Load",
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}, {settings.rounds} round(s) of "
        f"{settings.seconds} s per target, interleaved",
    )
    measure(tools["wrk"], scratch, rows, settings)
    notes += [
        f"{row.name}: {sum(result['errors'] for result in row.runs)} errors or non-2xx answers."
        for row in rows
        if any(result["errors"] for result in row.runs)
    ]
    rows.append(
        Row("long", f"feature page of {long_page['words']:,} words (generated), page cache off")
    )
    rows += [Row(key, f"{key} page, page cache off") for key in PAGES if key != "feature"]

    # After the load rounds, which the edits and the memory run would disturb.
    step("Freshness", f"{CHANGES} headline changes, the feature page fetched every ~10 ms")
    lags, commits = freshness(
        env, {"nginx proxy cache": rows[3].url, "page cache (gunicorn)": rows[2].url}
    )
    step("Memory", f"one gunicorn worker, page cache on, {MEMORY_REQUESTS:,} requests")
    started = time.monotonic()
    resident, answers = memory(env, scratch, servers)
    print(f"   {MEMORY_REQUESTS:,} requests: {time.monotonic() - started:.1f} s", flush=True)

    print()
    print(table(rows, counts, queries))
    print()
    print(
        "Only ratios within one run mean something: wrk, gunicorn and nginx share this "
        f"machine's {os.cpu_count()} CPUs with whatever else runs on it, and absolute figures "
        "move by a third from one run to the next. Queries: the second request to each page."
    )
    for note in notes:
        print(f"- {note}")
    print()
    print(freshness_table(lags, commits))
    print()
    print(memory_line(resident, answers))
    if scale:
        print()
        print(scale_table(scale))
    print()
    results = [
        *checks({row.key: row.median("rps") for row in rows}, counts, queries),
        lag_check("a change through nginx's proxy cache", lags["nginx proxy cache"], 1000),
        lag_check("a change through the page cache", lags["page cache (gunicorn)"], 100),
        (
            resident < 150,
            f"one gunicorn worker after {MEMORY_REQUESTS:,} requests < 150 MiB resident: "
            f"{resident:.1f} MiB",
        ),
    ]
    if scale:
        results.append(scale_check(scale))
    for passed, line in results:
        print(f"{'PASS' if passed else 'FAIL'}  {line}")
    return not all(passed for passed, _ in results)


def step(title: str, detail: object) -> None:
    print(f"== {title}: {detail}", flush=True)


def find_tool(name: str) -> str:
    # nginx lives in sbin, which is not on every user's PATH.
    path = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    if path is None:
        raise SystemExit(f"The bench needs {name}: `make bench` installs it when run as root.")
    return path


def app_environment(scratch: Path) -> dict[str, str]:
    """The environment of everything the bench runs: the same for every process (its size
    moves instruction counts), and none of the caller's settings (DATABASE_URL, CACHE_URL…),
    whether from the environment or from the checkout's .env file."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "newsmuse.bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-that-never-leaves-the-scratch-folder",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on the loopback: with debug off, the site would redirect it to https.
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
    }


def prepare(env: dict[str, str], log: Path, generate: list[str] | None) -> None:
    """Migrate, load the demo, generate content with these arguments of generate_content
    (none when `generate` is None) and collect the static files."""
    for command in (
        ["migrate", "--no-input"],
        ["load_demo"],
        *([["generate_content", *generate]] if generate is not None else []),
        ["collectstatic", "--no-input"],
    ):
        started = time.monotonic()
        with log.open("a") as output:
            finished = subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        if finished.returncode:
            raise BenchError(f"manage.py {' '.join(command)} failed:\n{tail(log)}")
        print(f"   {' '.join(command)}: {time.monotonic() - started:.1f} s", flush=True)


def instructions_per_render(
    valgrind: str, env: dict[str, str], path: str, page_cache: str, renders: tuple[int, int]
) -> float | None:
    """Instructions of one render of `path`: valgrind counts two runs with different numbers
    of renders (side by side, one per CPU), and start-up cancels out in the difference.

    Python's hash seed is fixed: with random string hashes, dictionary collisions change
    from run to run and so does the count, by a few tenths of a percent. No .pyc is written,
    so a run that compiles a module counts the same as the next one."""
    env = {**env, "PAGE_CACHE": page_cache, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    runs = [
        subprocess.Popen(
            [
                *(valgrind, "--tool=cachegrind", "--cache-sim=no"),
                "--cachegrind-out-file=/dev/null",
                *(sys.executable, "-m", "newsmuse.bench.render", path, str(count)),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for count in renders
    ]
    try:
        outputs = [process.communicate()[1] for process in runs]
    finally:  # interrupted: the other run must not outlive the bench
        for process in runs:
            if process.poll() is None:
                process.kill()
                process.wait()
    totals = []
    for process, stderr in zip(runs, outputs, strict=True):
        found = re.search(r"I\s+refs:\s+([\d,]+)", stderr)
        if process.returncode or found is None:
            print(f"   cannot count {path}:\n{stderr[-2000:]}", file=sys.stderr)
            return None
        totals.append(int(found.group(1).replace(",", "")))
    return (totals[1] - totals[0]) / (renders[1] - renders[0])


def closest_feature(env: dict[str, str], words: int) -> dict:
    """{"path": …, "words": …} of the published feature whose body is nearest `words` long."""
    finished = subprocess.run(
        [sys.executable, "-m", "newsmuse.bench.data", "closest", str(words)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        raise BenchError(f"finding a feature of {words} words failed:\n{finished.stderr[-2000:]}")
    return json.loads(finished.stdout)


def count_queries(env: dict[str, str], page_cache: str, paths: list[str]) -> dict[str, dict]:
    """{path: {"status": …, "queries": …}} from `newsmuse.bench.render --queries`."""
    finished = subprocess.run(
        [sys.executable, "-m", "newsmuse.bench.render", "--queries", *paths],
        cwd=ROOT,
        env={**env, "PAGE_CACHE": page_cache},
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        raise BenchError(f"counting queries failed:\n{finished.stderr[-2000:]}")
    return json.loads(finished.stdout.splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], port: int, page_cache: str, log: Path, workers: int | None = None
) -> subprocess.Popen:
    """gunicorn as deployed, with one worker per CPU unless `workers` says otherwise."""
    env = {**env, "PAGE_CACHE": page_cache, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if workers is not None:
        env["GUNICORN_WORKERS"] = str(workers)
    # In a session of its own, like nginx: Ctrl-C reaches only this script, which then stops
    # the server and its workers in order.
    with log.open("w") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )


def start_nginx(nginx: str, scratch: Path, port: int, app_port: int) -> subprocess.Popen:
    folder = scratch / "nginx"
    (folder / "cache").mkdir(parents=True)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for production, bench in NGINX_INSTALLATION.items():
        if production not in site:
            raise BenchError(f"deploy/nginx.conf has no {production!r} for the bench to replace.")
        site = site.replace(production, bench.format(port=port, app_port=app_port, scratch=scratch))
    (folder / "newsmuse.conf").write_text(site)
    main_conf = folder / "nginx.conf"
    main_conf.write_text(
        NGINX_MAIN.format(
            nginx=folder,
            mime_types=nginx_conf_dir(nginx) / "mime.types",
            # As root, nginx would run its workers as "nobody", who cannot read the scratch
            # folder (mkdtemp makes it private).
            user="user root;\n" if os.geteuid() == 0 else "",
        )
    )
    error_log = folder / "error.log"
    with error_log.open("w") as output:
        return subprocess.Popen(
            [
                *(nginx, "-p", str(folder), "-c", str(main_conf)),
                *("-e", str(error_log), "-g", "daemon off;"),
            ],
            stdout=output,
            stderr=output,
            start_new_session=True,
        )


def nginx_conf_dir(nginx: str) -> Path:
    """Where this nginx keeps its configuration (and mime.types), from `nginx -V`."""
    version = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
    found = re.search(r"--conf-path=(\S+)", version)
    if found is None:
        raise BenchError(f"`{nginx} -V` does not say where its configuration is.")
    return Path(found.group(1)).parent


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    """GET straight to 127.0.0.1, whatever proxy the environment names."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=30) as response:
            return response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        raise BenchError(f"{url} answered {error.code} {error.reason}") from error


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"{Path(server.args[0]).name} stopped at start-up:\n{tail(log)}")
        try:
            fetch(url)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise BenchError(f"{url} did not answer within a minute:\n{tail(log)}")


def tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def proxy_cache_note(url: str) -> str:
    """What nginx's cache does with the feature page, after a request that fills it."""
    fetch(url)
    status = fetch(url)[1].get("X-Cache-Status", "none")
    if status in ("HIT", "UPDATING", "REVALIDATED"):
        return f"nginx answers the feature page from its cache (X-Cache-Status: {status})."
    return (
        f"nginx does not cache the feature page (X-Cache-Status: {status}): that row "
        "measures the path through nginx to gunicorn."
    )


def measure(wrk: str, scratch: Path, rows: list[Row], settings: Settings) -> None:
    """Each round runs every target once, so that a busy moment of the machine falls on all
    of them alike. A first second per target, not counted, warms workers and caches."""
    script = scratch / "wrk-report.lua"
    script.write_text(WRK_REPORT)
    for row in rows:
        load(wrk, script, row.url, 1)
    for _ in range(settings.rounds):
        for row in rows:
            row.runs.append(load(wrk, script, row.url, settings.seconds))


def wrk_report(
    wrk: str,
    script: Path,
    url: str,
    seconds: int,
    *,
    threads: int = WRK_THREADS,
    connections: int = WRK_CONNECTIONS,
) -> dict:
    """The JSON line our wrk script prints: requests, seconds, latency percentiles in µs,
    answers other than 2xx/3xx and socket errors."""
    finished = subprocess.run(
        [
            *(wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s"),
            *("--timeout", "10s", "-s", str(script), url),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    report = next((line for line in finished.stdout.splitlines() if line.startswith("{")), None)
    if finished.returncode or report is None:
        raise BenchError(f"wrk {url} failed:\n{finished.stdout}{finished.stderr}")
    return json.loads(report)


def load(wrk: str, script: Path, url: str, seconds: int) -> dict:
    figures = wrk_report(wrk, script, url, seconds)
    return {
        "rps": figures["requests"] / figures["seconds"],
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": figures["errors"],
    }


def freshness(
    env: dict[str, str], urls: dict[str, str]
) -> tuple[dict[str, list[float | None]], list[float]]:
    """How many ms after each of CHANGES headline changes every URL showed it (None: not
    within CHANGE_TIMEOUT), and the Unix time of each commit. A random pause before each
    change spreads the commits over the second, on which nginx's lag depends."""
    slug = FEATURE.strip("/").rsplit("/", 1)[-1]
    lags: dict[str, list[float | None]] = {name: [] for name in urls}
    commits = []
    for change in range(1, CHANGES + 1):
        time.sleep(random.random())
        # Letters and digits only, so that the page shows it exactly as written.
        headline = f"Bench headline {change} {random.randrange(10**9)}"
        committed, seen = time_change(env, urls, slug, headline)
        commits.append(committed)
        for name in urls:
            lags[name].append((seen[name] - committed) * 1000 if name in seen else None)
    return lags, commits


def time_change(
    env: dict[str, str], urls: dict[str, str], slug: str, headline: str
) -> tuple[float, dict[str, float]]:
    """Save a new headline in a subprocess (`newsmuse.bench.data`) while fetching every URL
    each POLL_SECONDS; the Unix time of the commit and of each URL's first page with it."""
    edit = subprocess.Popen(
        [sys.executable, "-m", "newsmuse.bench.data", "headline", slug, headline],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wanted = headline.encode()
    seen: dict[str, float] = {}
    try:
        started = time.monotonic()
        while len(seen) < len(urls) and time.monotonic() - started < CHANGE_TIMEOUT:
            if edit.poll():  # the save failed: nothing will change
                break
            polled = time.monotonic()
            for name, url in urls.items():
                if name not in seen and wanted in fetch(url)[0]:
                    seen[name] = time.time()
            time.sleep(max(0.0, polled + POLL_SECONDS - time.monotonic()))
        output, errors = edit.communicate(timeout=CHANGE_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"changing the headline took over {CHANGE_TIMEOUT} s.") from error
    finally:  # interrupted or timed out: the edit must not outlive the bench
        if edit.poll() is None:
            edit.kill()
            edit.wait()
    if edit.returncode:
        raise BenchError(f"changing the headline failed:\n{errors[-2000:]}")
    return float(output.split()[-1]), seen


def freshness_table(lags: dict[str, list[float | None]], commits: list[float]) -> str:
    lines = [
        "| a change shows through | max lag ms | median lag ms | each change, ms |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, values in lags.items():
        seen = [value for value in values if value is not None]
        cells = [
            name,
            f"{max(seen):.0f}" if len(seen) == len(values) else "never",
            f"{statistics.median(seen):.0f}" if seen else "",
            ", ".join("never" if value is None else f"{value:.0f}" for value in values),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    moments = ", ".join(f"{moment % 1:.2f}" for moment in commits)
    lines += [
        "",
        f"Changes committed at {moments} s into their second; each shows when a fetched page "
        "first carries the new headline. Through nginx a change waits for the rest of its "
        "second, then one render.",
    ]
    return "\n".join(lines)


def lag_check(what: str, lags: list[float | None], limit: int) -> tuple[bool, str]:
    target = f"{what} shows within {limit} ms"
    if None in lags:
        return False, f"{target}: one did not within {CHANGE_TIMEOUT} s"
    return max(lags) < limit, f"{target}: at most {max(lags):.0f} ms"


def memory(
    env: dict[str, str], scratch: Path, servers: list[subprocess.Popen]
) -> tuple[float, collections.Counter]:
    """The resident MiB of the largest worker of a one-worker gunicorn (page cache on, the
    default local-memory cache) after MEMORY_REQUESTS requests, and how many of each status
    it answered."""
    port = free_port()
    log = scratch / "gunicorn-memory.log"
    servers.append(start_gunicorn(env, port, "on", log, workers=1))
    wait_until_up(f"http://127.0.0.1:{port}{FLOOR}", servers[-1], log)
    answers = drive(port, memory_paths(), MEMORY_REQUESTS)
    workers = child_pids(servers[-1].pid)
    if not workers:
        raise BenchError(f"the gunicorn of the memory run has no workers:\n{tail(log)}")
    return max(resident_mib(pid) for pid in workers), answers


def memory_line(resident: float, answers: collections.Counter) -> str:
    counted = ", ".join(f"{count:,} × {status}" for status, count in sorted(answers.items()))
    return (
        f"Memory: one gunicorn worker (page cache on, local-memory cache) after "
        f"{MEMORY_REQUESTS:,} requests over every page type, a missing page and the feature "
        f"page under {QUERY_STRINGS} query strings: {resident:.1f} MiB resident. Answers: "
        f"{counted}."
    )


def memory_paths() -> list[str]:
    """One turn of the memory run: every public page type, a missing page, then the feature
    page with the next of QUERY_STRINGS query strings."""
    pages = [*PAGES.values(), MISSING]
    return [path for n in range(QUERY_STRINGS) for path in (*pages, f"{FEATURE}?ref={n}")]


def drive(port: int, paths: list[str], count: int) -> collections.Counter:
    """`count` GETs one after the other, going round `paths`; the answers counted by status.
    gunicorn's sync workers close every connection: http.client opens the next one."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    answers: collections.Counter = collections.Counter()
    try:
        for n in range(count):
            connection.request("GET", paths[n % len(paths)])
            response = connection.getresponse()
            response.read()
            answers[response.status] += 1
    finally:
        connection.close()
    return answers


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent`, from /proc/<pid>/stat."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The fields after the command name, which may hold spaces, in parentheses.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # given in kB, that is KiB
    raise BenchError(f"/proc/{pid}/status has no VmRSS.")


def scale_counts(
    valgrind: str, demo_env: dict[str, str], env: dict[str, str]
) -> dict[str, tuple[float | None, float | None]]:
    """Instructions per render of each public page type with the page cache off, on the
    demo-only database and on the one with generated content. The demo's own pages have the
    same addresses in both. The demo's environment is a few bytes longer (its folder), which
    moves a count by far less than the ratios at stake."""
    return {
        page: (
            instructions_per_render(valgrind, demo_env, path, "off", SCALE_RENDERS),
            instructions_per_render(valgrind, env, path, "off", SCALE_RENDERS),
        )
        for page, path in PAGES.items()
    }


def scale_table(scale: dict[str, tuple[float | None, float | None]]) -> str:
    lines = [
        "| page, page cache off | demo only, instructions/render | with generated content "
        "| ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for page, (demo, generated) in scale.items():
        cells = [page, millions(demo), millions(generated), ratio(generated, demo)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scale_check(scale: dict[str, tuple[float | None, float | None]]) -> tuple[bool, str]:
    target = "every public page with generated content < 3× its instructions on the demo only"
    ratios = {
        page: generated / demo for page, (demo, generated) in scale.items() if demo and generated
    }
    if len(ratios) < len(scale):
        return False, f"{target}: not measured"
    worst = max(ratios, key=ratios.__getitem__)
    return ratios[worst] < 3, f"{target}: at most {ratios[worst]:.2f}× ({worst})"


def table(rows: list[Row], counts: dict[str, float | None], queries: dict[str, dict]) -> str:
    rps = {row.key: row.median("rps") for row in rows}
    lines = [
        "| target | requests/s | p50 ms | p99 ms | × floor | × nginx static "
        "| instructions/render | × floor instructions | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        count = counts.get(row.key)
        cells = [
            row.name,
            f"{rps[row.key]:,.0f}" if row.runs else "",
            f"{row.median('p50'):.1f}" if row.runs else "",
            f"{row.median('p99'):.1f}" if row.runs else "",
            ratio(rps[row.key], rps["floor"]),
            ratio(rps[row.key], rps["static"]),
            millions(count),
            ratio(count, counts["floor"]),
            queries_cell(queries.get(row.key)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def millions(count: float | None) -> str:
    return f"{count / 1e6:.2f} M" if count else ""


def ratio(value: float | None, reference: float | None) -> str:
    return f"{value / reference:.2f}" if value and reference else ""


def queries_cell(page: dict | None) -> str:
    if page is None:
        return ""
    if page["status"] == 404:
        return "—"
    return str(page["queries"]) if page["status"] == 200 else f"HTTP {page['status']}"


def checks(
    rps: dict[str, float | None], counts: dict[str, float | None], queries: dict[str, dict]
) -> list[tuple[bool, str]]:
    """The performance targets, each as (passed, what was measured against what)."""
    feature = queries["feature"]
    feature_queries = feature["queries"] if feature["status"] == 200 else None
    return [
        at_most("uncached feature page instructions", counts["feature"], 2, counts["floor"]),
        at_least("uncached feature page requests/s", rps["feature"], rps["floor"], "the floor's"),
        at_least(
            "proxy-cached feature page requests/s", rps["proxied"], rps["static"], "nginx static's"
        ),
        at_most("cached feature page instructions", counts["feature cached"], 1, counts["floor"]),
        (
            feature_queries is not None and feature_queries <= 6,
            f"feature page queries ≤ 6: {'—' if feature_queries is None else feature_queries}",
        ),
    ]


def at_most(what: str, value: float | None, times: float, floor: float | None) -> tuple[bool, str]:
    target = f"{what} ≤ {times:g}× the floor's"
    if not (value and floor):
        return False, f"{target}: not measured"
    return value <= times * floor, f"{target}: {value / floor:.2f}×"


def at_least(
    what: str, value: float | None, reference: float | None, whose: str
) -> tuple[bool, str]:
    target = f"{what} ≥ 50% of {whose}"
    if not (value and reference):
        return False, f"{target}: not measured"
    return value >= reference / 2, f"{target}: {value / reference:.0%}"


def stop(server: subprocess.Popen) -> None:
    """Ask the server to stop (gunicorn and nginx stop their workers first). One that does
    not within 15 s is killed with its whole process group, before it is reaped, so the
    group id is still its own."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
