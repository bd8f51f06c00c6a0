"""Benchmark: the reviewer queue page under concurrent load, 30k and 300k.

    .venv/bin/python bench/queue_load.py [--counselors 30000 300000]
        [--duration 20] [--connections 4] [--reuse]
        [--database-prefix fudao_bench_deploy] [--port 25330]

For each size it builds a scratch PostgreSQL database (bench/registry_data.py,
named <prefix>_<size>, by default fudao_bench_deploy_30k), starts gunicorn
with 2 sync workers on 127.0.0.1 with deploy/gunicorn.conf.py and
``FUDAO_BENCH_ROUTES`` on, signs
the benchmark reviewer in, and drives two URLs with wrk (Debian package
``wrk``) from a second process, one after the other:

* ``/``: the queue page (待办) as the reviewer sees it;
* ``/bench/queue.json``: the same session check and queries, returning
  JSON (web/queue/bench_views.py), the baseline.

For each URL it prints requests per second, p50/p95/p99 latency, the
load average before the run and the gunicorn workers' CPU time per
request. That CPU time comes from /proc, so other processes on the
machine do not inflate it. The page's figures are also given as a share
of the baseline's. ``--reuse`` keeps a database built by an earlier run.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import registry_data  # noqa: E402

# Two checkouts benchmarking at once each need their own databases and port:
# set them with --database-prefix and --port, or these variables.
DATABASE_PREFIX = os.environ.get("FUDAO_BENCH_DATABASE_PREFIX", "fudao_bench_deploy")
PORT = int(os.environ.get("FUDAO_BENCH_PORT", "25330"))
BASE = f"http://127.0.0.1:{PORT}"
URLS = {"queue page": "/", "bare JSON route": "/bench/queue.json"}
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_name(counselors):
    """Return the scratch database name for ``counselors`` records."""
    return f"{DATABASE_PREFIX}_{counselors // 1000}k"


def _database_ready(name, counselors):
    from sqlalchemy import create_engine, text

    engine = create_engine(registry_data.database_url(name))
    try:
        with engine.connect() as connection:
            count = connection.scalar(text("SELECT count(*) FROM counselor"))
    except Exception:  # noqa: BLE001 - missing database or table: rebuild
        return False
    finally:
        engine.dispose()
    return count == counselors


def start_server(name, log_path):
    """Start gunicorn with 2 workers on database ``name``; return the process."""
    environment = dict(
        os.environ,
        FUDAO_ENV="development",
        FUDAO_SECRET_KEY="bench-only-secret",
        FUDAO_DATABASE_URL=registry_data.database_url(name),
        FUDAO_BENCH_ROUTES="true",
        FUDAO_LOG_FORMAT="json",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS="2",
        # A worker replaced mid-run would take its CPU time with it and
        # stall requests while the new one starts.
        GUNICORN_MAX_REQUESTS="0",
    )
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_ready(process)
    except BaseException:
        _stop(process)
        raise
    return process


def _stop(process):
    process.terminate()
    process.wait(timeout=60)


def _wait_ready(server):
    for _ in range(120):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        try:
            with urllib.request.urlopen(f"{BASE}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not become ready within 60 s")


def sign_in():
    """Sign the benchmark reviewer in; return the Cookie header value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/sign-in").read().decode()
    form = urllib.parse.urlencode(
        {
            "username": registry_data.REVIEWER,
            "password": registry_data.PASSWORD,
            "csrf_token": _CSRF.search(page).group(1),
        }
    ).encode()
    opener.open(f"{BASE}/sign-in", data=form).read()
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    check = urllib.request.Request(f"{BASE}/", headers={"Cookie": cookies})
    body = urllib.request.urlopen(check).read().decode()
    if "待办事项" not in body:
        raise RuntimeError("sign-in failed: the queue page did not load")
    return cookies


def run_wrk(path, cookies, duration, connections):
    """Drive ``path`` with wrk; return its JSON summary."""
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "-s",
            str(ROOT / "bench/wrk_report.lua"),
            "-H",
            f"Cookie: {cookies}",
            f"{BASE}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def worker_cpu_seconds(master_pid):
    """Return the CPU seconds used so far by the workers of ``master_pid``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name may contain spaces; fields after it are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == master_pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def measure(counselors, args):
    """Build or reuse the database, start the server and run both URLs."""
    name = database_name(counselors)
    if not (args.reuse and _database_ready(name, counselors)):
        started = time.perf_counter()
        registry_data.build(name, counselors)
        print(f"built {name} in {time.perf_counter() - started:.0f} s", flush=True)
    server = start_server(name, Path(f"/tmp/{name}-gunicorn.log"))
    try:
        cookies = sign_in()
        results = {}
        for label, path in URLS.items():
            # Warm both workers' caches and connection pools first.
            run_wrk(path, cookies, 3, args.connections)
            load = os.getloadavg()[0]
            cpu = worker_cpu_seconds(server.pid)
            results[label] = run_wrk(path, cookies, args.duration, args.connections)
            cpu = worker_cpu_seconds(server.pid) - cpu
            results[label]["load"] = load
            results[label]["cpu_ms"] = cpu * 1000 / results[label]["requests"]
    finally:
        _stop(server)
    return results


def report(counselors, results):
    """Print one size's figures, with the page's share of the baseline."""
    baseline = results["bare JSON route"]
    print(f"\n{counselors:,} counselors")
    print(
        "| route | req/s | p50 ms | p95 ms | p99 ms | errors | "
        "worker CPU ms/request | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, figures in results.items():
        print(
            f"| {label} | {figures['rps']:.1f} | {figures['p50_ms']:.1f} | "
            f"{figures['p95_ms']:.1f} | {figures['p99_ms']:.1f} | "
            f"{figures['errors']} | {figures['cpu_ms']:.1f} | "
            f"{figures['load']:.1f} |"
        )
    page = results["queue page"]
    print(
        f"queue page / bare route: throughput {page['rps'] / baseline['rps']:.2f}, "
        f"CPU per request {page['cpu_ms'] / baseline['cpu_ms']:.2f}"
    )


def _configure(prefix, port):
    global DATABASE_PREFIX, PORT, BASE
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", prefix):
        raise SystemExit(
            f"invalid --database-prefix {prefix!r}: use lower-case letters, "
            "digits and underscores"
        )
    DATABASE_PREFIX, PORT, BASE = prefix, port, f"http://127.0.0.1:{port}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counselors", type=int, nargs="+", default=[30_000, 300_000])
    parser.add_argument("--duration", type=int, default=20, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--database-prefix",
        default=DATABASE_PREFIX,
        help="scratch databases are named PREFIX_30k, PREFIX_300k",
    )
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port")
    args = parser.parse_args()
    _configure(args.database_prefix, args.port)

    figures = {}
    for counselors in args.counselors:
        figures[counselors] = measure(counselors, args)
        report(counselors, figures[counselors])
    if len(figures) == 2:
        small, large = (figures[size]["queue page"] for size in sorted(figures))
        print(
            f"\nqueue page, largest / smallest: p95 "
            f"{large['p95_ms'] / small['p95_ms']:.2f}, CPU per request "
            f"{large['cpu_ms'] / small['cpu_ms']:.2f}; "
            f"req/s, smallest / largest: {small['rps'] / large['rps']:.2f}"
        )


if __name__ == "__main__":
    main()
