"""The UN document symbol grammar, as a table of cases, plus a round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consensio.forum.symbols import SymbolError, parse_symbol

VALID = [
    # text, canonical, base, body_code, number, special, (rev, add, corr)
    ("A/AC.291/22", "A/AC.291/22", "A/AC.291/22", "A/AC.291", 22, None, (None, None, None)),
    ("A/AC.291/22/Rev.1", "A/AC.291/22/Rev.1", "A/AC.291/22", "A/AC.291", 22, None, (1, None, None)),
    ("A/AC.291/24/Add.1", "A/AC.291/24/Add.1", "A/AC.291/24", "A/AC.291", 24, None, (None, 1, None)),
    ("A/AC.291/L.15", "A/AC.291/L.15", "A/AC.291/L.15", "A/AC.291", 15, "L", (None, None, None)),
    ("a/ac.291/l.16", "A/AC.291/L.16", "A/AC.291/L.16", "A/AC.291", 16, "L", (None, None, None)),
    ("A/RES/74/247", "A/RES/74/247", "A/RES/74/247", "A/RES/74", 247, None, (None, None, None)),
    ("A/78/986", "A/78/986", "A/78/986", "A/78", 986, None, (None, None, None)),
    ("A/AC.291/22/Add.1/Corr.2", "A/AC.291/22/Add.1/Corr.2", "A/AC.291/22", "A/AC.291", 22, None, (None, 1, 2)),
    (" A/AC.291/CRP.3/rev.2 ", "A/AC.291/CRP.3/Rev.2", "A/AC.291/CRP.3", "A/AC.291", 3, "CRP", (2, None, None)),
]


@pytest.mark.parametrize(("text", "canonical", "base", "body_code", "number", "special", "mods"), VALID)
def test_valid_symbols_parse_and_normalise(text, canonical, base, body_code, number, special, mods) -> None:  # type: ignore[no-untyped-def]
    s = parse_symbol(text)
    assert str(s) == canonical
    assert (s.base, s.body_code, s.number, s.special) == (base, body_code, number, special)
    assert (s.revision, s.addendum, s.corrigendum) == mods


MALFORMED = [
    ("", "empty"),
    ("A/AC.291/22/Rev", "a Rev needs a number from 1, as Rev.1"),
    ("A/AC.291/22/Rev.0", "a Rev needs a number from 1"),
    ("A//22", "Component 2 of 'A//22' is empty"),
    ("A/AC.291/22/", "Component 4 of 'A/AC.291/22/' is empty"),
    ("A/22", "needs at least a series, a body and a number"),
    ("A/AC.291/draft", "The document number 'draft'"),
    ("A/AC 291/22", "contains a space"),
    ("A1/AC.291/22", "The series 'A1'"),
    ("A/AC.291/22/Rev.1/Rev.2", "has Rev twice"),
    ("A/AC-291/22", "The body component 'AC-291'"),
    ("A/Rev.1", "needs at least a series"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_symbols_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(SymbolError) as caught:
        parse_symbol(text)
    assert message in str(caught.value)


symbols = st.builds(
    lambda series, body, number, special, mods: "/".join(
        [series, *body, f"{special}.{number}" if special else str(number), *mods]),
    st.sampled_from(["A", "E", "S", "ST", "CTOC"]),
    st.lists(st.sampled_from(["AC.291", "C.3", "RES", "74", "CONF.234", "COP"]), min_size=1, max_size=3),
    st.integers(min_value=1, max_value=99999),
    st.sampled_from([None, "L", "CRP", "WP", "INF", "Misc"]),
    st.lists(st.sampled_from(["Rev", "Add", "Corr", "Amend"]), unique=True, max_size=3).flatmap(
        lambda names: st.tuples(*[st.integers(1, 99).map(lambda n, m=m: f"{m}.{n}") for m in names])),
)


@given(symbols)
def test_parse_then_print_is_the_identity_on_canonical_symbols(text: str) -> None:
    assert str(parse_symbol(text)) == text
    assert str(parse_symbol(text.lower())) == text
