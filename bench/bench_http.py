"""HTTP benchmark of the public pages as `consensio serve` serves them (a script, not a test).

    .venv/bin/python bench/bench_http.py [--duration 5] [--rounds 1] [--workers 2] [--quick]

Loads the demo into a fresh data folder (SQLite), then for each server stack starts the
servers, drives each URL with wrk (-t2 -c64, closed loop, from this machine: 127.0.0.1 only)
and prints requests/s with wrk's p50 / p99, and each page's ratio to the baseline of its
stack measured in the same run: a bare JsonResponse view with no middleware served by the
same server stack (bench/bare_app.py). The issue's goal is >= 50 %.

The product keeps public pages for readers who are not logged in in its page cache
(src/consensio/core/pagecache.py): wrk sends no cookies, so after the first request per
process every page is a hit that costs one database query. The `nocache` stack measures the
same server with the cache off, which is what a logged-in reader's page costs to render.

Stacks:
  consensio  `consensio serve --workers N`: uvicorn, pages through Django's WSGI handler in a
             thread pool, websockets through Channels, one port (the product).
  nocache    the same with CONSENSIO_PAGE_CACHE_SECONDS=0: every page rendered.
  gunicorn   reference: gunicorn sync workers with consensio.wsgi (pages only, no websockets).
  asgi       reference: uvicorn with Django's ASGI handler (how pages were served before).

Needs wrk (Debian: `apt-get install wrk`).
"""

from __future__ import annotations

import argparse
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
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PY = sys.executable
# The public pages measured; "{floor}" and "{session}" become the demo's first floor screen and
# first session (its agenda and programme of work), found on the running server.
PAGES = ["/floor/{floor}/", "/sessions/{session}/", "/documents/", "/states/", "/statements/", "/bodies/"]
BASELINE = "/json (bare)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


SUPERVISED_BARE = (
    "import argparse, sys; from consensio.commands.serve import _supervise, _uvicorn_options; "
    "a = argparse.Namespace(host='127.0.0.1', port=int(sys.argv[1]), workers=int(sys.argv[2])); "
    "o = _uvicorn_options(a); o['app'] = 'bare_app:threaded_application'; _supervise(o, a.workers)"
)


