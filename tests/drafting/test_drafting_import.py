"""Importing a whole text (page, command line): bad input gives a clear error and saves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consensio.drafting.models import CoSponsorship, Instrument, Proposal, Provision, ProvisionStatus, Version
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db

GOOD = """Title: Imported draft
Chapter I — General provisions
Article 1 — Purposes
1. {ad ref} Each State Party shall act.
2. Each State Party [shall]{EU, JPN} cooperate[ promptly]{BRA}.
"""


def upload(client, name: str, data: bytes, **extra: object):  # type: ignore[no-untyped-def]
    return client.post("/texts/import/", {"file": SimpleUploadedFile(name, data), **extra})


def nothing_saved(before: int) -> None:
    assert (
        Instrument.objects.count() == 0 and Provision.objects.count() == 0 and Proposal.objects.count() == 0
    )
    assert JournalEntry.objects.count() == before


def test_secretariat_imports_a_text(persona) -> None:  # type: ignore[no-untyped-def]
    response = upload(persona("secretariat"), "draft.txt", GOOD.encode())
    assert response.status_code == 302
    instrument = Instrument.objects.get()
    assert instrument.title == "Imported draft"
    assert list(Provision.objects.values_list("eid", "status")) == [
        ("chp_1", "open"),
        ("chp_1__art_1", "open"),
        ("chp_1__art_1__para_1", "agreed_ad_ref"),
        ("chp_1__art_1__para_2", "open"),
    ]
    assert ProvisionStatus.objects.get().trigger == "import"
    assert sorted(Proposal.objects.values_list("sponsor_id", "kind")) == [("BRA", "insert"), ("EU", "insert")]
    assert list(CoSponsorship.objects.values_list("delegation_id", flat=True)) == ["JPN"]
    assert JournalEntry.objects.filter(kind="drafting.text.imported").count() == 1


def test_import_replaces_a_text_keeping_the_old_one_as_a_version(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    table("AUT", "chp_1__art_1__para_1", "insert", span="measures", text=" now")
    response = upload(persona("secretariat"), "draft.txt", GOOD.encode(), instrument=instrument.pk)
    assert response.status_code == 302
    assert Instrument.objects.count() == 1
    assert Provision.objects.filter(instrument=instrument).count() == 4
    old = Version.objects.get(instrument=instrument)
    assert old.name.startswith("Before import") and "[ now]{AUT}" in old.notation


def test_malformed_notation_names_line_and_column(persona) -> None:  # type: ignore[no-untyped-def]
    client = persona("secretariat")  # its account is journalled before the count
    before = JournalEntry.objects.count()
    bad = b"Title: X\nArticle 1 - A\n1. Some [words]{XYZQ} here.\n2. [unclosed\n"
    response = upload(client, "bad.txt", bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<code>bad.txt:3:17: unknown sponsor code &#x27;XYZQ&#x27;</code>" in html
    assert "<code>bad.txt:4:4: [ is not closed by ]</code>" in html
    nothing_saved(before)


def test_a_docx_that_is_not_a_docx(persona) -> None:  # type: ignore[no-untyped-def]
    client = persona("secretariat")  # its account is journalled before the count
    before = JournalEntry.objects.count()
    response = upload(client, "draft.docx", b"This is plain text pretending to be Word.")
    assert response.status_code == 400
    assert "not a DOCX file" in response.content.decode()
    nothing_saved(before)


def test_a_real_docx_round_trip(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    table("JPN", "chp_1__art_1__para_1", "insert", span="measures", text=" now")
    docx = Client().get(f"/texts/{instrument.pk}/export.docx").content
    response = upload(persona("secretariat"), "back.docx", docx)
    assert response.status_code == 302
    copy = Instrument.objects.exclude(pk=instrument.pk).get()
    assert Proposal.objects.get(instrument=copy).text == " now"


def test_twenty_megabytes_is_the_limit(persona) -> None:  # type: ignore[no-untyped-def]
    client = persona("secretariat")  # its account is journalled before the count
    before = JournalEntry.objects.count()
    big = b"Title: Huge\n" + b"x" * (20 * 1024 * 1024)
    response = upload(client, "huge.txt", big)
    assert response.status_code == 413
    assert "the limit is 20 MB" in response.content.decode()
    nothing_saved(before)


def test_only_the_secretariat_imports(persona) -> None:  # type: ignore[no-untyped-def]
    assert upload(persona("austria"), "draft.txt", GOOD.encode()).status_code == 403
    assert not Instrument.objects.exists()


def test_cli_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from consensio.cli import main

    good = tmp_path / "draft.txt"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["text", "import", str(good), "--instrument", "new"]) == 0
    instrument = Instrument.objects.get()
    assert (
        f"instrument {instrument.pk}: Imported draft (4 provisions, 2 proposals)" in capsys.readouterr().out
    )
    assert main(["text", "import", str(good), "--instrument", str(instrument.pk)]) == 0
    assert Instrument.objects.count() == 1 and Version.objects.count() == 1
    capsys.readouterr()

    bad = tmp_path / "bad.txt"
    bad.write_text("Title: X\nArticle 1 - A\n1. [unclosed\n", encoding="utf-8")
    assert main(["text", "import", str(bad), "--instrument", "new"]) == 1
    assert capsys.readouterr().err == f"{bad}:3:4: [ is not closed by ]\n"
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"not a zip")
    assert main(["text", "import", str(fake), "--instrument", "new"]) == 1
    assert "not a DOCX file" in capsys.readouterr().err
    assert main(["text", "import", str(good), "--instrument", "999"]) == 2
    assert "there is no instrument 999" in capsys.readouterr().err
    assert main(["text", "import", str(tmp_path / "missing.txt"), "--instrument", "new"]) == 2
    assert Instrument.objects.count() == 1
