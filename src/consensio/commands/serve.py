"""`consensio serve` and `consensio demo`: run the ASGI application (HTTP and websockets)."""

from __future__ import annotations

import argparse
import os
import sys

from consensio.cli import CommandError, setup_django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="serve the application (HTTP and websockets) for real use")
    _server_options(serve, default_host=os.environ.get("CONSENSIO_HOST", "127.0.0.1"))
    serve.add_argument("--no-migrate", action="store_true", help="do not apply pending database migrations first")
    serve.set_defaults(func=run_serve)

    demo = sub.add_parser("demo", help="set up the demo negotiation and its accounts, then serve it on 127.0.0.1")
    _server_options(demo, default_host="127.0.0.1")
    demo.add_argument("--no-serve", action="store_true", help="load the demo and print the accounts, then stop")
    demo.set_defaults(func=run_demo)


def _server_options(parser: argparse.ArgumentParser, default_host: str) -> None:
    parser.add_argument("--host", default=default_host, help=f"address to listen on (default {default_host})")
    parser.add_argument("--port", type=_port, default=int(os.environ.get("CONSENSIO_PORT", "8000")),
                        help="port to listen on (default 8000)")
    parser.add_argument("--workers", type=_workers, default=1, help="server processes (default 1; use REDIS_URL with more)")


def _port(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number, not {raw!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, not {value}")
    return value


def _workers(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"workers must be a number, not {raw!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"workers must be between 1 and 64, not {value}")
    return value


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
    import uvicorn
    from django.conf import settings

    if args.workers > 1 and not settings.REDIS_URL and not os.environ.get("CONSENSIO_ALLOW_MEMORY_LAYER"):
        raise CommandError("--workers above 1 needs REDIS_URL: live updates must reach every process")
    sys.stdout.flush()
    uvicorn.run(
        "consensio.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=os.environ.get("LOG_LEVEL", "warning").lower(),
        lifespan="off",
        server_header=False,
        proxy_headers=True,
    )
    return 0


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
