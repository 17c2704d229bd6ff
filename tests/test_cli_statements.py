"""`consensio statements parse`: exit statuses 0/1/2, the readable and JSON outputs, no Django."""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from consensio.cli import main
from consensio.engine.statements import MAX_STATEMENT_BYTES

SEED = Path(__file__).parent / "engine" / "cases" / "statements_vienna_forum.txt"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["statements", "parse", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_seed_readable(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, str(SEED))
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Delivered by: (not named)"
    assert lines[1] == "On behalf of (40 States); entries (41):"
    assert "  European Union (EU, organization)" in lines
    assert "    Austria (AUT)" in lines  # listed under the EU: indented beneath it
    assert "  Albania (ALB)" in lines
    assert "Unresolved" not in out


def test_seed_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, str(SEED), "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) >= {"delivered_by", "on_behalf_of", "aligned", "unresolved"}
    assert data["delivered_by"] is None and data["unresolved"] == [] and data["aligned"] == []
    entries: list[dict[str, Any]] = data["on_behalf_of"]
    assert len(entries) == 41
    assert sum(1 for entry in entries if entry["kind"] == "state") == 40
    assert sum(1 for entry in entries if entry.get("listed_under") == "EU") == 27
    for entry in entries:
        assert {"name", "kind", "iso3"} <= set(entry)
        assert entry["kind"] in ("state", "organization", "group")


def test_unresolved_exit_1_with_line_column_and_candidates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "statement.txt"
    path.write_text(
        "Joint statement\n\nOn behalf of Japan, the African Group,\n  Austira and Korea\n", "utf-8"
    )
    status, out, err = _run(capsys, str(path))
    assert status == 1 and err == ""
    assert "  African Group (group, 54 members)" in out
    assert "4:3 'Austira'" in out
    assert "candidates: Austria (AUT); Australia (AUS)" in out
    assert "Republic of Korea (KOR); Democratic People's Republic of Korea (PRK)" in out

    status, out, _ = _run(capsys, str(path), "--json")
    assert status == 1
    unresolved = json.loads(out)["unresolved"]
    assert [(item["text"], item["line"], item["column"]) for item in unresolved] == [
        ("Austira", 4, 3),
        ("Korea", 4, 15),
    ]
    assert unresolved[0]["candidates"][0] == {"name": "Austria", "key": "AUT", "kind": "state"}


def test_problems_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "statement.txt"
    path.write_text("On behalf of the European Union and its 27 Member States: Austria, Belgium", "utf-8")
    status, out, _ = _run(capsys, str(path))
    assert status == 1
    assert "Problems (1):" in out and "1:41 the header says 27 member States but 2 names" in out


def test_aligned_and_groups_are_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "statement.txt"
    path.write_text(
        "Statement by Canada on behalf of the Group of 77 and China and Canada.\n\n"
        "Norway and Iceland align themselves with this statement.\n",
        "utf-8",
    )
    status, out, _ = _run(capsys, str(path))
    assert status == 0
    assert "Delivered by: Canada (CAN)" in out
    assert "the Group of 77 and China (group, members unknown to the roster)" in out
    assert "Aligned (2):\n  Norway (NOR)\n  Iceland (ISL)\n" in out


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        ("On behalf of Japan".encode("utf-16-le"), "NUL"),
        (b"We met in Vienna and agreed on nothing.", "no list of States found"),
        (b"On behalf of Japan " + b"x" * MAX_STATEMENT_BYTES, "limit is 1,000,000 bytes"),
    ],
)
def test_unusable_input_exit_2_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, phrase: str
) -> None:
    path = tmp_path / "statement.txt"
    path.write_bytes(content)
    status, out, err = _run(capsys, str(path))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("consensio: ") and phrase in err
    assert "Traceback" not in err


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, str(tmp_path / "nowhere.txt"))
    assert status == 2 and out == ""
    assert err == f"consensio: cannot read {tmp_path / 'nowhere.txt'}: No such file or directory\n"


def test_utf16_file_with_bom(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "statement.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "On behalf of Türkiye and Côte d'Ivoire".encode("utf-16-le"))
    status, out, _ = _run(capsys, str(path), "--json")
    assert status == 0
    assert [entry["iso3"] for entry in json.loads(out)["on_behalf_of"]] == ["TUR", "CIV"]


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"On behalf of Japan and Peru."), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out, _ = _run(capsys, "-", "--json")
    assert status == 0
    assert [entry["iso3"] for entry in json.loads(out)["on_behalf_of"]] == ["JPN", "PER"]


def test_subprocess_stdin_without_django() -> None:
    # The command must run without Django: a fresh interpreter, no settings, and a
    # check that Django was never imported.
    code = (
        "import sys\n"
        "from consensio.cli import main\n"
        "status = main(['statements', 'parse', '-', '--json'])\n"
        "assert 'django' not in sys.modules, 'django was imported'\n"
        "raise SystemExit(status)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=b"On behalf of Austira and Japan",
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["unresolved"][0]["text"] == "Austira"
    assert b"Traceback" not in done.stderr


def test_subprocess_unusable_input_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    # Through `main()` as the console script calls it (`python -m consensio.cli` would
    # import cli twice, and the second module's CommandError would not be caught).
    code = "import sys; from consensio.cli import main; raise SystemExit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, "statements", "parse", str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().count("\n") == 1 and b"Traceback" not in done.stderr
