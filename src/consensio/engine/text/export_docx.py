"""DOCX (Office Open XML, ECMA-376) export and import of the rolling text, via python-docx.

Each line of the bracket notation becomes one Word paragraph, so what a delegation reads is what
it could type: the title in the Title style, chapters and articles as headings, square brackets
and option bars in bold, sponsor attributions `{EU, JPN}` in superscript, provision markers
(`{ad ref}`) in italics. Import reads any DOCX whose paragraphs are written in the notation (one
provision per paragraph) and parses it; line numbers in errors are paragraph numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape as xml_escape

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.parser import parse_xml

from .errors import ImportFormatError
from .notation import _ARTICLE, _CHAPTER, _PREAMBLE, _TITLE, any_sponsor, parse, serialize
from .rolling import RollingText

# Where a provision's marker block may stand: at the start, or after its number.
_MARKER_PLACE = re.compile(r"[ \t]*(?:(?:chapter|article)[ \t]+\S+|\d+\.|\([a-z]+\))?[ \t]*", re.IGNORECASE)

# Run styles: None plain, "b" bold (brackets, bars), "sup" superscript (attributions),
# "i" italic (provision markers at the start of a line).
Piece = tuple[str, str | None]


_SPECIAL = re.compile(r"\\.|[\[\]|{]")


def style_line(line: str) -> list[Piece]:
    """Split a notation line into runs by role, without changing a character."""
    pieces: list[Piece] = []
    start = 0
    depth = 0
    skip_to = 0
    for m in _SPECIAL.finditer(line):
        i = m.start()
        ch = m.group()
        if i < skip_to or len(ch) == 2:  # inside braces already taken, or an escape
            continue
        if ch == "{":
            if not _MARKER_PLACE.fullmatch(line, 0, i):
                continue
            role = "i"  # a marker block right after the number (or at the start of the line)
        elif ch == "|" and not depth:
            continue
        else:
            role = "b"
        if i > start:
            pieces.append((line[start:i], None))
        if role == "i":
            close = line.find("}", i)
            end = len(line) if close == -1 else close + 1
            pieces.append((line[i:end], "i"))
            start = skip_to = end
            continue
        pieces.append((ch, "b"))
        depth += 1 if ch == "[" else -1 if ch == "]" else 0
        start = i + 1
        if ch == "]" and line.startswith("{", start):
            close = line.find("}", start)
            end = len(line) if close == -1 else close + 1
            pieces.append((line[start:end], "sup"))
            start = skip_to = end
    if start < len(line):
        pieces.append((line[start:], None))
    return pieces


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RPR = {None: "", "b": "<w:rPr><w:b/></w:rPr>", "i": "<w:rPr><w:i/></w:rPr>"}
_RPR["sup"] = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'


def _paragraph_xml(pieces: list[Piece], style: str | None) -> str:
    """One <w:p> as XML text: python-docx's Run API costs ~0.2 ms a run, and a convention-scale
    text has tens of thousands of runs; lxml parses the same paragraph in microseconds."""
    out = [f'<w:p xmlns:w="{_W}">']
    if style:
        out.append(f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>')
    for piece, role in pieces:
        out.append(f'<w:r>{_RPR[role]}<w:t xml:space="preserve">{xml_escape(piece)}</w:t></w:r>')
    out.append("</w:p>")
    return "".join(out)


def export_docx(text: RollingText) -> bytes:
    """A .docx document of the rolling text."""
    document = docx.Document()
    # Style ids looked up once (python-docx would resolve the name for every paragraph).
    ids = {name: document.styles[name].style_id for name in ("Title", "Heading 1", "Heading 2")}
    end = document.element.body.sectPr
    for line in serialize(text).splitlines():
        if not line:
            continue
        if _TITLE.match(line):
            style: str | None = ids["Title"]
            pieces: list[Piece] = [(line, None)]
        else:
            style = None
            if _CHAPTER.match(line) or _PREAMBLE.match(line):
                style = ids["Heading 1"]
            elif _ARTICLE.match(line):
                style = ids["Heading 2"]
            pieces = style_line(line)
        end.addprevious(parse_xml(_paragraph_xml(pieces, style)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_lines(data: bytes) -> str:
    """The text of a DOCX, one line per paragraph."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as exc:
        raise ImportFormatError(f"not a DOCX file (a Word document is a zip package): {exc}") from None
    return "\n".join(p.text for p in document.paragraphs)


def import_docx(data: bytes, is_known_sponsor: Callable[[str], bool] = any_sponsor) -> RollingText:
    """Parse a DOCX whose paragraphs are in the bracket notation; NotationError lines are paragraphs."""
    return parse(docx_lines(data), is_known_sponsor)
