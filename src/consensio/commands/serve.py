"""`consensio serve` and `consensio demo`: serve pages, API and live websockets on one port.

Each server process is one uvicorn event loop that routes by protocol:

* HTTP (pages, JSON API, static files) goes to Django's *WSGI* handler, run in a small
  pool of threads. Django's ASGI handler costs about 3x more CPU per request here, most
  of it in its per-request thread context and in running each sync middleware through
  `sync_to_async` (research/perf-baseline.md; bench/README.md has this app's numbers).
* websockets go to the Channels application (`consensio.asgi`), whose live consumer
  never leaves the event loop.

One port for both keeps the websocket same-origin with the page: no second address to
publish, session cookies and origin checks work unchanged, and one proxy rule serves it.
`--workers N` runs N such processes on the port, each with its own listening socket
(SO_REUSEPORT), so that the kernel spreads connections across them; live updates between
them need REDIS_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from consensio.cli import CommandError, setup_django

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a pinned dependency
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

# Threads per process for HTTP: enough to overlap database waits; the GIL bounds the CPU anyway.
DEFAULT_THREADS = 4
# A response body larger than this is streamed out in pieces instead of collected first.
STREAM_CHUNK = 256 * 1024
# A request body larger than this goes to a temporary file rather than memory.
SPOOL_LIMIT = 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="serve the application (HTTP and websockets) for real use")
    _server_options(serve, default_host=os.environ.get("CONSENSIO_HOST", "127.0.0.1"))
    serve.add_argument(
        "--no-migrate", action="store_true", help="do not apply pending database migrations first"
    )
    serve.set_defaults(func=run_serve)

    demo = sub.add_parser(
        "demo", help="set up the demo negotiation and its accounts, then serve it on 127.0.0.1"
    )
    _server_options(demo, default_host="127.0.0.1")
    demo.add_argument(
        "--no-serve", action="store_true", help="load the demo and print the accounts, then stop"
    )
    demo.set_defaults(func=run_demo)


def _server_options(parser: argparse.ArgumentParser, default_host: str) -> None:
    parser.add_argument("--host", default=default_host, help=f"address to listen on (default {default_host})")
    parser.add_argument(
        "--port",
        type=_port,
        default=int(os.environ.get("CONSENSIO_PORT", "8000")),
        help="port to listen on (default 8000)",
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="server processes, each serving pages and websockets (default 1; use REDIS_URL with more)",
    )
    parser.add_argument(
        "--threads",
        type=_threads,
        default=DEFAULT_THREADS,
        help=f"threads per process for pages and API requests (default {DEFAULT_THREADS})",
    )


def _number(kind: str, low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{kind} must be a number, not {raw!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{kind} must be between {low} and {high}, not {value}")
        return value

    return parse


_port = _number("port", 1, 65535)
_workers = _number("workers", 1, 64)
_threads = _number("threads", 1, 64)


def _prepare(migrate: bool) -> None:
    from consensio import config

    setup_django()
    from django.conf import settings

    try:
        config.check_database_reachable(settings.DATABASES["default"])
        config.check_redis_reachable(settings.REDIS_URL)
    except config.ConfigError as exc:
        raise CommandError(f"configuration error: {exc}") from None
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def _run_server(args: argparse.Namespace) -> int:
    from django.conf import settings

    if args.workers > 1 and not settings.REDIS_URL and not os.environ.get("CONSENSIO_ALLOW_MEMORY_LAYER"):
        raise CommandError("--workers above 1 needs REDIS_URL: live updates must reach every process")
    # Bind before handing over, so that a taken port is one line, not a server traceback.
    try:
        with socket.create_server((args.host, args.port), reuse_port=False):
            pass
    except OSError as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})") from None
    os.environ["CONSENSIO_HTTP_THREADS"] = str(args.threads)
    sys.stdout.flush()
    # uvicorn stops on SIGINT and SIGTERM: it stops accepting, closes the websockets and lets
    # running requests finish (at most 10 s); with several workers `_supervise` passes SIGTERM
    # on to each and reaps them. A single uvicorn re-raises the signal it caught; this handler
    # turns SIGTERM into a plain exit 0.
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        _uvicorn(args)
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


class _Stop(Exception):
    """SIGTERM arrived after the server had shut down."""


def _stopped(signum: int, frame: object) -> None:
    raise _Stop


def _uvicorn(args: argparse.Namespace) -> None:
    import uvicorn

    options = _uvicorn_options(args)
    if args.workers == 1:
        uvicorn.run(**options)
    else:
        _supervise(options, args.workers)


def _uvicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "app": "consensio.commands.serve:application",
        "factory": True,
        "host": args.host,
        "port": args.port,
        "log_level": os.environ.get("LOG_LEVEL", "warning").lower(),
        "lifespan": "off",
        "server_header": False,
        "http": NoDelayHttp,
        "proxy_headers": True,
        # Compressing each live frame once per client costs more CPU than it saves on a LAN.
        "ws_per_message_deflate": False,
        "timeout_graceful_shutdown": 10,
    }


# -- several worker processes, each with its own listening socket ----------------------------
#
# uvicorn's own --workers shares one listening socket between the processes, and asyncio
# accepts every pending connection at once when it wakes: keep-alive clients then pile onto
# whichever process woke first (measured 64/0 of 64 connections, half the machine idle;
# bench/README.md, "bench_http.py"). Here each process binds its own socket with SO_REUSEPORT,
# and the kernel spreads new connections across the sockets by address.


# uvicorn's exit status for a server that could not start.
STARTUP_FAILURE = 3


def _listener(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(options: dict[str, Any]) -> None:
    """One worker process: its own listening socket, one uvicorn server (stops on SIGINT/SIGTERM)."""
    import uvicorn

    sock = _listener(str(options["host"]), int(options["port"]))
    uvicorn.Server(uvicorn.Config(**options)).run(sockets=[sock])


def _supervise(options: dict[str, Any], workers: int) -> None:
    """Run `workers` processes until SIGINT or SIGTERM; a worker that dies is replaced."""
    import multiprocessing
    import time

    context = multiprocessing.get_context("spawn")
    stop = {"asked": False}

    def asked(signum: int, frame: object) -> None:
        stop["asked"] = True

    def start() -> Any:
        process = context.Process(target=_worker, args=(options,), name="consensio-worker")
        process.start()
        return process

    previous = {sig: signal.signal(sig, asked) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    try:
        while not stop["asked"]:
            time.sleep(0.2)
            for index, process in enumerate(processes):
                if not process.is_alive() and not stop["asked"]:
                    if process.exitcode == STARTUP_FAILURE:
                        raise CommandError("a worker process could not start (see the messages above)")
                    processes[index] = start()
    finally:
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        for process in processes:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_serve(args: argparse.Namespace) -> int:
    _prepare(migrate=not args.no_migrate)
    print(f"Consensio serving on http://{_display_host(args.host)}:{args.port}/", flush=True)
    return _run_server(args)


def run_demo(args: argparse.Namespace) -> int:
    _prepare(migrate=True)
    from consensio.demo import DEMO_ACCOUNTS, load_demo

    created = load_demo()
    url = f"http://{_display_host(args.host)}:{args.port}/"
    print("Consensio demo: the Ad Hoc Committee's negotiation.")
    print("  " + ("demo data loaded" if created else "demo data already present; nothing changed"))
    print("  accounts (username / password — role, delegation):")
    for account in DEMO_ACCOUNTS:
        who = f", {account.delegation_name}" if account.delegation_name else ""
        print(f"    {account.username:<14} / {account.password:<22} — {account.role}{who}")
    if args.no_serve:
        return 0
    print(f"  open {url}  (Ctrl+C stops)", flush=True)
    return _run_server(args)


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


class NoDelayHttp(HttpToolsProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's httptools protocol with Nagle's algorithm off on every connection.

    uvicorn's own `--workers` binds the listening socket with protocol number 0, and
    asyncio only turns on TCP_NODELAY for sockets whose protocol reads as TCP: each
    response's headers and body then wait on the client's delayed ACK, about 40 ms per
    request whatever the load (bench/README.md, "HTTP"). `_listener` below binds with
    IPPROTO_TCP, so `consensio serve` no longer depends on this; it is kept so that no way
    of starting the app (the benchmark's uvicorn stacks included) can fall back into the
    stall. The websocket protocols take over the same socket after the upgrade, so they
    keep the setting.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # OSError: the peer has gone already; the protocol notices that on its own.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


# -- the application each server process runs -----------------------------------------------


def application() -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The per-process app (a uvicorn factory): HTTP to Django's WSGI handler, the rest to Channels."""
    from consensio.asgi import application as channels_app
    from consensio.wsgi import application as django_wsgi

    threads = int(os.environ.get("CONSENSIO_HTTP_THREADS", DEFAULT_THREADS))
    http = WsgiInThreads(django_wsgi, threads=threads, multiprocess=True)

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await http(scope, receive, send)
        else:
            await channels_app(scope, receive, send)

    return route


