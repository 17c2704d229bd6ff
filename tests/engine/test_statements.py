"""The joint-statement engine: header cases from a table, the seed statement, properties."""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from consensio.engine.roster import Actor, Group, abbreviation_form, load_roster, normalize_name
from consensio.engine.statements import (
    MAX_STATEMENT_BYTES,
    Entry,
    StatementError,
    StatementParse,
    decode_statement_bytes,
    parse_statement,
)

CASES = Path(__file__).parent / "cases"
HEADER_CASES: list[dict[str, Any]] = tomllib.loads((CASES / "statements_headers.toml").read_text("utf-8"))[
    "case"
]
SEED = (CASES / "statements_vienna_forum.txt").read_text("utf-8")

roster = load_roster()


def _labels(entries: list[Entry]) -> list[str]:
    return [entry.key + (f"/{entry.listed_under}" if entry.listed_under else "") for entry in entries]


# --- the table -------------------------------------------------------------------------


@pytest.mark.parametrize("case", HEADER_CASES, ids=[case["title"] for case in HEADER_CASES])
def test_header_cases(case: dict[str, Any]) -> None:
    text = case["text"]
    if "error" in case:
        with pytest.raises(StatementError, match=case["error"]):
            parse_statement(text)
        return
    result = parse_statement(text)
    assert _labels(result.on_behalf_of) == case["on_behalf_of"]
    assert _labels(result.aligned) == case.get("aligned", [])
    deliverer = None if result.delivered_by is None else result.delivered_by.key
    assert deliverer == case.get("delivered_by")
    assert [item.text for item in result.unresolved] == case.get("unresolved", [])
    for item, key in zip(result.unresolved, case.get("unresolved_candidates", []), strict=True):
        if key:
            assert key in [candidate.key for candidate in item.candidates], item.text
    messages = [problem.message for problem in result.problems]
    wanted = case.get("problems", [])
    assert len(messages) == len(wanted), messages
    for message, phrase in zip(messages, wanted, strict=True):
        assert phrase in message
    for item in result.unresolved:
        assert text[item.start : item.end] == item.text


# --- the project's own example -----------------------------------------------------------


def test_seed_statement() -> None:
    result = parse_statement(SEED)
    states = [entry for entry in result.on_behalf_of if entry.kind == "state"]
    assert len(states) == 40
    assert [entry.key for entry in result.on_behalf_of if entry.kind == "organization"] == ["EU"]
    under_eu = [entry for entry in states if entry.listed_under == "EU"]
    assert len(under_eu) == 27
    assert {entry.key for entry in under_eu} == {actor.key for actor in roster.actors if actor.eu_member}
    assert result.delivered_by is None
    assert result.unresolved == [] and result.problems == [] and result.aligned == []
    assert [entry.key for entry in result.on_behalf_of][:6] == ["ALB", "AUS", "CHL", "DOM", "EU", "AUT"]
    assert result.on_behalf_of[-1].key == "USA"


def test_seed_json_shape() -> None:
    data = parse_statement(SEED).to_json()
    assert set(data) == {"delivered_by", "on_behalf_of", "aligned", "unresolved", "problems"}
    assert data["delivered_by"] is None
    entries = data["on_behalf_of"]
    assert isinstance(entries, list)
    assert entries[0] == {"name": "Albania", "kind": "state", "iso3": "ALB"}
    assert entries[4] == {"name": "European Union", "kind": "organization", "iso3": None}
    assert entries[5] == {"name": "Austria", "kind": "state", "iso3": "AUT", "listed_under": "EU"}
    json.dumps(data)


def test_group_entry_json_carries_members() -> None:
    result = parse_statement("On behalf of the African Group and the Group of 77 and China")
    african, g77 = (entry.to_json() for entry in result.on_behalf_of)
    assert african["kind"] == "group" and african["iso3"] is None
    assert african["members"] == list(roster.groups["AG"].members) and len(african["members"]) == 54
    assert g77["members"] == [] and g77["members_known"] is False


