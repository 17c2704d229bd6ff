"""`consensio journal export` and `consensio journal verify FILE`."""

from __future__ import annotations

import argparse
import sys

from consensio.cli import CommandError, setup_django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    journal = sub.add_parser("journal", help="the hash-chained record of the body")
    jsub = journal.add_subparsers(dest="journal_command", metavar="ACTION")
    jsub.required = True
    export = jsub.add_parser("export", help="write the journal as JSON lines")
    export.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    export.set_defaults(func=run_export)
    verify = jsub.add_parser("verify", help="check an exported journal offline; name the first bad entry")
    verify.add_argument("file")
    verify.set_defaults(func=run_verify)


def run_export(args: argparse.Namespace) -> int:
    setup_django()
    from consensio.engine.journal import dump_jsonl
    from consensio.records.journal import iter_entries

    if args.output == "-":
        count = dump_jsonl(iter_entries(), sys.stdout.buffer)
        sys.stdout.flush()
    else:
        try:
            with open(args.output, "wb") as fh:
                count = dump_jsonl(iter_entries(), fh)
        except OSError as exc:
            raise CommandError(f"{args.output}: cannot write ({exc.strerror})") from None
    sys.stderr.write(f"consensio: exported {count} journal entries\n")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from consensio.engine.journal import verify_file

    try:
        report = verify_file(args.file)
    except OSError as exc:
        raise CommandError(f"{args.file}: cannot read ({exc.strerror})") from None
    if report.ok:
        print(f"{args.file}: OK, {report.checked} entries, head {report.head}")
        return 0
    print(f"{args.file}: BROKEN at entry {report.first_bad_seq}: {report.reason} ({report.checked} entries checked)")
    return 1