class WsgiInThreads:
    """Serve a WSGI application from an ASGI server: each request runs whole in a pool thread.

    The request body is read on the event loop first (spooled to disk above SPOOL_LIMIT);
    the response is collected in the thread and handed back in one piece, or streamed in
    STREAM_CHUNK pieces when it is larger.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], threads: int, multiprocess: bool = False) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="http")
        self.multiprocess = multiprocess

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)  # noqa: SIM115 - closed below
        try:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body.write(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body.seek(0)
            loop = asyncio.get_running_loop()
            environ = self._environ(scope, body)
            response = await loop.run_in_executor(self.pool, self._respond, environ, send, loop)
            started, status, headers, rest = response
            if not started:
                await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": rest, "more_body": False})
        finally:
            body.close()

    def _respond(
        self, environ: dict[str, Any], send: Send, loop: asyncio.AbstractEventLoop
    ) -> tuple[bool, int, list[tuple[bytes, bytes]], bytes]:
        """Run the app in this thread; return (headers already sent?, status, headers, remaining body)."""
        state: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if exc_info and state.get("started"):
                raise exc_info[1].with_traceback(exc_info[2])
            state["status"] = int(status.split(" ", 1)[0])
            state["headers"] = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
            return pending.append

        def push(message: Message) -> None:
            asyncio.run_coroutine_threadsafe(send(message), loop).result()

        pending: list[bytes] = []
        size = 0
        result = self.app(environ, start_response)
        try:
            for chunk in result:
                if not chunk:
                    continue
                pending.append(chunk)
                size += len(chunk)
                if size >= STREAM_CHUNK:
                    if not state.get("started"):
                        push(
                            {
                                "type": "http.response.start",
                                "status": state["status"],
                                "headers": state["headers"],
                            }
                        )
                        state["started"] = True
                    push({"type": "http.response.body", "body": b"".join(pending), "more_body": True})
                    pending.clear()
                    size = 0
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return bool(state.get("started")), state["status"], state["headers"], b"".join(pending)

    def _environ(self, scope: Scope, body: Any) -> dict[str, Any]:
        server = scope.get("server") or ("localhost", 80)
        client = scope.get("client") or ("", 0)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": scope["method"],
            "SCRIPT_NAME": _latin1(scope.get("root_path", "")),
            "PATH_INFO": _latin1(scope["path"]),
            "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
            "SERVER_NAME": str(server[0]),
            "SERVER_PORT": str(server[1] if server[1] is not None else 80),
            "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
            "REMOTE_ADDR": str(client[0]),
            "REMOTE_PORT": str(client[1]),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scope.get("scheme", "http"),
            "wsgi.input": body,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": self.multiprocess,
            "wsgi.run_once": False,
        }
        for raw_name, raw_value in scope.get("headers", ()):
            name = raw_name.decode("latin-1")
            if "_" in name:
                continue  # as other WSGI servers do: X_Forwarded_For must not pass for X-Forwarded-For
            value = raw_value.decode("latin-1")
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            if key in environ:
                environ[key] += ("; " if key == "HTTP_COOKIE" else ",") + value
            else:
                environ[key] = value
        return environ


def _latin1(text: str) -> str:
    # WSGI carries paths as the raw bytes decoded as latin-1 (PEP 3333).
    return text.encode("utf-8").decode("latin-1")
