"""Checking an uploaded document file and extracting its text for search.

A file must be what its name says: a ``.pdf`` starts with ``%PDF-``; a ``.docx`` is a zip
archive (``PK\\x03\\x04``) holding ``word/document.xml``. Anything else, anything over
MAX_DOCUMENT_BYTES, or a file whose text cannot be read, is refused with a message that
names the file and the problem, before anything is stored.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
KINDS = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class FileRefused(ValueError):
    """The upload is not stored; the message says why and what would be accepted."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # "pdf" or "docx"
    text: str

    @property
    def content_type(self) -> str:
        return KINDS[self.kind]


def claimed_kind(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in KINDS:
        raise FileRefused(f"{filename!r}: only PDF (.pdf) and Word (.docx) files are accepted.")
    return ext


def check_size(filename: str, size: int) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise FileRefused(
            f"{filename!r} is {size / 1024 / 1024:.1f} MB; a document file may be at most "
            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB."
        )
    if size == 0:
        raise FileRefused(f"{filename!r} is empty.")


def check_document(filename: str, data: bytes) -> CheckedFile:
    """Verify that `data` is the kind of file its name claims, and extract its text."""
    kind = claimed_kind(filename)
    check_size(filename, len(data))
    if kind == "pdf":
        if not data.startswith(PDF_MAGIC):
            raise FileRefused(f"{filename!r} is named .pdf but is not a PDF file (it does not start with %PDF-).")
        return CheckedFile("pdf", _pdf_text(filename, data))
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(f"{filename!r} is named .docx but is not a Word document (it is not a zip archive).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise FileRefused(f"{filename!r} is a zip archive but not a Word document (no word/document.xml).")
    except zipfile.BadZipFile:
        raise FileRefused(f"{filename!r} is named .docx but its zip archive is damaged.") from None
    return CheckedFile("docx", _docx_text(filename, data))


def _tidy(text: str) -> str:
    text = text.replace("\x00", "").replace("\ue000", "").replace("\ue001", "")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def _pdf_text(filename: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise FileRefused(f"{filename!r} is an encrypted PDF; upload it without a password.")
        return _tidy("\n".join(page.extract_text() or "" for page in reader.pages))
    except FileRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FileRefused(f"{filename!r} starts like a PDF but cannot be read: {exc}") from None


def _docx_text(filename: str, data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types on a broken package
        raise FileRefused(f"{filename!r} cannot be read as a Word document: {exc}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return _tidy("\n".join(lines))