def test_unresolved_json_has_position_and_candidates() -> None:
    text = "Statement\n\nOn behalf of Japan,\n  Austira"
    data = parse_statement(text).to_json()
    [item] = data["unresolved"]
    assert item["text"] == "Austira" and item["line"] == 4 and item["column"] == 3
    assert item["start"] == text.index("Austira") and item["end"] == len(text)
    assert item["candidates"][0] == {"name": "Austria", "key": "AUT", "kind": "state"}


def test_a_custom_roster_is_used() -> None:
    friends = Group.ad_hoc("CANZ", "CANZ", ["CAN", "AUS", "NZL"])
    result = parse_statement("On behalf of CANZ and Japan", roster.with_groups(friends))
    assert _labels(result.on_behalf_of) == ["CANZ", "JPN"]
    assert parse_statement("On behalf of CANZ and Japan").unresolved[0].text == "CANZ"


# --- bad input ---------------------------------------------------------------------------


def test_too_large() -> None:
    text = "On behalf of Japan. " + "x" * MAX_STATEMENT_BYTES
    with pytest.raises(StatementError, match="limit is 1,000,000 bytes"):
        parse_statement(text)


def test_not_text() -> None:
    with pytest.raises(StatementError, match="must be text"):
        parse_statement(b"On behalf of Japan")  # type: ignore[arg-type]


def test_decode_utf8_with_and_without_bom() -> None:
    assert decode_statement_bytes("On behalf of Türkiye".encode()) == "On behalf of Türkiye"
    assert decode_statement_bytes(codecs.BOM_UTF8 + "Türkiye".encode()) == "Türkiye"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_statement_bytes(bom + "On behalf of Türkiye".encode(codec)) == "On behalf of Türkiye"


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        ("On behalf of Türkiye".encode("latin-1"), "not UTF-8 or UTF-16"),
        ("On behalf of Japan".encode("utf-16-le"), "NUL"),  # no BOM: reads as UTF-8 with NULs
        (codecs.BOM_UTF32_LE + "Japan".encode("utf-32-le"), "UTF-32"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8|NUL"),
        (b"x" * (MAX_STATEMENT_BYTES + 1), "limit"),
    ],
)
def test_decode_rejects(data: bytes, phrase: str) -> None:
    with pytest.raises(StatementError, match=phrase):
        decode_statement_bytes(data)


def test_three_hundred_typos_return_promptly() -> None:
    rng = random.Random(74247)
    states = [actor.name for actor in roster.members]
    names = []
    for index in range(300):
        name = states[index % len(states)]
        cut = rng.randrange(1, len(name))
        names.append(name[:cut] + "q" + name[cut + 1 :] + "zz")
    text = "On behalf of " + "; ".join(names) + "."
    began = time.perf_counter()
    result = parse_statement(text)
    elapsed = time.perf_counter() - began
    assert elapsed < 1.0, elapsed
    assert len(result.unresolved) == 300
    assert result.on_behalf_of == []
    hits = sum(1 for item in result.unresolved if item.candidates)
    assert hits > 250


# --- properties --------------------------------------------------------------------------

_ACTORS = roster.actors
_FORMS: dict[str, set[str]] = {
    actor.key: {normalize_name(spelling) for spelling in (actor.name, *actor.aliases)} for actor in _ACTORS
}
for _group in roster.groups.values():
    _FORMS[_group.key] = {normalize_name(spelling) for spelling in (_group.name, *_group.aliases)}


def _check_spans(text: str, result: StatementParse) -> None:
    for entry in [*result.on_behalf_of, *result.aligned]:
        written = normalize_name(text[entry.start : entry.end])
        assert written in _FORMS[entry.key], (entry.key, text[entry.start : entry.end])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_parser_never_crashes_on_any_text(text: str) -> None:
    try:
        result = parse_statement(text)
    except StatementError:
        return
    _check_spans(text, result)


