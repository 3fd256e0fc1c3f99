"""`make bench`: what a feature page costs, next to a floor view and to nginx serving a file.

In a scratch folder, with its own SQLite database (migrated, the demo loaded, content
generated) and static files, this starts two gunicorn instances (page cache off and on),
nginx in front of the second with a configuration made from deploy/nginx.conf, and measures:

- requests per second and latency with wrk, in interleaved rounds, for the floor view, the
  demo feature page without and with the page cache, through nginx's proxy cache, and a
  static copy of the same page served by nginx;
- instructions per render under valgrind (`newsmuse.bench.render`), and SQL queries per page.

It prints one Markdown table and a PASS/FAIL line per performance target, stops everything
it started and removes the scratch folder.
"""

import argparse
import dataclasses
import json
import os
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


FULL = Settings(features=2000, people=1000, films=400, rounds=3, seconds=5, renders=(10, 30))
QUICK = Settings(features=200, people=100, films=40, rounds=1, seconds=2, renders=(3, 8))


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
        "a file. Prints one Markdown table and a PASS/FAIL line per performance target.",
        epilog="Only ratios measured within one run mean something: on a shared machine "
        "absolute figures move by a third from one run to the next.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="about a minute: less content, one short round"
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
    step("Preparing", scratch)
    prepare(env, scratch, settings)

    step("Counting instructions", f"{settings.renders[0]} and {settings.renders[1]} renders")
    counts = {
        key: instructions_per_render(tools["valgrind"], env, path, page_cache, settings.renders)
        for key, path, page_cache in (
            ("floor", FLOOR, "off"),
            ("feature", FEATURE, "off"),
            ("feature cached", FEATURE, "on"),
        )
    }
    step("Counting queries", "the second request to each page")
    by_path = count_queries(env, "off", [FLOOR, *PAGES.values()])
    queries = {"floor": by_path[FLOOR], **{key: by_path[path] for key, path in PAGES.items()}}
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
    rows += [Row(key, f"{key} page, page cache off") for key in PAGES if key != "feature"]

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
    results = checks({row.key: row.median("rps") for row in rows}, counts, queries)
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
    moves instruction counts), and none of the caller's settings (DATABASE_URL, CACHE_URL…)."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "newsmuse.bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-that-never-leaves-the-scratch-folder",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
    }


def prepare(env: dict[str, str], scratch: Path, settings: Settings) -> None:
    content = [
        *("--features", str(settings.features)),
        *("--people", str(settings.people)),
        *("--films", str(settings.films)),
    ]
    log = scratch / "prepare.log"
    for command in (
        ["migrate", "--no-input"],
        ["load_demo"],
        ["generate_content", *content],
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


def start_gunicorn(env: dict[str, str], port: int, page_cache: str, log: Path) -> subprocess.Popen:
    # In a session of its own, like nginx: Ctrl-C reaches only this script, which then stops
    # the server and its workers in order.
    with log.open("w") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env={**env, "PAGE_CACHE": page_cache, "GUNICORN_BIND": f"127.0.0.1:{port}"},
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


def load(wrk: str, script: Path, url: str, seconds: int) -> dict:
    finished = subprocess.run(
        [
            *(wrk, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s"),
            *("--timeout", "10s", "-s", str(script), url),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    report = next((line for line in finished.stdout.splitlines() if line.startswith("{")), None)
    if finished.returncode or report is None:
        raise BenchError(f"wrk {url} failed:\n{finished.stdout}{finished.stderr}")
    figures = json.loads(report)
    return {
        "rps": figures["requests"] / figures["seconds"],
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": figures["errors"],
    }


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
            f"{count / 1e6:.2f} M" if count else "",
            ratio(count, counts["floor"]),
            queries_cell(queries.get(row.key)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


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
