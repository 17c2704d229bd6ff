"""`consensio text`: render a negotiating text to another format, or compare two versions.

    consensio text render FILE --to akn|docx|html|md [-o OUT]
    consensio text compare OLD NEW
    consensio text import FILE --instrument ID|new

FILE may be in the bracket notation, Akoma Ntoso XML or DOCX (recognised from its content).
Exit 1 with `FILE:line:col: message` lines when a file is malformed; 2 when a file cannot be read
or written. Needs no database.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from consensio.cli import CommandError
from consensio.engine.text.compare import Version, compare, format_redline
from consensio.engine.text.errors import NotationError, TextError
from consensio.engine.text.files import read_text
from consensio.engine.text.rolling import RollingText

FORMATS = ("akn", "docx", "html", "md")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "text",
        help="render or compare negotiating texts (bracket notation, Akoma Ntoso, DOCX)",
        description="Render a negotiating text to another format, or compare two versions.",
    )
    actions = parser.add_subparsers(dest="text_action", metavar="ACTION")
    actions.required = True

    render = actions.add_parser("render", help="convert a text to Akoma Ntoso, DOCX, HTML or the notation")
    render.add_argument("file", help="a text in the bracket notation, Akoma Ntoso XML or DOCX")
    render.add_argument(
        "--to", required=True, choices=FORMATS, help="output format (md: the bracket notation)"
    )
    render.add_argument("-o", "--output", help="write here instead of standard output")
    render.set_defaults(func=run_render)

    comp = actions.add_parser("compare", help="print a redline between two versions")
    comp.add_argument("old", help="the earlier version")
    comp.add_argument("new", help="the later version")
    comp.set_defaults(func=run_compare)

    imp = actions.add_parser("import", help="store a text in the database as an instrument's base text and proposals")
    imp.add_argument("file", help="a text in the bracket notation, Akoma Ntoso XML or DOCX")
    imp.add_argument("--instrument", required=True, metavar="ID",
                     help="the instrument whose text the file replaces (its old text is kept as a version), "
                          "or 'new' to create one")
    imp.add_argument("--title", default="", help="title of a new instrument when the file has none")
    imp.set_defaults(func=run_import)


class _Malformed(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _load(path: str) -> RollingText:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}", status=2) from None
    try:
        return read_text(data, path)
    except NotationError as exc:
        raise _Malformed([f"{path}:{line}:{col}: {message}" for line, col, message in exc.errors]) from None
    except TextError as exc:
        raise _Malformed([f"{path}:1:1: {exc}"]) from None


def _report(exc: _Malformed) -> int:
    sys.stderr.write("\n".join(exc.lines) + "\n")
    return 1


def _render(text: RollingText, fmt: str) -> bytes:
    if fmt == "akn":
        from consensio.engine.text.export_akn import export_akn

        return export_akn(text)
    if fmt == "docx":
        from consensio.engine.text.export_docx import export_docx

        return export_docx(text)
    if fmt == "html":
        from consensio.engine.text.export_html import render_html

        return render_html(text, standalone=True).encode()
    from consensio.engine.text.export_md import export_md

    return export_md(text).encode()


def run_render(args: argparse.Namespace) -> int:
    try:
        text = _load(args.file)
    except _Malformed as exc:
        return _report(exc)
    out = _render(text, args.to)
    if args.output:
        try:
            Path(args.output).write_bytes(out)
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}", status=2) from None
    else:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    return 0


def run_compare(args: argparse.Namespace) -> int:
    problems: list[str] = []
    texts: list[RollingText] = []
    for path in (args.old, args.new):
        try:
            texts.append(_load(path))
        except _Malformed as exc:
            problems += exc.lines
    if problems:
        return _report(_Malformed(problems))
    redline = compare(Version(args.old, texts[0]), Version(args.new, texts[1]))
    sys.stdout.write(format_redline(redline))
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Exit 0 when stored; 1 with FILE:line:col lines when the file is malformed; 2 when the file
    or the instrument cannot be used. Nothing is stored unless the whole file reads."""
    from consensio.cli import setup_django

    setup_django()
    from django.core.management import call_command

    # The database may be new (a first import before any `consensio serve`): bring it up to date.
    call_command("migrate", interactive=False, verbosity=0)
    from consensio.drafting.actions import DraftingRefused, do_import_text
    from consensio.drafting.models import Instrument

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror or exc}", status=2) from None
    instrument = None
    if args.instrument != "new":
        if not args.instrument.isdigit():
            raise CommandError(f"--instrument: {args.instrument!r} is not an instrument id (or 'new')", status=2)
        instrument = Instrument.objects.filter(pk=int(args.instrument)).first()
        if instrument is None:
            raise CommandError(f"--instrument: there is no instrument {args.instrument}", status=2)
    try:
        stored = do_import_text(None, data=data, filename=args.file, instrument=instrument, title=args.title)
    except NotationError as exc:
        return _report(_Malformed([f"{args.file}:{line}:{col}: {message}" for line, col, message in exc.errors]))
    except TextError as exc:
        return _report(_Malformed([f"{args.file}:1:1: {exc}"]))
    except DraftingRefused as exc:
        raise CommandError(f"{args.file}: {exc}", status=2) from None
    provisions = stored.provisions.count()
    proposals = stored.proposals.count()
    sys.stdout.write(f"instrument {stored.pk}: {stored.title} ({provisions} provisions, {proposals} proposals)\n")
    return 0