_WORDS = st.sampled_from(
    [
        "On behalf of",
        "on behalf of",
        "and",
        ",",
        ";",
        ":",
        "\n",
        "\n\n",
        "*",
        "- ",
        ".",
        "my own country",
        "the European Union and its 27 Member States:",
        "align themselves with this statement",
        "Statement by",
        "Korea",
        "Republic of",
        "Congo",
        "Guinea",
        "us",
        "US",
        "Holland",
        "(",
        ")",
        "the",
        "Saint",
        "St.",
    ]
    + [actor.name for actor in _ACTORS[::7]]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=40), st.sampled_from([" ", "", "\n"]))
def test_parser_never_crashes_on_statement_like_text(words: list[str], joiner: str) -> None:
    text = joiner.join(words)
    try:
        result = parse_statement(text)
    except StatementError:
        return
    _check_spans(text, result)
    keys = [entry.key for entry in result.on_behalf_of]
    assert len(keys) == len(set(keys)), "no duplicates"


def _spellings(actor: Actor) -> list[str]:
    return [actor.name, *actor.aliases]


@st.composite
def _random_list(draw: st.DrawFn) -> tuple[list[str], str]:
    actors = draw(st.lists(st.sampled_from(_ACTORS), min_size=1, max_size=25, unique_by=lambda a: a.key))
    spellings = [draw(st.sampled_from(_spellings(actor))) for actor in actors]
    # Case and a leading article never matter, except for capital abbreviations (US, EU).
    styles = draw(st.lists(st.sampled_from(["as is", "upper", "lower", "article"]), min_size=len(actors)))
    for index, (spelling, style) in enumerate(zip(spellings, styles, strict=False)):
        if abbreviation_form(spelling) is not None:
            continue
        spellings[index] = {
            "as is": spelling,
            "upper": spelling.upper(),
            "lower": spelling.lower(),
            "article": "the " + spelling,
        }[style]
    separator = draw(st.sampled_from(["; ", ", ", "\n", "\n- ", ";\n", " ; "]))
    last = draw(st.sampled_from([separator, " and ", ", and ", " as well as "]))
    body = separator.join(spellings[:-1]) + (last if len(spellings) > 1 else "") + spellings[-1]
    opening = draw(
        st.sampled_from(
            ["On behalf of ", "On behalf of:\n", "*On behalf of*\n\n", "Joint statement on behalf of "]
        )
    )
    closing = draw(st.sampled_from(["", ".", "\n\nWe believe that the negotiations should go on in Vienna."]))
    return [actor.key for actor in actors], opening + body + closing


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_random_list())
def test_a_list_of_roster_names_parses_to_exactly_those_names(case: tuple[list[str], str]) -> None:
    keys, text = case
    # The EU's "and its Member States" phrase is the only spelling that means more than the EU.
    assume("member states" not in text.lower())
    result = parse_statement(text)
    assert [entry.key for entry in result.on_behalf_of] == keys, text
    assert result.unresolved == [] and result.problems == []
    _check_spans(text, result)


def test_more_than_a_thousand_names_is_refused_quickly() -> None:
    text = "On behalf of " + ", ".join(["Japan"] * 1001)
    began = time.perf_counter()
    with pytest.raises(StatementError, match="more than 1,000 names"):
        parse_statement(text)
    assert time.perf_counter() - began < 2.0


def test_engine_imports_without_django() -> None:
    code = (
        "import sys, pkgutil, importlib, consensio.engine.roster, consensio.engine.statements\n"
        "for package in (consensio.engine.roster, consensio.engine.statements):\n"
        "    for module in pkgutil.iter_modules(package.__path__):\n"
        "        importlib.import_module(f'{package.__name__}.{module.name}')\n"
        "from consensio.engine.statements import parse_statement\n"
        "assert len(parse_statement('On behalf of Japan').on_behalf_of) == 1\n"
        "assert not any(name == 'django' or name.startswith('django.') for name in sys.modules)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
