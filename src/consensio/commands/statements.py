"""`consensio statements parse FILE [--json]`: read who a joint statement speaks for.

Reads a statement file (UTF-8, or UTF-16 with a byte-order mark; `-` for
standard input), resolves the deliverer, the States, organizations and groups
it is made on behalf of, and the States aligning with it, using the pure
engine in `consensio.engine.statements`. Needs no Django and no database.

Exit status: 0 every name resolved and nothing inconsistent; 1 the output
names unresolved names or problems (a stated count that does not match); 2
unusable input (missing, empty, binary, too large, no "on behalf of" list),
reported as one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from consensio.cli import CommandError
from consensio.engine.roster import Actor
from consensio.engine.statements import (
    MAX_STATEMENT_BYTES,
    Entry,
    StatementError,
    StatementParse,
    decode_statement_bytes,
    parse_statement,
)

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("statements", help="Read joint statements.", description=__doc__)
    commands = parser.add_subparsers(dest="statements_command", metavar="COMMAND")
    commands.required = True
    parse = commands.add_parser(
        "parse",
        help="List who a statement is delivered by, on behalf of, and who aligns with it.",
        description="Resolve the names in a joint statement's 'on behalf of' list.",
    )
    parse.add_argument("file", metavar="FILE", help="the statement as a text file, or - for standard input")
    parse.add_argument("--json", action="store_true", help="print one JSON object instead of a readable list")
    parse.set_defaults(func=run_parse)


def _read(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read(MAX_STATEMENT_BYTES + 1)
        with open(path, "rb") as handle:
            return handle.read(MAX_STATEMENT_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}", 2) from None


def run_parse(args: argparse.Namespace) -> int:
    data = _read(args.file)
    label = "standard input" if args.file == "-" else args.file
    try:
        text = decode_statement_bytes(data)
        result = parse_statement(text)
    except StatementError as exc:
        raise CommandError(f"{label}: {exc}", 2) from None
    if args.json:
        _emit(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _emit(render(result))
    return 1 if result.unresolved or result.problems else 0


def _emit(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        # A terminal that cannot show "Türkiye" still gets every name, escaped.
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, errors="backslashreplace").decode(encoding))
    sys.stdout.flush()


def _actor_label(actor: Actor) -> str:
    return (
        f"{actor.name} ({actor.key})"
        if actor.kind == "state"
        else f"{actor.name} ({actor.key}, {actor.kind})"
    )


def _entry_label(entry: Entry) -> str:
    if entry.kind == "group":
        size = f"{len(entry.members)} members" if entry.members_known else "members unknown to the roster"
        return f"{entry.name} (group, {size})"
    if entry.kind == "organization":
        return f"{entry.name} ({entry.key}, organization)"
    return f"{entry.name} ({entry.key})"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _entries(title: str, entries: list[Entry]) -> list[str]:
    lines = [f"{title} ({len(entries)}):"]
    for entry in entries:
        indent = "    " if entry.listed_under else "  "
        lines.append(f"{indent}{_entry_label(entry)}")
    return lines


def render(result: StatementParse) -> str:
    """The readable report: States listed under the EU are indented beneath it."""
    lines = [
        "Delivered by: "
        + ("(not named)" if result.delivered_by is None else _actor_label(result.delivered_by))
    ]
    states = sum(1 for entry in result.on_behalf_of if entry.kind == "state")
    lines += _entries(f"On behalf of ({_plural(states, 'State')}); entries", result.on_behalf_of)
    if result.aligned:
        lines += _entries("Aligned", result.aligned)
    if result.unresolved:
        lines.append(f"Unresolved ({len(result.unresolved)}):")
        for item in result.unresolved:
            where = f"{item.position.line}:{item.position.column}"
            lines.append(f"  {where} {item.text!r} ({item.section.replace('_', ' ')}): {item.reason}")
            if item.candidates:
                lines.append("      candidates: " + "; ".join(f"{c.name} ({c.key})" for c in item.candidates))
    if result.problems:
        lines.append(f"Problems ({len(result.problems)}):")
        for problem in result.problems:
            lines.append(f"  {problem.position.line}:{problem.position.column} {problem.message}")
    return "\n".join(lines) + "\n"
