"""`consensio serve` in a subprocess: pages over HTTP and the live websocket on one port, a clean stop.

Also the WSGI-in-threads bridge it serves pages with, in-process.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from consensio.commands.serve import STREAM_CHUNK, WsgiInThreads


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "CONSENSIO_ALLOW_MEMORY_LAYER")
    }
    env["CONSENSIO_HOME"] = str(home)
    return env


def wait_until_listening(proc: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"consensio serve stopped with {proc.returncode}:\n{out}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"consensio serve did not listen on {port} within {timeout:.0f} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "consensio.cli", "serve", "--port", str(port)],
        env=server_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_listening(proc, port)
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def test_serve_answers_pages_and_the_live_websocket_then_stops_on_sigterm(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    proc, port = served
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/states/", timeout=10) as response:
        assert response.status == 200
        assert b"<html" in response.read()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/consensio/live.js", timeout=10) as response:
        assert b"data-live" in response.read()

    async def live() -> tuple[int, str]:
        from websockets.asyncio.client import connect

        origin = f"http://127.0.0.1:{port}"
        async with connect(
            f"ws://127.0.0.1:{port}/ws/live/statements/", origin=origin, open_timeout=10
        ) as ws:
            status = ws.response.status_code if ws.response else 0
            await ws.send(json.dumps({"target": "statement-list", "html": "<li>forged</li>"}))
            try:
                got = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                got = ""
            return status, str(got)

    status, got = asyncio.run(asyncio.wait_for(live(), 30))
    assert status == 101
    assert got == ""  # the socket is read-only: a client's message changes nothing and echoes nothing

    async def refused() -> bool:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidStatus

        try:
            async with connect(
                f"ws://127.0.0.1:{port}/ws/live/statements/", origin="http://evil.example", open_timeout=10
            ):
                return False
        except InvalidStatus:
            return True

    assert asyncio.run(asyncio.wait_for(refused(), 30))  # another site's page cannot subscribe

    # A screen still connected does not hold the server up: it is told the server is going away.
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect as connect_sync

    with connect_sync(
        f"ws://127.0.0.1:{port}/ws/live/statements/", origin=f"http://127.0.0.1:{port}", open_timeout=10
    ) as screen:
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        with pytest.raises(ConnectionClosed) as closed:
            screen.recv(timeout=15)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert proc.wait(timeout=20) == 0
    assert time.monotonic() - started < 15
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def listeners(port: int) -> int:
    """How many sockets listen on 127.0.0.1:`port` (Linux: /proc/net/tcp, state 0A)."""
    wanted = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        return sum(1 for line in table.readlines()[1:] if line.split()[1] == wanted and line.split()[3] == "0A")


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_workers_each_listen_on_their_own_socket_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    env = {**server_env(tmp_path), "CONSENSIO_ALLOW_MEMORY_LAYER": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "consensio.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_until_listening(proc, port)
        deadline = time.monotonic() + 60
        while listeners(port) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        # One socket per process (SO_REUSEPORT), so the kernel spreads connections between
        # them; uvicorn's own --workers shares one socket (bench/README.md, "bench_http.py").
        assert listeners(port) == 2
        for _ in range(8):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bodies/", timeout=10) as response:
                assert response.status == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert listeners(port) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def test_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "consensio.cli", "serve", "--port", str(port)],
            env=server_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"consensio: cannot listen on 127.0.0.1:{port}")
    assert len(done.stderr.strip().splitlines()) == 1


def test_more_than_one_worker_needs_redis(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "consensio.cli", "serve", "--port", str(free_port()), "--workers", "2"],
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "consensio: --workers above 1 needs REDIS_URL: live updates must reach every process"
    )


# -- the bridge, in-process ---------------------------------------------------------------------


def echo_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    body = environ["wsgi.input"].read()
    seen = {
        k: environ[k]
        for k in (
            "REQUEST_METHOD",
            "PATH_INFO",
            "QUERY_STRING",
            "CONTENT_TYPE",
            "HTTP_COOKIE",
            "HTTP_X_FORWARDED_FOR",
        )
        if k in environ
    }
    seen["body"] = body.decode()
    seen["smuggled"] = "HTTP_X_FORWARDED_FOR" in environ and environ["HTTP_X_FORWARDED_FOR"] == "6.6.6.6"
    start_response("201 Created", [("Content-Type", "application/json"), ("X-Test", "1")])
    return [json.dumps(seen).encode()]


def big_app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    for _ in range(3):
        yield b"x" * STREAM_CHUNK


async def call(app: WsgiInThreads, scope: dict[str, Any], body: list[bytes]) -> list[dict[str, Any]]:
    incoming = [
        {"type": "http.request", "body": part, "more_body": i < len(body) - 1} for i, part in enumerate(body)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def scope_for(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"a=1&b=%C3%A9",
        "headers": headers,
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "scheme": "http",
        "http_version": "1.1",
    }


def test_the_bridge_passes_the_request_and_the_response_through() -> None:
    app = WsgiInThreads(echo_app, threads=2)
    headers = [
        (b"content-type", b"text/plain"),
        (b"cookie", b"a=1"),
        (b"cookie", b"b=2"),
        (b"x_forwarded_for", b"6.6.6.6"),
    ]
    sent = asyncio.run(
        asyncio.wait_for(call(app, scope_for("/states/é/", headers), [b"hello ", b"world"]), 10)
    )
    assert sent[0] == {
        "type": "http.response.start",
        "status": 201,
        "headers": [(b"content-type", b"application/json"), (b"x-test", b"1")],
    }
    seen = json.loads(sent[1]["body"])
    assert seen == {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/states/é/".encode().decode("latin-1"),
        "QUERY_STRING": "a=1&b=%C3%A9",
        "CONTENT_TYPE": "text/plain",
        "HTTP_COOKIE": "a=1; b=2",
        "body": "hello world",
        "smuggled": False,
    }
    assert sent[1]["more_body"] is False


def test_the_bridge_streams_a_large_body_in_pieces() -> None:
    app = WsgiInThreads(big_app, threads=1)
    sent = asyncio.run(asyncio.wait_for(call(app, scope_for("/big", []), [b""]), 10))
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert sent[0]["type"] == "http.response.start"
    assert len(bodies) == 4 and [m["more_body"] for m in bodies] == [True, True, True, False]
    assert sum(len(m["body"]) for m in bodies) == 3 * STREAM_CHUNK
    assert io.BytesIO(b"".join(m["body"] for m in bodies)).read(1) == b"x"
