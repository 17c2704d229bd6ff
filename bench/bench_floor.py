"""Live-floor benchmark: one event to 1,000 websocket clients (a script, not a test).

    /work/venv/bin/python bench/bench_floor.py [--clients 1000] [--rounds 20] [--configs raw,memory,redis2,stock]

This process is the client side (asyncio with a minimal websocket client, uvloop when
installed); the servers
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
import base64
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
           "--lifespan", "off", "--log-level", "warning", "--no-server-header", "--ws-per-message-deflate", "false",
           "--ws", os.environ.get("BENCH_WS", "auto")]
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


class LightClient(asyncio.Protocol):
    """A minimal websocket client: upgrade, then read the server's (unmasked) frames.

    The `websockets` library spends ≈0.1 ms of client CPU per frame, which on two shared
    cores would be measured as server latency; this one only finds the frame boundaries
    and the round number. It answers pings, ignores everything else.
    """

    def __init__(self, port: int, on_round: Callable[[int], None]) -> None:
        self.port = port
        self.on_round = on_round
        self.buffer = b""
        self.upgraded = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(  # type: ignore[attr-defined]
            f"GET /ws/live/statements/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://127.0.0.1:{self.port}\r\n\r\n".encode())

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded.done():
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            if b" 101 " not in head.split(b"\r\n", 1)[0]:
                self.upgraded.set_exception(RuntimeError(f"upgrade refused: {head[:80]!r}"))
                return
            self.upgraded.set_result(None)
            self.buffer = rest
        buf = self.buffer
        while len(buf) >= 2:
            opcode, length, at = buf[0] & 0x0F, buf[1] & 0x7F, 2
            if length == 126:
                if len(buf) < 4:
                    break
                length, at = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                if len(buf) < 10:
                    break
                length, at = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < at + length:
                break
            payload, buf = buf[at:at + length], buf[at + length:]
            if opcode == 0x1:
                start = payload.find(b'data-round=\\"')
                if start >= 0:
                    self.on_round(int(payload[start + 13:payload.find(b"\\", start + 13)]))
            elif opcode == 0x9 and self.transport is not None:  # ping: answer with a masked pong
                mask = os.urandom(4)
                body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                self.transport.write(bytes([0x8A, 0x80 | len(payload)]) + mask + body)
        self.buffer = buf

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.upgraded.done():
            self.upgraded.set_exception(RuntimeError("connection lost during the upgrade"))


async def measure(ports: list[int], clients: int, rounds: int, round_timeout: float) -> dict[str, object]:
    loop = asyncio.get_running_loop()
    arrivals: dict[int, list[float]] = {}
    done: dict[int, asyncio.Event] = {}

    def on_round(round_no: int) -> None:
        bucket = arrivals.get(round_no)
        if bucket is not None:
            bucket.append(time.perf_counter())
            if len(bucket) == clients:
                done[round_no].set()

    async def open_one(port: int) -> LightClient:
        _, protocol = await loop.create_connection(lambda: LightClient(port, on_round), "127.0.0.1", port)
        await asyncio.wait_for(protocol.upgraded, 30)
        return protocol

    connect_started = time.perf_counter()
    sockets: list[LightClient] = []
    for batch_start in range(0, clients, 100):
        batch = [open_one(ports[i % len(ports)]) for i in range(batch_start, min(batch_start + 100, clients))]
        sockets.extend(await asyncio.gather(*batch))
    connect_seconds = time.perf_counter() - connect_started
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
            except TimeoutError:
                failed += 1
                continue
            times = sorted(t - started for t in arrivals[round_no])
            last.append(times[-1] * 1000)
            median.append(times[len(times) // 2] * 1000)
            await asyncio.sleep(0.3)
    finally:
        for client in sockets:
            if client.transport is not None:
                client.transport.close()
        await asyncio.sleep(0.5)
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
