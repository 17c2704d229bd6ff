"""The `consensio` command: one entry point, one module per command group under commands/.

Each module in COMMANDS exposes `register(subparsers)`, which adds its sub-command and sets
`func(args) -> int` as the default. Exit statuses: 0 done, 1 done but the input had problems
the output names (e.g. unresolved names), 2 unusable input or configuration.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

COMMANDS = ("serve", "statements", "journal", "text", "vote", "procedure")


class CommandError(Exception):
    """A failure to report as one line on stderr, with exit status `status`."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def setup_django() -> None:
    """Configure Django for a command that needs the database (settings check the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consensio", description="Negotiate treaties by consensus.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"consensio.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except CommandError as exc:
        sys.stderr.write(f"consensio: {exc}\n")
        return exc.status
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    # Run as `python -m consensio.cli`: use the imported module's classes, not this copy's.
    from consensio.cli import main as imported_main

    raise SystemExit(imported_main())
