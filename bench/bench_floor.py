"""Live-floor benchmark: one event to 1,000 websocket clients (a script, not a test).

    /work/venv/bin/python bench/bench_floor.py [--clients 1000] [--rounds 20] [--configs raw,memory,redis2,stock]

This process is the client side (asyncio + websockets, uvloop when installed); the servers
are separate processes started here, on 127.0.0.1 only. For each configuration it connects
N clients to /ws/live/statements/, then, 20 times, raises one event and times how long until
the LAST client has the fragment (and the median client), measured from just before the
trigger request was sent.

How the event is raised: `GET /__bench__/broadcast` on a bench-only wrapper app
(bench/floor_app.py, never part of the product). In the product configurations it calls
`send_on_commit()` inside a committed transaction in a worker thread — exactly what an
action does — so the time includes the commit hook, async_to_sync, the channel layer and
every LiveConsumer.

Configurations (all uvicorn with the options `consensio serve` uses):
  raw     the same protocol with no Django and no Channels: the physical floor (baseline)
  memory  `consensio serve` app, one process, the default MemoryChannelLayer
  redis2  `consensio serve` app, two processes on two ports with REDIS_URL (the pub/sub layer);
          clients split between them, every event raised through the first one, so half the
          clients see an event raised through the other process
  stock   as memory, with Channels' InMemoryChannelLayer (the layer that was replaced)

The issue's goal: p99 <= 250 ms for the last of 1,000 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PY = sys.executable
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
GOAL_MS = 250.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    cmd = [PY, "-m", "uvicorn", "--factory", f"floor_app:{factory}", "--host", "127.0.0.1", "--port", str(port),
           "--lifespan", "off", "--log-level", "warning", "--no-server-header", "--ws-per-message-deflate", "false"]
    return subprocess.Popen(cmd, env={**env, "PYTHONPATH": str(BENCH)}, stdout=subprocess.DEVNULL)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


async def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start within {timeout:.0f} s")


async def trigger(port: int, round_no: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /__bench__/broadcast?round={round_no} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Connection: close\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    writer.close()
    if b" 204 " not in status:
        raise RuntimeError(f"trigger answered {status!r}")


async def measure(ports: list[int], clients: int, rounds: int, round_timeout: float) -> dict[str, object]:
    from websockets.asyncio.client import connect

    arrivals: dict[int, list[float]] = {}
    done: dict[int, asyncio.Event] = {}
    sockets = []

    async def listen(ws: object) -> None:
        async for frame in ws:  # type: ignore[attr-defined]
            start = frame.find('data-round=\\"')
            if start < 0:
                continue
            end = frame.find("\\", start + 13)
            round_no = int(frame[start + 13:end])
            bucket = arrivals.get(round_no)
            if bucket is not None:
                bucket.append(time.perf_counter())
                if len(bucket) == clients:
                    done[round_no].set()

    connect_started = time.perf_counter()
    for batch_start in range(0, clients, 100):
        batch = []
        for i in range(batch_start, min(batch_start + 100, clients)):
            port = ports[i % len(ports)]
            batch.append(connect(f"ws://127.0.0.1:{port}/ws/live/statements/", origin=f"http://127.0.0.1:{port}",
                                 compression=None, open_timeout=30, ping_interval=None, max_queue=None))
        sockets.extend(await asyncio.gather(*batch))
    connect_seconds = time.perf_counter() - connect_started
    listeners = [asyncio.ensure_future(listen(ws)) for ws in sockets]
    await asyncio.sleep(0.5)

    last, median, failed = [], [], 0
    try:
        for round_no in range(1, rounds + 1):
            arrivals[round_no] = []
            done[round_no] = asyncio.Event()
            started = time.perf_counter()
            await trigger(ports[0], round_no)
            try:
                await asyncio.wait_for(done[round_no].wait(), round_timeout)
            except asyncio.TimeoutError:
                failed += 1
                continue
            times = sorted(t - started for t in arrivals[round_no])
            last.append(times[-1] * 1000)
            median.append(times[len(times) // 2] * 1000)
            await asyncio.sleep(0.3)
    finally:
        for task in listeners:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {"last": last, "median": median, "failed": failed, "connect_s": connect_seconds}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_config(name: str, clients: int, rounds: int, home: Path) -> dict[str, object]:
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE",
                                                                  "BENCH_LAYER")}
    base_env.update({"CONSENSIO_HOME": str(home), "LOG_LEVEL": "WARNING"})
    servers = []
    if name == "raw":
        servers = [("raw", base_env)]
    elif name == "memory":
        servers = [("product", base_env)]
    elif name == "stock":
        servers = [("product", {**base_env, "BENCH_LAYER": "stock"})]
    elif name == "redis2":
        servers = [("product", {**base_env, "REDIS_URL": REDIS_URL})] * 2
    else:
        raise ValueError(name)
    ports = [free_port() for _ in servers]
    procs = [start_server(factory, port, env) for (factory, env), port in zip(servers, ports, strict=True)]
    try:
        async def scenario() -> dict[str, object]:
            for port, proc in zip(ports, procs, strict=True):
                await wait_port(port, proc)
            return await measure(ports, clients, rounds, round_timeout=15)

        return asyncio.run(asyncio.wait_for(scenario(), 600))
    finally:
        for proc in procs:
            stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--configs", default="raw,memory,redis2,stock")
    parser.add_argument("--quick", action="store_true", help="100 clients, 5 rounds, raw and memory (smoke test)")
    args = parser.parse_args()
    clients, rounds = (100, 5) if args.quick else (args.clients, args.rounds)
    configs = ["raw", "memory"] if args.quick else [c.strip() for c in args.configs.split(",") if c.strip()]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    home = Path(tempfile.mkdtemp(prefix="consensio-bench-floor-"))
    results: dict[str, dict[str, object]] = {}
    try:
        for name in configs:
            print(f"  {name}: {clients} clients, {rounds} rounds …", flush=True)
            try:
                results[name] = run_config(name, clients, rounds, home)
            except Exception as exc:  # report the cell as failed, go on with the others
                print(f"  {name}: FAILED ({exc})", flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    print()
    print(f"{clients} websocket clients, {rounds} rounds; time from the trigger until the last / the median client "
          "has the fragment (ms); ratio = last-client p50 against raw ASGI in this run")
    print()
    print("| config | last client p50 | last client p99 | median client p50 | ratio to raw | failed rounds | connect s |")
    print("|---|---|---|---|---|---|---|")
    raw_p50 = statistics.median(results["raw"]["last"]) if results.get("raw", {}).get("last") else None  # type: ignore[arg-type]
    for name in configs:
        r = results.get(name)
        if r is None:
            print(f"| {name} | FAILED | | | | | |")
            continue
        last: list[float] = r["last"]  # type: ignore[assignment]
        median: list[float] = r["median"]  # type: ignore[assignment]
        p50 = statistics.median(last) if last else float("nan")
        ratio = f"{p50 / raw_p50:.1f}x" if raw_p50 and last else "–"
        goal = "" if name == "raw" else (" ✓" if last and pct(last, 0.99) <= GOAL_MS else " ✗")
        print(f"| {name} | {p50:.0f} | {pct(last, 0.99):.0f}{goal} | "
              f"{statistics.median(median) if median else float('nan'):.0f} | {ratio} | {r['failed']} | "
              f"{r['connect_s']:.1f} |")
    print(f"\ngoal: last-client p99 <= {GOAL_MS:.0f} ms (✓ met, ✗ missed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
