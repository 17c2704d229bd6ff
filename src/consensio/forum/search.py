"""Full-text search over documents' language versions, ranked, with highlighted snippets,
filtered by what the user may see (consensio.forum.access.visible_distributions).

Two implementations behind one function, chosen by the database in use:

- SQLite: the FTS5 table `forum_search` (migration 0002), ranked by bm25 with the title
  weighted four times the body, snippets by FTS5's snippet();
- PostgreSQL: the tsvector column `LanguageVersion.search_vector` (GIN index), built per
  language with the matching text search configuration (english, french, russian,
  spanish; simple for Arabic and Chinese). The query is parsed once per configuration and
  the results OR-ed, so one constant tsquery finds stemmed forms in every language and
  can use the index; ranked by ts_rank, snippets by ts_headline. Access is filtered on
  `LanguageVersion.search_distribution` (a copy of the document's distribution) so that
  matching and ranking touch one table, whose vectors are stored inline (migration 0003);
  documents are joined and snippets built only for the rows returned.

Both are kept in step by `index_version()`, called from the do_* actions only (it also
fills `search_distribution`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from consensio.forum.access import visible_distributions
from consensio.forum.models import SEARCH_CONFIG, LanguageVersion

# Private-use characters mark the start and end of a highlighted term in a snippet, so that
# the snippet can be HTML-escaped before the marks become <mark> elements.
START, STOP = "\ue000", "\ue001"
MAX_QUERY = 200
WORD = re.compile(r"\w+", re.UNICODE)


class SearchError(ValueError):
    pass


@dataclass(frozen=True)
class Hit:
    document_id: int
    symbol: str
    title: str
    doc_type: str
    distribution: str
    language: str
    rank: float
    snippet: SafeString


def highlight(raw: str) -> SafeString:
    return mark_safe(escape(raw).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def query_words(q: str) -> list[str]:
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise SearchError(f"The search is {len(q)} characters long; at most {MAX_QUERY} are allowed.")
    words = WORD.findall(q)
    if not words:
        raise SearchError("Type at least one word to search for.")
    return words[:20]


def search(user: Any, q: str, limit: int = 20) -> list[Hit]:
    words = query_words(q)
    allowed = list(visible_distributions(user))
    if connection.vendor == "sqlite":
        return _search_sqlite(words, allowed, limit)
    if connection.vendor == "postgresql":
        return _search_postgresql(words, allowed, limit)
    raise SearchError(f"Search is not available on the {connection.vendor} database.")


def _search_sqlite(words: list[str], allowed: list[str], limit: int) -> list[Hit]:
    # Each word is quoted, so FTS5 operators typed by a user are read as plain words.
    match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
    marks = ", ".join(["%s"] * len(allowed))
    sql = (
        "SELECT d.id, d.symbol, d.title, d.doc_type, d.distribution, v.language, "
        "bm25(forum_search, 4.0, 1.0) AS score, "
        "snippet(forum_search, 1, %s, %s, '…', 24) "
        "FROM forum_search JOIN forum_languageversion v ON v.id = forum_search.rowid "
        "JOIN forum_document d ON d.id = v.document_id "
        f"WHERE forum_search MATCH %s AND d.distribution IN ({marks}) "
        "ORDER BY score, d.symbol LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, match, *allowed, limit])
        rows = cursor.fetchall()
    return [Hit(r[0], r[1], r[2], r[3], r[4], r[5], -float(r[6]), highlight(r[7] or "")) for r in rows]


def _tsquery(texts: list[str]) -> tuple[str, list[str]]:
    """SQL for each text parsed by every configuration, all OR-ed, and its parameters. The
    configurations and texts are constants, so PostgreSQL folds it to one tsquery."""
    configs = sorted(set(SEARCH_CONFIG.values()))
    parts = [(f"plainto_tsquery('{c}'::regconfig, %s)", t) for t in texts for c in configs]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [t for _, t in parts]


# ts_headline parses all the text it is given: about 0.2 ms per KB here, so 24 ms for one
# 120 KB draft and half a second for a page of such hits. It is given a window of the text
# instead, around the first place where one of the words (its first letters, so that other
# forms of it count) appears literally, or else the opening of the text.
WINDOW_BEFORE, WINDOW = 2000, 6000
STEM_PREFIX = 5

HEADLINE_OPTIONS = (f"StartSel='{START}', StopSel='{STOP}', MaxWords=30, MinWords=12, MaxFragments=2, "
                    "FragmentDelimiter=' … '")


def _window(words: list[str]) -> tuple[str, list[Any]]:
    """SQL for the stretch of `v.text` that the snippet is built from (see WINDOW), and its parameters."""
    prefixes = list(dict.fromkeys(w.lower()[:STEM_PREFIX] for w in words))
    first = ", ".join(["NULLIF(strpos(lower(v.text), %s), 0)"] * len(prefixes))
    sql = f"COALESCE(substr(v.text, GREATEST(1, LEAST({first}) - %s), %s), left(v.text, %s))"
    return sql, [*prefixes, WINDOW_BEFORE, WINDOW, WINDOW]


def _search_postgresql(words: list[str], allowed: list[str], limit: int) -> list[Hit]:
    # Inner query (materialised): match, filter by the copied distribution (no join) and rank
    # only rows of forum_languageversion, whose vector is stored inline; keep the best `limit`
    # with their ties, so that the outer query can break ties by symbol as before.
    # Outer query: for those few rows only, join the document (checking its distribution
    # again), order, and build the snippet. ts_headline re-parses the whole text, and with
    # the AND of the words it searches every stretch of it for a cover of all of them (in a
    # version whose text lacks a word found in the title, it searches in vain: ~3 ms per row
    # with three words). The snippet is built for any of the words instead, as FTS5's is.
    match, match_params = _tsquery([" ".join(words)])
    marks = ", ".join(["%s"] * len(allowed))
    any_word, any_word_params = _tsquery(list(dict.fromkeys(w.lower() for w in words)))
    window, window_params = _window(words)
    sql = (
        "WITH top AS MATERIALIZED ("
        f"SELECT v.id, ts_rank(v.search_vector, {match}) AS rank FROM forum_languageversion v "
        f"WHERE v.search_distribution IN ({marks}) AND v.search_vector @@ {match} "
        "ORDER BY rank DESC FETCH FIRST (%s) ROWS WITH TIES) "
        "SELECT d.id, d.symbol, d.title, d.doc_type, d.distribution, v.language, top.rank, "
        f"ts_headline(v.search_config::regconfig, {window}, {any_word}, %s) "
        "FROM top JOIN forum_languageversion v ON v.id = top.id JOIN forum_document d ON d.id = v.document_id "
        f"WHERE d.distribution IN ({marks}) "
        "ORDER BY top.rank DESC, d.symbol LIMIT %s"
    )
    params = [*match_params, *allowed, *match_params, limit, *window_params, *any_word_params, HEADLINE_OPTIONS,
              *allowed, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Hit(r[0], r[1], r[2], r[3], r[4], r[5], float(r[6]), highlight(r[7] or "")) for r in rows]


def index_version(version: LanguageVersion, title: str) -> None:
    """Bring the search index in step with one language version (call inside the action's transaction)."""
    distribution = version.document.distribution
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM forum_search WHERE rowid = %s", [version.pk])
            cursor.execute("INSERT INTO forum_search (rowid, title, body) VALUES (%s, %s, %s)",
                           [version.pk, title, version.text])
        LanguageVersion.objects.filter(pk=version.pk).update(search_distribution=distribution)
    elif connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector
        from django.db.models import Value

        config = version.search_config
        LanguageVersion.objects.filter(pk=version.pk).update(
            search_vector=SearchVector(Value(title), config=config, weight="A")
            + SearchVector("text", config=config, weight="B"),
            search_distribution=distribution,
        )
    version.search_distribution = distribution


def unindex_version(version_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM forum_search WHERE rowid = %s", [version_id])
