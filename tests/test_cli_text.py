"""`consensio text render|compare`: formats, the redline, and exit statuses without tracebacks."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from consensio import cli
from consensio.commands import text as text_command
from consensio.engine.text.export_akn import validate_akn
from consensio.engine.text.notation import parse

DRAFT = "Title: Draft\nArticle 1 — Scope\n1. Each State Party shall [adopt]{EU} measures.\n2. Second.\n"
REV1 = "Title: Draft\nArticle 1 — Scope\nEach State Party shall [[adopt]{EU} | [take]{CHN}] measures.\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The command as `consensio` runs it (same CommandError handling), with only `text` registered,
    so the test does not depend on the other command groups."""
    parser = argparse.ArgumentParser(prog="consensio")
    text_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    try:
        status = args.func(args)
    except cli.CommandError as exc:
        print(f"consensio: {exc}", file=__import__("sys").stderr)
        status = exc.status
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "draft.txt").write_text(DRAFT)
    (tmp_path / "rev1.txt").write_text(REV1)
    (tmp_path / "bad.txt").write_text("Article 1\n1. Each [State Party\n2. Other] text {XX\n")
    (tmp_path / "bad.docx").write_bytes(b"not a zip at all")
    return tmp_path


def test_render_to_every_format(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["text", "render", str(files / "draft.txt"), "--to", "md"], capsys)
    assert status == 0 and parse(out) == parse(DRAFT)
    status, out, _ = run(["text", "render", str(files / "draft.txt"), "--to", "html"], capsys)
    assert status == 0 and '<span class="bracket" data-sponsors="EU">' in out
    akn = files / "draft.xml"
    status, _, _ = run(["text", "render", str(files / "draft.txt"), "--to", "akn", "-o", str(akn)], capsys)
    assert status == 0 and validate_akn(akn.read_bytes()) == []
    word = files / "draft.docx"
    status, _, _ = run(["text", "render", str(akn), "--to", "docx", "-o", str(word)], capsys)
    assert status == 0 and word.read_bytes()[:2] == b"PK"
    status, out, _ = run(["text", "render", str(word), "--to", "md"], capsys)
    assert status == 0 and parse(out) == parse(DRAFT)


def test_compare_prints_a_redline(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["text", "compare", str(files / "draft.txt"), str(files / "rev1.txt")], capsys)
    assert status == 0 and err == ""
    assert f"Comparison of {files / 'draft.txt'} with {files / 'rev1.txt'}" in out
    assert "Paragraph 2 (art_1__para_2): deleted" in out
    assert "renumbered 1 → (unnumbered)" in out


def test_malformed_files_exit_1_with_positions(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = files / "bad.txt"
    status, out, err = run(["text", "render", str(bad), "--to", "md"], capsys)
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"{bad}:2:9: [ is not closed by ]",
        f"{bad}:3:9: ] without a matching [ (write \\] for a literal bracket)",
    ]
    status, _, err = run(["text", "compare", str(bad), str(files / "bad.docx")], capsys)
    assert status == 1
    assert f"{files / 'bad.docx'}:1:1: not a DOCX file" in err
    assert "Traceback" not in err


def test_missing_or_unwritable_files_exit_2(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["text", "render", str(files / "nope.txt"), "--to", "md"], capsys)
    assert status == 2 and err.startswith(f"consensio: cannot read {files / 'nope.txt'}")
    status, _, err = run(["text", "compare", str(files / "draft.txt"), str(files)], capsys)
    assert status == 2 and "cannot read" in err
    target = files / "no-such-dir" / "out.xml"
    status, _, err = run(
        ["text", "render", str(files / "draft.txt"), "--to", "akn", "-o", str(target)], capsys
    )
    assert status == 2 and "cannot write" in err


def test_stdout_binary_for_docx(
    files: Path, capsys: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.BytesIO()

    class Out:
        def __init__(self) -> None:
            self.buffer = buffer

        def flush(self) -> None:
            pass

    monkeypatch.setattr("sys.stdout", Out())
    parser = argparse.ArgumentParser()
    text_command.register(parser.add_subparsers())
    args = parser.parse_args(["text", "render", str(files / "draft.txt"), "--to", "docx"])
    assert args.func(args) == 0
    assert buffer.getvalue()[:2] == b"PK"


def test_registered_in_the_consensio_command() -> None:
    assert "text" in cli.COMMANDS


def test_through_the_consensio_entry_point(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["text", "render", str(files / "draft.txt"), "--to", "md"]) == 0
    assert parse(capsys.readouterr().out) == parse(DRAFT)
    assert cli.main(["text", "render", str(files / "missing.txt"), "--to", "md"]) == 2
    assert cli.main(["text", "compare", str(files / "bad.txt"), str(files / "draft.txt")]) == 1
    err = capsys.readouterr().err
    assert f"{files / 'bad.txt'}:2:9: [ is not closed by ]" in err and "Traceback" not in err