def server_commands(stack: str, kind: str, port: int, workers: int) -> tuple[list[str], dict[str, str]]:
    """The command line for `stack` serving the product (kind 'app') or the bare view ('bare')."""
    bare_env = {"DJANGO_SETTINGS_MODULE": "bare_app", "PYTHONPATH": str(BENCH)}
    uvicorn = [
        PY,
        "-m",
        "uvicorn",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-server-header",
        # Every uvicorn stack gets the product's TCP_NODELAY fix (commands/serve.py, NoDelayHttp):
        # without it, --workers 2 adds ~40 ms of delayed ACK to each request and measures nothing else.
        "--http",
        "consensio.commands.serve:NoDelayHttp",
    ]
    gunicorn = [
        PY,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    if stack in ("consensio", "nocache"):
        if kind == "app":
            return [
                PY,
                "-m",
                "consensio.cli",
                "serve",
                "--no-migrate",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ], {"CONSENSIO_PAGE_CACHE_SECONDS": "0"} if stack == "nocache" else {}
        # The bare view served exactly as `consensio serve` serves: the same worker processes,
        # each with its own listening socket (commands/serve.py, _supervise).
        return [PY, "-c", SUPERVISED_BARE, str(port), str(workers)], bare_env
    if stack == "gunicorn":
        if kind == "app":
            return [*gunicorn, "consensio.wsgi:application"], {}
        return [*gunicorn, "bare_app:wsgi_application"], bare_env
    if stack == "asgi":
        if kind == "app":
            return [*uvicorn, "consensio.asgi:application"], {}
        return [*uvicorn, "bare_app:asgi_application"], bare_env
    raise ValueError(stack)


def discover(env: dict[str, str], workers: int) -> list[str]:
    """PAGES with the demo's first floor screen and first session filled in."""
    port = free_port()
    cmd, extra = server_commands("consensio", "app", port, workers)
    proc = subprocess.Popen(cmd, env={**env, **extra}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/floor/", proc)
        def links(path: str, pattern: str) -> list[str]:
            with urllib.request.urlopen(base + path, timeout=10) as response:
                found = re.findall(pattern, response.read().decode())
            if not found:
                raise RuntimeError(f"no link matching {pattern} on {path}: is the demo loaded?")
            return found

        body = links("/bodies/", r'href="(/bodies/[^/"]+/)"')[0]
        # The last session of the body: the concluding one, with the longest programme of work.
        found = {"floor": links("/floor/", r'href="/floor/(\d+)/"')[0],
                 "session": links(body, r'href="/sessions/(\d+)/"')[-1]}
        return [p.format(**found) for p in PAGES]
    finally:
        stop(proc)


def run_wrk(url: str, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": pct("50"),
        "p99": pct("99"),
        "non2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": 1.0
        if errors and re.search(r"(connect|read|write|timeout) [1-9]", errors.group(0))
        else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds per cell; medians are shown (default 1)"
    )
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    parser.add_argument("--stacks", default="consensio,gunicorn,asgi", help="comma-separated stacks to run")
    parser.add_argument("--quick", action="store_true", help="2 s runs, product stack only (smoke test)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench_http: wrk is not installed; on Debian: apt-get install wrk", file=sys.stderr)
        return 2
    stacks = ["consensio"] if args.quick else [s.strip() for s in args.stacks.split(",") if s.strip()]
    duration = 2 if args.quick else args.duration

    home = Path(tempfile.mkdtemp(prefix="consensio-bench-http-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update({"CONSENSIO_HOME": str(home), "CONSENSIO_ALLOW_MEMORY_LAYER": "1", "LOG_LEVEL": "WARNING"})
    print(f"loading the demo into {home} …", flush=True)
    subprocess.run(
        [PY, "-m", "consensio.cli", "demo", "--no-serve"],
        env=env,
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )

    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        pages = discover(env, args.workers)
        for round_no in range(args.rounds):
            for stack in stacks:
                for kind, urls in (("bare", ["/json"]), ("app", pages)):
                    port = free_port()
                    cmd, extra = server_commands(stack, kind, port, args.workers)
                    proc = subprocess.Popen(
                        cmd, env={**env, **extra}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                    )
                    try:
                        base = f"http://127.0.0.1:{port}"
                        wait_http(base + urls[0], proc)
                        for url in urls:
                            with urllib.request.urlopen(base + url, timeout=10) as response:
                                assert response.status == 200, (url, response.status)
                            run_wrk(base + url, 1, args.connections)  # warm every worker
                            cell = run_wrk(base + url, duration, args.connections)
                            label = BASELINE if kind == "bare" else url
                            results.setdefault((stack, label), []).append(cell)
                            print(
                                f"  round {round_no + 1} {stack:<9} {label:<14} {cell['rps']:>8,.0f} req/s",
                                flush=True,
                            )
                    finally:
                        stop(proc)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    print()
    print(
        f"wrk -t2 -c{args.connections} -d{duration}s, {args.workers} server processes, "
        f"{args.rounds} round(s), medians; req/s (p50 / p99 ms) and ratio to the stack's bare view"
    )
    print()
    header = f"| {'URL':<14} | " + " | ".join(f"{s:<34}" for s in stacks) + " |"
    print(header)
    print("|" + "---|" * (len(stacks) + 1))
    for label in [BASELINE, *pages]:
        cells = []
        for stack in stacks:
            runs = results.get((stack, label))
            if not runs:
                cells.append(f"{'–':<34}")
                continue
            rps = statistics.median(r["rps"] for r in runs)
            p50 = statistics.median(r["p50"] for r in runs)
            p99 = statistics.median(r["p99"] for r in runs)
            base = statistics.median(r["rps"] for r in results[(stack, BASELINE)])
            flag = " (errors!)" if any(r["non2xx"] or r["socket_errors"] for r in runs) else ""
            cells.append(f"{f'{rps:,.0f} ({p50:.1f} / {p99:.1f}) {rps / base:.0%}{flag}':<34}")
        print(f"| {label:<14} | " + " | ".join(cells) + " |")
    print(
        f"\nhost load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (others' work included)"
    )
    if "consensio" in stacks and "gunicorn" in stacks:
        fastest = max(statistics.median(r["rps"] for r in results[(s, BASELINE)]) for s in stacks)
        print()
        print(
            f"fastest bare view of any stack: {fastest:,.0f} req/s; consensio pages against it: "
            + ", ".join(
                f"{p} {statistics.median(r['rps'] for r in results[('consensio', p)]) / fastest:.0%}"
                for p in pages
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
