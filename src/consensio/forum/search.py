"""Full-text search over documents' language versions, ranked, with highlighted snippets,
filtered by what the user may see (consensio.forum.access.visible_distributions).

Two implementations behind one function, chosen by the database in use:

- SQLite: the FTS5 table `forum_search` (migration 0002), ranked by bm25 with the title
  weighted four times the body, snippets by FTS5's snippet();
- PostgreSQL: the tsvector column `LanguageVersion.search_vector` (GIN index), built per
  language with the matching text search configuration (english, french, russian,
  spanish; simple for Arabic and Chinese). The query is parsed once per configuration and
  the results OR-ed, so one constant tsquery finds stemmed forms in every language and
  can use the index; ranked by ts_rank, snippets by ts_headline.

Both are kept in step by `index_version()`, called from the do_* actions only.
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
        return _search_postgresql(" ".join(words), allowed, limit)
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


def _tsquery(q: str) -> Any:
    from django.contrib.postgres.search import SearchQuery

    query = None
    for config in sorted(set(SEARCH_CONFIG.values())):
        part = SearchQuery(q, config=config, search_type="plain")
        query = part if query is None else query | part
    return query


def _search_postgresql(q: str, allowed: list[str], limit: int) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank
    from django.db.models import F

    query = _tsquery(q)
    rows = (
        LanguageVersion.objects.filter(document__distribution__in=allowed, search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline("text", query, config=F("search_config"), start_sel=START, stop_sel=STOP,
                                   max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … "),
        )
        .order_by("-rank", "document__symbol")
        .values_list("document_id", "document__symbol", "document__title", "document__doc_type",
                     "document__distribution", "language", "rank", "snippet")[:limit]
    )
    return [Hit(r[0], r[1], r[2], r[3], r[4], r[5], float(r[6]), highlight(r[7] or "")) for r in rows]


def index_version(version: LanguageVersion, title: str) -> None:
    """Bring the search index in step with one language version (call inside the action's transaction)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM forum_search WHERE rowid = %s", [version.pk])
            cursor.execute("INSERT INTO forum_search (rowid, title, body) VALUES (%s, %s, %s)",
                           [version.pk, title, version.text])
    elif connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector
        from django.db.models import Value

        config = version.search_config
        LanguageVersion.objects.filter(pk=version.pk).update(
            search_vector=SearchVector(Value(title), config=config, weight="A")
            + SearchVector("text", config=config, weight="B")
        )


def unindex_version(version_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM forum_search WHERE rowid = %s", [version_id])
