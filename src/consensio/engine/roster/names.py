"""How names of States, organizations and groups are compared.

UN documents, national statements and press texts spell the same State in many
ways: "Korea, Republic of" (the UN's sorted form), "Republic of Korea", "the
Republic of Korea", "Türkiye"/"Turkiye", "St. Lucia"/"Saint Lucia",
"Antigua & Barbuda". `normalize_name` reduces every such spelling to one key so
that resolving a name is a dictionary lookup. `abbreviation_form` recognises the
all-capital short forms (US, UK, EU, DPRK) that must only match when written in
capitals, so that the English word "us" never becomes the United States.

`FuzzyIndex` proposes the closest known names for a name that did not resolve.
It is used only to list candidates in an error message; nothing is ever picked
automatically from it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

__all__ = ["FuzzyIndex", "abbreviation_form", "normalize_name"]

# Typographic apostrophes are dropped rather than turned into spaces, so that
# "People's" and "Peoples" and "Côte d’Ivoire" and "Cote dIvoire" compare equal.
_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc\u2032"
# A parenthesised or comma-separated qualifier that ends in "of" / "of the" (or
# is just "the") is the UN's sorted form of a long name: "Bolivia (Plurinational
# State of)" is read "Plurinational State of Bolivia".
_QUALIFIER_END = re.compile(r"(?:^|\s)(?:of|of\s+the|the)\s*$")
_TRAILING_PAREN = re.compile(r"^(?P<head>[^()]*?)\s*\((?P<inner>[^()]*)\)\s*$")


def _fold(text: str) -> str:
    # Decompose, drop accents, fold case, and decompose again: case folding can
    # produce characters that decompose further (e.g. "İ" folds to "i" + a dot).
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_LEADING_ARTICLE = re.compile(r"^\s*the\s+")


def _reorder(text: str) -> str:
    # "the Netherlands (Kingdom of the)" is "Kingdom of the Netherlands": the
    # head's own article goes when the qualifier moves in front of it.
    match = _TRAILING_PAREN.match(text)
    if match:
        head, inner = match.group("head").strip(), match.group("inner").strip()
        head = _LEADING_ARTICLE.sub("", head)
        if _QUALIFIER_END.search(inner) or inner == "the":
            return f"{inner} {head}"
        return f"{head} {inner}"
    if text.count(",") == 1:
        head, tail = (part.strip() for part in text.split(","))
        if tail and (_QUALIFIER_END.search(tail) or tail == "the"):
            return f"{tail} {_LEADING_ARTICLE.sub('', head)}"
    return text


def _normalize_once(text: str) -> str:
    # Plain ASCII needs no Unicode decomposition; most names are ASCII.
    text = text.lower() if text.isascii() else _fold(text)
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    text = text.replace("&", " and ")
    text = _reorder(text)
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    # "St." and "St" are always "Saint" in State names (Saint Lucia, Saint Kitts and Nevis).
    words = ["saint" if word == "st" else word for word in words]
    while words and words[0] == "the":
        del words[0]
    return " ".join(words)


@functools.lru_cache(maxsize=8192)
def normalize_name(name: str) -> str:
    """Reduce a name to its comparison key.

    Ignores case, diacritics, punctuation, a leading "the", "&" versus "and",
    "St." versus "Saint", and the word order of the UN's sorted forms
    ("Korea, Republic of", "Bolivia (Plurinational State of)"). The result
    contains only lower-case letters, digits and single spaces, and
    normalising it again gives the same string.
    """
    text = _normalize_once(name)
    if name.isascii():
        return text
    # Unicode folding is not always idempotent in one pass; a couple of passes
    # reach the fixed point for every character (checked by a property test).
    for _ in range(3):
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return text


_ABBREVIATION_NOISE = re.compile(r"[\s.]+")
_LEADING_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)


def abbreviation_form(name: str) -> str | None:
    """Return "US" for "US", "U.S." or "the U.S.", and None unless written in capitals.

    Abbreviations such as US, UK, EU, DPRK or ROK are only recognised when every
    letter is a capital: "us", "Us" or "eu" are ordinary words, never names.
    """
    text = _ABBREVIATION_NOISE.sub("", _LEADING_THE.sub("", name.strip()))
    if 2 <= len(text) <= 6 and text.isascii() and text.isalpha() and text.isupper():
        return text
    return None


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class FuzzyIndex:
    """Closest known names for a misspelt one, for error messages only.

    A trigram index narrows the field before difflib scores the survivors, so
    that listing candidates for hundreds of misspelt names stays fast.
    """

    SHORTLIST = 30
    CACHE_SIZE = 4096
    MAX_QUERY = 120

    def __init__(self, forms: Iterable[tuple[str, str]]) -> None:
        """`forms` are (normalised name, key) pairs; one key may have many forms."""
        self._forms: list[tuple[str, str]] = []
        self._cache: dict[tuple[str, int, float], list[tuple[str, float]]] = {}
        self._grams: dict[str, list[int]] = {}
        seen: set[tuple[str, str]] = set()
        for form, key in forms:
            if not form or (form, key) in seen:
                continue
            seen.add((form, key))
            index = len(self._forms)
            self._forms.append((form, key))
            for gram in _trigrams(form):
                self._grams.setdefault(gram, []).append(index)

    def closest(self, name: str, limit: int = 5, cutoff: float = 0.7) -> list[tuple[str, float]]:
        """Return up to `limit` (key, score) pairs, best first, scores in [0, 1].

        Candidates scoring below `cutoff` are kept only when nothing reaches it,
        and then at most three above 0.5, so that a badly garbled name still
        gets a suggestion without drowning a good one in noise.
        """
        # Only the start of a very long piece can be a misspelt name.
        query = normalize_name(name[: self.MAX_QUERY])
        if not query:
            return []
        cached = self._cache.get((query, limit, cutoff))
        if cached is not None:
            return list(cached)
        found = self._closest(query, limit, cutoff)
        if len(self._cache) < self.CACHE_SIZE:
            self._cache[(query, limit, cutoff)] = found
        return list(found)

    def _closest(self, query: str, limit: int, cutoff: float) -> list[tuple[str, float]]:
        shared: dict[int, int] = {}
        for gram in _trigrams(query):
            for index in self._grams.get(gram, ()):
                shared[index] = shared.get(index, 0) + 1
        shortlist = sorted(shared, key=lambda index: -shared[index])[: self.SHORTLIST]
        best: dict[str, float] = {}
        query_words = set(query.split())
        for index in shortlist:
            form, key = self._forms[index]
            score = SequenceMatcher(None, query, form, autojunk=False).ratio()
            # A partial name ("Bosnia", "Grenadines") should still point at the
            # full name even though the character ratio is low.
            if query_words and query_words <= set(form.split()):
                score = max(score, 0.8)
            if score > best.get(key, 0.0):
                best[key] = score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        good = [(key, round(score, 3)) for key, score in ranked if score >= cutoff]
        if not good:
            good = [(key, round(score, 3)) for key, score in ranked if score >= 0.5][:3]
        return good[:limit]
