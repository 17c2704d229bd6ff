"""Documents: distribution rules on every path (list, page, file, API, search), issuing
documents and language versions, and refusals that leave nothing behind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from consensio.forum.files import MAX_DOCUMENT_BYTES
from consensio.forum.models import Document, LanguageVersion
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar"  # a word that appears only in the restricted document (title and text)
TRACES = (b"CRP.9", b"consultations note", b"bridging proposal")  # what must never leak of it


def _stored_files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    root = settings.MEDIA_ROOT / "forum" / "documents"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


class TestRestrictedStaysRestricted:
    @pytest.mark.parametrize("who", ["anonymous", "observer"])
    def test_the_public_and_observers_see_nothing_of_it(self, forum, persona, who: str) -> None:  # type: ignore[no-untyped-def]
        client = persona(who)
        doc = forum.restricted
        for url in (f"/documents/{doc.pk}/", f"/documents/{doc.pk}/en/file/", f"/api/documents/{doc.pk}"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert SECRET.encode() not in response.content
            assert not any(t in response.content for t in TRACES), url
        for url in ("/documents/", f"/search/?q={SECRET}", f"/api/search?q={SECRET}", "/api/documents",
                    f"/sessions/{forum.session.pk}/", f"/agenda/{forum.items['3'].pk}/",
                    f"/api/documents?session={forum.session.pk}"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert not any(t in response.content for t in TRACES), url
        assert client.get(f"/api/search?q={SECRET}").json() == []
        assert '<p class="small" id="hit-count">0 results</p>' in client.get(f"/search/?q={SECRET}").content.decode()

    @pytest.mark.parametrize("who", ["austria", "secretariat", "chair"])
    def test_delegates_and_the_secretariat_see_it(self, forum, persona, who: str) -> None:  # type: ignore[no-untyped-def]
        client = persona(who)
        doc = forum.restricted
        page = client.get(f"/documents/{doc.pk}/")
        assert page.status_code == 200 and SECRET.encode() in page.content
        file = client.get(f"/documents/{doc.pk}/en/file/")
        assert file.status_code == 200
        assert b"".join(file.streaming_content).startswith(b"PK\x03\x04")
        assert file["Cache-Control"] == "private, no-store"
        assert [h["symbol"] for h in client.get(f"/api/search?q={SECRET}").json()] == ["A/AC.291/CRP.9"]
        assert client.get(f"/api/documents/{doc.pk}").json()["distribution"] == "restricted"

    def test_limited_documents_need_a_log_in(self, forum, persona) -> None:  # type: ignore[no-untyped-def]
        doc = forum.limited
        assert Client().get(f"/documents/{doc.pk}/").status_code == 404
        assert Client().get(f"/documents/{doc.pk}/en/file/").status_code == 404
        assert persona("observer").get(f"/documents/{doc.pk}/").status_code == 200

    def test_a_missing_language_is_a_404(self, forum) -> None:  # type: ignore[no-untyped-def]
        assert Client().get(f"/documents/{forum.general.pk}/fr/file/").status_code == 404


def test_document_list_and_detail_query_counts(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with django_assert_num_queries(2 + 2):  # + 2: the page cache, first anonymous request
        response = client.get("/documents/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-symbol="A/AC.291/22"' in html and "L.15" not in html
    with django_assert_num_queries(5 + 2):  # + 2: the page cache, first anonymous request
        response = client.get(f"/documents/{forum.general.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft text of the convention" in html and "Fifth session, item 3" in html
    assert f'href="/documents/{forum.general.pk}/en/file/"' in html


def test_file_download_serves_the_stored_bytes(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(f"/documents/{forum.general.pk}/en/file/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "A_AC.291_22-en.docx" in response["Content-Disposition"]


class TestIssuing:
    url = "/documents/new/"

    def _post(self, client, **overrides):  # type: ignore[no-untyped-def]
        data = {"symbol": "A/AC.291/23", "title": "Report on the fifth session", "doc_type": "report",
                "distribution": "general", "language": "en"}
        data.update(overrides)
        return client.post(self.url, data)

    def test_the_secretariat_issues_a_pdf_document(self, forum, persona, pdf, settings) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        upload = SimpleUploadedFile("report.pdf", pdf("Report of the Ad Hoc Committee on its fifth session"),
                                    content_type="application/pdf")
        response = self._post(client, symbol="a/ac.291/23", file=upload, agenda_items=[forum.items["3"].pk])
        assert response.status_code == 302
        doc = Document.objects.get(symbol="A/AC.291/23")
        assert response["Location"] == f"/documents/{doc.pk}/"
        version = doc.versions.get()
        assert version.file_kind == "pdf" and "fifth session" in version.text
        assert list(doc.sessions.all()) == [forum.session]
        entry = JournalEntry.objects.filter(kind="forum.document.issued").last()
        assert entry.payload["symbol"] == "A/AC.291/23" and entry.payload["sha256"] == version.sha256
        hits = Client().get("/api/search?q=fifth session").json()
        assert [h["symbol"] for h in hits] == ["A/AC.291/23"]
        assert "<mark>fifth</mark>" in hits[0]["snippet"]

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            ("report.pdf", b"MZ\x90\x00 an executable", "is named .pdf but is not a PDF file"),
            ("report.docx", b"%PDF-1.4 fake", "is named .docx but is not a Word document"),
            ("report.txt", b"plain", "only PDF (.pdf) and Word (.docx)"),
        ],
    )
    def test_a_file_that_is_not_what_it_claims_is_refused(self, forum, persona, settings, name, data, message) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        before = (Document.objects.count(), LanguageVersion.objects.count(), JournalEntry.objects.count(),
                  _stored_files(settings))
        response = self._post(client, file=SimpleUploadedFile(name, data))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert (Document.objects.count(), LanguageVersion.objects.count(), JournalEntry.objects.count(),
                _stored_files(settings)) == before

    def test_a_file_over_20_mb_is_refused(self, forum, persona, settings) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        before = _stored_files(settings)
        big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_BYTES)
        response = self._post(client, file=big)
        assert response.status_code == 400
        assert "a document file may be at most 20 MB" in response.content.decode()
        assert not Document.objects.filter(symbol="A/AC.291/23").exists()
        assert _stored_files(settings) == before

    @pytest.mark.parametrize(
        ("symbol", "message"),
        [("A/AC.291/22/Rev", "a Rev needs a number from 1, as Rev.1"),
         ("A//22", "is empty"),
         ("A/AC.291/22", "a document A/AC.291/22 already exists")],
    )
    def test_a_malformed_or_taken_symbol_is_a_clear_error(self, forum, persona, make_docx, symbol, message) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        count = Document.objects.count()
        response = self._post(client, symbol=symbol, file=SimpleUploadedFile("d.docx", make_docx("x")))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Document.objects.count() == count

    @pytest.mark.parametrize("who", ["austria", "observer"])
    def test_only_the_secretariat_issues(self, forum, persona, make_docx, who) -> None:  # type: ignore[no-untyped-def]
        client = persona(who)
        response = self._post(client, file=SimpleUploadedFile("d.docx", make_docx("x")))
        assert response.status_code == 403
        assert not Document.objects.filter(symbol="A/AC.291/23").exists()

    def test_adding_a_french_version_makes_it_searchable_with_stemming(self, forum, persona, make_docx) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        url = f"/documents/{forum.general.pk}/languages/"
        upload = SimpleUploadedFile("fr.docx", make_docx("Coopération internationale et preuves électroniques."))
        response = client.post(url, {"language": "fr", "file": upload})
        assert response.status_code == 302
        assert forum.general.versions.filter(language="fr").exists()
        hits = Client().get("/api/search?q=cooperation internationale").json()
        assert [(h["symbol"], h["language"]) for h in hits] == [("A/AC.291/22", "fr")]
        again = client.post(url, {"language": "fr", "file": SimpleUploadedFile("fr.docx", make_docx("y"))})
        assert again.status_code == 400
        assert "already has a fr version" in again.content.decode()


def test_symbol_api_explains_a_malformed_symbol() -> None:
    response = Client().get("/api/symbols/parse", {"symbol": "A/AC.291/22/Rev"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_symbol" and "Rev.1" in error["message"]
    ok = Client().get("/api/symbols/parse", {"symbol": "a/ac.291/22/rev.3"}).json()
    assert ok["symbol"] == "A/AC.291/22/Rev.3" and ok["revision"] == 3 and ok["base"] == "A/AC.291/22"
