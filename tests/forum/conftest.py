"""Fixtures for the forum tests: a small body with one session, delegations of Austria,
Brazil and the EU, and one document of each distribution, each with a real file."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF whose text layer reads `text` (ASCII), built by hand: no generator dependency."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass
class Forum:
    body: Any
    session: Any
    venue: Any
    items: dict[str, Any]
    austria: Any
    brazil: Any
    eu: Any
    ngo: Any
    general: Any
    limited: Any
    restricted: Any


@pytest.fixture
def pdf() -> Callable[[str], bytes]:
    return pdf_bytes


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    return docx_bytes


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def forum(db: None) -> Forum:
    from consensio.actors.models import Actor
    from consensio.forum import actions as a

    venue = a.do_save_venue(None, key="vic", name="Vienna International Centre", city="Vienna", country="Austria")
    body = a.do_create_body(None, key="ahc", name="Ad Hoc Committee", short_name="AHC", mandate="A/RES/74/247",
                            rulebook="ahc-74-247", document_prefix="A/AC.291", secretariat="UNODC")
    actors = {x.key: x for x in Actor.objects.filter(key__in=["DZA", "AUT", "BRA", "EU", "JPN"])}
    a.do_elect_bureau_member(None, body, office="chair", person="Chair Person", state=actors["DZA"],
                             regional_group="African Group", since=dt.date(2021, 5, 10))
    a.do_elect_bureau_member(None, body, office="vice_chair", person="Vice Person", state=actors["JPN"],
                             regional_group="Asia-Pacific Group", since=dt.date(2021, 5, 10))
    session = a.do_create_session(None, body, label="Fifth session", number=5, starts_on=dt.date(2023, 4, 11),
                                  ends_on=dt.date(2023, 4, 21), venue=venue, room="Board Room C")
    items = {i.number: i for i in a.do_set_agenda(None, session, [("1", "Opening of the session"),
                                                                 ("3", "Consideration of the draft convention")])}
    a.do_schedule_meetings(None, session, [
        {"kind": "formal", "number": 1, "date": dt.date(2023, 4, 11), "starts_at": dt.time(10),
         "ends_at": dt.time(13), "agenda": ["1", "3"]},
        {"kind": "formal", "number": 2, "date": dt.date(2023, 4, 11), "starts_at": dt.time(15),
         "ends_at": dt.time(18), "agenda": ["3"]},
        {"kind": "informal", "date": dt.date(2023, 4, 12), "starts_at": dt.time(10), "ends_at": dt.time(13),
         "title": "Informal consultations on chapter V", "agenda": ["3"]},
    ])
    austria = a.do_accredit(None, session, actor=actors["AUT"])
    brazil = a.do_accredit(None, session, actor=actors["BRA"])
    eu = a.do_accredit(None, session, actor=actors["EU"])
    participant = a.do_register_participant(None, key="eff", name="Electronic Frontier Foundation", kind="other",
                                            basis="A/RES/75/282 OP9")
    ngo = a.do_accredit(None, session, participant=participant)

    def issue(symbol: str, title: str, distribution: str, text: str, doc_type: str = "draft_text") -> Any:
        return a.do_issue_document(None, symbol=symbol, title=title, doc_type=doc_type, distribution=distribution,
                                   language="en", filename="text.docx", data=docx_bytes(text), body=body,
                                   agenda_items=[items["3"]])

    general = issue("A/AC.291/22", "Draft text of the convention",
                    "general", "Mutual legal assistance and preservation of electronic evidence.")
    limited = issue("A/AC.291/L.15", "Draft convention as approved", "limited",
                    "The convention against cybercrime as approved, with electronic evidence provisions.")
    restricted = issue("A/AC.291/CRP.9", "Zanzibar consultations note", "restricted",
                       "Confidential zanzibar outline of the bridging proposal on electronic evidence.",
                       doc_type="crp")
    return Forum(body, session, venue, items, austria, brazil, eu, ngo, general, limited, restricted)
