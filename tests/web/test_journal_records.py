"""The journal table: written in the same transaction as the change, exported, verified offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from consensio.cli import main
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db


def test_a_saved_statement_is_journalled(seed_text: str) -> None:
    from consensio.actors.actions import do_save_statement

    do_save_statement(None, title="Vienna", text=seed_text)
    entry = JournalEntry.objects.get()
    assert entry.kind == "statement.recorded"
    assert entry.payload["on_behalf_of"][:5] == ["ALB", "AUS", "CHL", "DOM", "EU"]


def test_a_refused_statement_leaves_no_journal_entry() -> None:
    from consensio.actors.actions import StatementRejected, do_save_statement

    with pytest.raises(StatementRejected):
        do_save_statement(None, title="T", text="On behalf of Austria and Atlantis.")
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_append_outside_a_transaction_is_refused() -> None:
    from django.db import transaction

    from consensio.records.journal import append_journal

    with pytest.raises(RuntimeError, match="inside the transaction"):
        append_journal("test", {"n": 1})
    with transaction.atomic():
        append_journal("test", {"n": 1})
        append_journal("test", {"n": 2})
    assert list(JournalEntry.objects.values_list("seq", flat=True)) == [1, 2]


def test_export_then_verify_then_tamper(tmp_path: Path, seed_text: str, capsys: pytest.CaptureFixture[str]) -> None:
    from consensio.actors.actions import do_save_statement

    for n in range(3):
        do_save_statement(None, title=f"Statement {n}", text=seed_text)
    out = tmp_path / "journal.jsonl"
    assert main(["journal", "export", "-o", str(out)]) == 0
    assert main(["journal", "verify", str(out)]) == 0
    assert "OK, 3 entries" in capsys.readouterr().out

    lines = out.read_bytes().splitlines()
    lines[1] = lines[1].replace(b"Statement 1", b"Statement X")
    out.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["journal", "verify", str(out)]) == 1
    assert "BROKEN at entry 2" in capsys.readouterr().out


def test_verify_of_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal", "verify", str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
