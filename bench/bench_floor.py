"""Live-floor benchmark: one event to 1,000 websocket clients (a script, not a test).

    .venv/bin/python bench/bench_floor.py [--clients 1000] [--rounds 20] [--configs raw,memory,redis2,stock]

This process is the client side (asyncio with a minimal websocket client, uvloop when
installed); the servers are separate processes started here, on 127.0.0.1 only. It starts
every configuration's servers, connects N clients to /ws/live/statements/ on each, then
runs the rounds interleaved across configurations (in a rotated order each round, so that
the shared host's noise falls on all of them alike). A round raises one event and times how long until the LAST client
has the fragment (and the median client), from just before the trigger request was sent.
With 20 rounds, p99 is the slowest round.

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
    cmd = [
        PY,
        "-m",
        "uvicorn",
        "--factory",
        f"floor_app:{factory}",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-server-header",
        "--ws-per-message-deflate",
        "false",
        "--ws",
        os.environ.get("BENCH_WS", "auto"),
        "--http",
        "consensio.commands.serve:NoDelayHttp",
    ]
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
    writer.write(
        f"GET /__bench__/broadcast?round={round_no} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Connection: close\r\n\r\n".encode()
    )
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
            f"Origin: http://127.0.0.1:{self.port}\r\n\r\n".encode()
        )

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
            payload, buf = buf[at : at + length], buf[at + length :]
            if opcode == 0x1:
                start = payload.find(b'data-round=\\"')
                if start >= 0:
                    self.on_round(int(payload[start + 13 : payload.find(b"\\", start + 13)]))
            elif opcode == 0x9 and self.transport is not None:  # ping: answer with a masked pong
                mask = os.urandom(4)
                body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                self.transport.write(bytes([0x8A, 0x80 | len(payload)]) + mask + body)
        self.buffer = buf

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.upgraded.done():
            self.upgraded.set_exception(RuntimeError("connection lost during the upgrade"))


class Config:
    """One configuration: its server processes, its clients, its measurements."""

    def __init__(self, name: str, home: Path) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "BENCH_LAYER")
        }
        env.update({"CONSENSIO_HOME": str(home), "LOG_LEVEL": "WARNING"})
        servers = {
            "raw": [("raw", env)],
            "memory": [("product", env)],
            "stock": [("product", {**env, "BENCH_LAYER": "stock"})],
            "redis2": [("product", {**env, "REDIS_URL": REDIS_URL})] * 2,
        }[name]
        self.name = name
        self.ports = [free_port() for _ in servers]
        self.procs = [
            start_server(factory, port, server_env)
            for (factory, server_env), port in zip(servers, self.ports, strict=True)
        ]
        self.clients: list[LightClient] = []
        self.last: list[float] = []
        self.median: list[float] = []
        self.failed = 0
        self.connect_s = 0.0


async def measure(configs: list[Config], clients: int, rounds: int, round_timeout: float) -> None:
    """Connect `clients` to every configuration, then run the rounds interleaved across them."""
    loop = asyncio.get_running_loop()
    arrivals: dict[int, list[float]] = {}
    done: dict[int, asyncio.Event] = {}

    def on_round(marker: int) -> None:
        bucket = arrivals.get(marker)
        if bucket is not None:
            bucket.append(time.perf_counter())
            if len(bucket) == clients:
                done[marker].set()

    async def open_one(port: int) -> LightClient:
        _, protocol = await loop.create_connection(lambda: LightClient(port, on_round), "127.0.0.1", port)
        await asyncio.wait_for(protocol.upgraded, 30)
        return protocol

    for config in configs:
        for port, proc in zip(config.ports, config.procs, strict=True):
            await wait_port(port, proc)
        started = time.perf_counter()
        for first in range(0, clients, 100):
            batch = [
                open_one(config.ports[i % len(config.ports)]) for i in range(first, min(first + 100, clients))
            ]
            config.clients.extend(await asyncio.gather(*batch))
        config.connect_s = time.perf_counter() - started
    await asyncio.sleep(0.5)

    marker = 0
    try:
        for round_no in range(rounds):
            # Interleaved, each round in a rotated order: the host's noise falls on every config alike.
            for config in configs[round_no % len(configs) :] + configs[: round_no % len(configs)]:
                marker += 1
                arrivals[marker] = []
                done[marker] = asyncio.Event()
                started = time.perf_counter()
                await trigger(config.ports[0], marker)
                try:
                    await asyncio.wait_for(done[marker].wait(), round_timeout)
                except TimeoutError:
                    config.failed += 1
                    continue
                finally:
                    times = sorted(t - started for t in arrivals.pop(marker))
                if len(times) == clients:
                    config.last.append(times[-1] * 1000)
                    config.median.append(times[len(times) // 2] * 1000)
                await asyncio.sleep(0.2)
    finally:
        for config in configs:
            for client in config.clients:
                if client.transport is not None:
                    client.transport.close()
        await asyncio.sleep(0.5)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_all(names: list[str], clients: int, rounds: int, home: Path) -> list[Config]:
    configs: list[Config] = []
    try:
        for name in names:
            configs.append(Config(name, home))
        asyncio.run(asyncio.wait_for(measure(configs, clients, rounds, round_timeout=15), 900))
    finally:
        for config in configs:
            for proc in config.procs:
                stop(proc)
    return configs


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--configs", default="raw,memory,redis2,stock")
    parser.add_argument(
        "--quick", action="store_true", help="100 clients, 5 rounds, raw and memory (smoke test)"
    )
    args = parser.parse_args()
    clients, rounds = (100, 5) if args.quick else (args.clients, args.rounds)
    configs = ["raw", "memory"] if args.quick else [c.strip() for c in args.configs.split(",") if c.strip()]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    home = Path(tempfile.mkdtemp(prefix="consensio-bench-floor-"))
    print(f"  {', '.join(configs)}: {clients} clients each, {rounds} interleaved rounds …", flush=True)
    try:
        results = {config.name: config for config in run_all(configs, clients, rounds, home)}
    finally:
        shutil.rmtree(home, ignore_errors=True)

    print()
    print(
        f"{clients} websocket clients per config, {rounds} rounds interleaved across configs; time from the trigger "
        "until the last / the median client has the fragment (ms); ratio = last-client p50 against raw ASGI"
    )
    print()
    print(
        "| config | last client p50 | last client p99 | median client p50 | ratio to raw | failed rounds | connect s |"
    )
    print("|---|---|---|---|---|---|---|")
    raw = results.get("raw")
    raw_p50 = statistics.median(raw.last) if raw and raw.last else None
    for name in configs:
        r = results[name]
        p50 = statistics.median(r.last) if r.last else float("nan")
        ratio = f"{p50 / raw_p50:.1f}x" if raw_p50 and r.last else "–"
        goal = (
            ""
            if name == "raw"
            else (" ✓" if r.last and not r.failed and pct(r.last, 0.99) <= GOAL_MS else " ✗")
        )
        print(
            f"| {name} | {p50:.0f} | {pct(r.last, 0.99):.0f}{goal} | "
            f"{statistics.median(r.median) if r.median else float('nan'):.0f} | {ratio} | {r.failed} | "
            f"{r.connect_s:.1f} |"
        )
    print(
        f"\ngoal: last-client p99 <= {GOAL_MS:.0f} ms (✓ met, ✗ missed); host load average at the end: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (others' work included)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
