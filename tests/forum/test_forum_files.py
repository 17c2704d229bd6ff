"""A document file must be what its name says; its text is extracted for search."""

from __future__ import annotations

import io
import zipfile

import pytest

from consensio.forum.files import MAX_DOCUMENT_BYTES, FileRefused, check_document


def test_pdf_text_is_extracted(pdf) -> None:  # type: ignore[no-untyped-def]
    checked = check_document("draft.PDF", pdf("Preservation of stored electronic data"))
    assert checked.kind == "pdf"
    assert "Preservation of stored electronic data" in checked.text


def test_docx_text_is_extracted(make_docx) -> None:  # type: ignore[no-untyped-def]
    checked = check_document("draft.docx", make_docx("Article 1", "Statement of purpose"))
    assert checked.kind == "docx"
    assert checked.text == "Article 1\nStatement of purpose"


def _zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("draft.pdf", b"MZ\x90\x00 not a pdf", "is named .pdf but is not a PDF file"),
        ("draft.pdf", b"PK\x03\x04 a zip named pdf", "is named .pdf but is not a PDF file"),
        ("draft.docx", b"%PDF-1.4 a pdf named docx", "is named .docx but is not a Word document"),
        ("draft.docx", _zip("content.xml"), "no word/document.xml"),
        ("draft.docx", b"PK\x03\x04 broken", "damaged"),
        ("draft.exe", b"%PDF-1.4", "only PDF (.pdf) and Word (.docx)"),
        ("draft.pdf", b"", "is empty"),
        ("draft.pdf", b"%PDF-1.4\n garbage", "cannot be read"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(FileRefused) as caught:
        check_document(name, data)
    assert message in str(caught.value)
    assert name in str(caught.value)


def test_a_file_over_20_mb_is_refused() -> None:
    with pytest.raises(FileRefused, match="at most 20 MB"):
        check_document("big.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES)
