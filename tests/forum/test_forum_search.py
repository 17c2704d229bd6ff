"""Full-text search: ranked, highlighted, filtered by access, kept in step by the actions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from consensio.forum.actions import do_issue_document
from consensio.forum.search import SearchError, search

pytestmark = pytest.mark.django_db


def test_results_are_ranked_title_matches_first(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    do_issue_document(None, symbol="A/AC.291/40", title="Note on jurisdiction", doc_type="working_paper",
                      distribution="general", language="en", filename="a.docx",
                      data=make_docx("Jurisdiction is mentioned here once, among many other words about scope."))
    do_issue_document(None, symbol="A/AC.291/41", title="Proposal on mutual assistance", doc_type="submission",
                      distribution="general", language="en", filename="b.docx",
                      data=make_docx("Text that never says the word in question but talks of assistance."))
    hits = search(None, "jurisdiction")
    assert [h.symbol for h in hits] == ["A/AC.291/40"]
    hits = search(None, "assistance")
    assert [h.symbol for h in hits][0] == "A/AC.291/41"  # in the title: ranked above a body-only match
    assert {h.symbol for h in hits} == {"A/AC.291/41", "A/AC.291/22"}
    assert hits[0].rank >= hits[1].rank


def test_snippets_are_escaped_and_highlighted(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    do_issue_document(None, symbol="A/AC.291/42", title="Markup", doc_type="statement", distribution="general",
                      language="en", filename="c.docx",
                      data=make_docx("The <script>alert(1)</script> tag must not run; safeguards apply."))
    hit = search(None, "safeguards")[0]
    # SQLite's snippet keeps the text (escaped here); PostgreSQL's headline drops what it parses as tags.
    assert "<script>" not in hit.snippet
    assert "<mark>safeguards</mark>" in hit.snippet


def test_highlight_escapes_before_marking() -> None:
    from consensio.forum.search import START, STOP, highlight

    assert highlight(f"a <b> & {START}term{STOP}") == "a &lt;b&gt; &amp; <mark>term</mark>"


@pytest.mark.parametrize("role, symbols", [
    ("anonymous", ["A/AC.291/22"]),
    ("observer", ["A/AC.291/22", "A/AC.291/L.15"]),
    ("austria", ["A/AC.291/22", "A/AC.291/CRP.9", "A/AC.291/L.15"]),
])
def test_search_is_filtered_by_access(forum, persona, role, symbols) -> None:  # type: ignore[no-untyped-def]
    hits = persona(role).get("/api/search", {"q": "electronic evidence"}).json()
    assert sorted(h["symbol"] for h in hits) == symbols


def test_the_search_page(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        response = Client().get("/search/", {"q": "preservation"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li data-symbol="A/AC.291/22">' in html
    assert "<mark>preservation</mark>" in html.lower()


@pytest.mark.parametrize("q, message", [("  ", "Type at least one word"), ("x" * 201, "at most 200")])
def test_an_unusable_query_is_a_clear_error(q: str, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        search(None, q)
    response = Client().get("/api/search", {"q": q})
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_fts_operators_typed_by_a_user_are_plain_words(forum) -> None:  # type: ignore[no-untyped-def]
    assert search(None, 'evidence" OR NEAR(') == search(None, "evidence OR NEAR")
    assert Client().get("/search/", {"q": '"unbalanced'}).status_code == 200


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only")
def test_the_fts_table_holds_one_row_per_language_version(forum) -> None:  # type: ignore[no-untyped-def]
    from consensio.forum.models import LanguageVersion

    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM forum_search ORDER BY rowid")
        rows = [r[0] for r in cursor.fetchall()]
    assert rows == sorted(LanguageVersion.objects.values_list("pk", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector and GIN index on PostgreSQL only")
def test_every_version_has_a_vector_in_its_language_and_the_gin_index_exists(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    from consensio.forum.actions import do_add_language_version
    from consensio.forum.models import LanguageVersion

    do_add_language_version(None, forum.general, language="ru", filename="ru.docx",
                            data=make_docx("Международное сотрудничество и электронные доказательства."))
    assert not LanguageVersion.objects.filter(search_vector__isnull=True).exists()
    assert LanguageVersion.objects.get(language="ru").search_config == "russian"
    # The Russian stemmer: a different case ending of the same word is found.
    assert [h.language for h in search(None, "сотрудничества")] == ["ru"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'forum_languageversion_search_gin'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]


def test_equal_ranks_are_ordered_by_symbol_and_cut_at_the_limit(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    for symbol in ("A/AC.291/52", "A/AC.291/50", "A/AC.291/51"):
        do_issue_document(None, symbol=symbol, title="Identical note", doc_type="statement",
                          distribution="general", language="en", filename="t.docx",
                          data=make_docx("Zanzibar zanzibar appears twice in each of these notes."))
    hits = search(None, "identical zanzibar")
    assert [h.symbol for h in hits] == ["A/AC.291/50", "A/AC.291/51", "A/AC.291/52"]
    assert len({h.rank for h in hits}) == 1
    assert [h.symbol for h in search(None, "identical zanzibar", limit=2)] == ["A/AC.291/50", "A/AC.291/51"]


def test_every_version_carries_its_documents_distribution(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import F

    from consensio.forum.actions import do_add_language_version
    from consensio.forum.models import LanguageVersion

    do_add_language_version(None, forum.restricted, language="fr", filename="fr.docx",
                            data=make_docx("Consultations confidentielles sur la preuve électronique."))
    versions = LanguageVersion.objects.all()
    assert versions.count() >= 4
    assert not versions.exclude(search_distribution=F("document__distribution")).exists()
    assert LanguageVersion.objects.get(document=forum.restricted, language="fr").search_distribution == "restricted"


def test_a_change_of_distribution_reaches_the_search(forum) -> None:  # type: ignore[no-untyped-def]
    from consensio.forum.models import Document

    class Delegate:  # what role_of() reads
        is_authenticated = True
        is_superuser = False

        class profile:  # noqa: N801
            role = "delegate"

    assert [h.symbol for h in search(None, "preservation")] == ["A/AC.291/22"]
    Document.objects.filter(pk=forum.general.pk).update(distribution="restricted")
    assert search(None, "preservation") == []  # never to the public once restricted
    assert [h.symbol for h in search(Delegate(), "preservation")] == ["A/AC.291/22"]
    forum.restricted.distribution = "general"
    forum.restricted.save()
    assert "A/AC.291/CRP.9" in {h.symbol for h in search(None, "zanzibar")}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage")
def test_the_vectors_are_stored_inline(forum) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("SELECT attstorage FROM pg_attribute WHERE attrelid = 'forum_languageversion'::regclass "
                       "AND attname = 'search_vector'")
        assert cursor.fetchone()[0] == "m"


def test_a_snippet_marks_the_words_its_text_has_when_others_are_only_in_the_title(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    do_issue_document(None, symbol="A/AC.291/60", title="Kilimanjaro outline", doc_type="statement",
                      distribution="general", language="en", filename="k.docx",
                      data=make_docx("An outline of the bridging proposal, with many other words around it."))
    (hit,) = search(None, "kilimanjaro bridging")
    assert hit.symbol == "A/AC.291/60"
    assert "<mark>bridging</mark>" in hit.snippet


def test_a_long_document_gets_its_snippet_from_where_the_word_is(forum, make_docx) -> None:  # type: ignore[no-untyped-def]
    # About 90 KB of other words, then the word searched for: the snippet shows the stretch
    # around it (PostgreSQL builds it from a window of the text, not the whole text).
    filler = ["The committee met and discussed matters of procedure at length."] * 1400
    do_issue_document(None, symbol="A/AC.291/60", title="A long report", doc_type="report",
                      distribution="general", language="en", filename="long.docx",
                      data=make_docx(*filler, "Annex: the quokka clause on electronic evidence."), body=forum.body)
    hit = search(None, "quokka evidence")[0]
    assert hit.symbol == "A/AC.291/60"
    assert "<mark>quokka</mark>" in hit.snippet
