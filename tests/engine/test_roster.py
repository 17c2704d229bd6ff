"""The roster engine: reference facts, name resolution, groups with dates."""

from __future__ import annotations

import time
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consensio.engine.roster import (
    Actor,
    AmbiguousName,
    Group,
    Membership,
    UnknownName,
    UnresolvedName,
    abbreviation_form,
    load_roster,
    normalize_name,
)

CASES = Path(__file__).parent / "cases"
NAME_CASES: list[dict[str, Any]] = tomllib.loads((CASES / "roster_names.toml").read_text("utf-8"))["case"]

roster = load_roster()


# --- the reference facts ------------------------------------------------------------


def test_counts_of_members_observers_and_actors() -> None:
    assert len(roster.members) == 193
    assert {actor.key for actor in roster.observers} == {"VAT", "PSE", "EU"}
    assert len(roster.actors) == 196
    assert len({actor.key for actor in roster.actors}) == 196


def test_member_states_have_iso3_and_vote() -> None:
    for actor in roster.members:
        assert actor.kind == "state"
        assert actor.iso3 == actor.key and len(actor.key) == 3 and actor.key.isupper()
        assert actor.un_member and actor.can_vote and not actor.observer


def test_observers() -> None:
    holy_see, palestine, eu = roster.get("VAT"), roster.get("PSE"), roster.get("EU")
    assert holy_see.kind == palestine.kind == "state"
    assert not holy_see.can_vote and not palestine.can_vote and not eu.can_vote
    assert holy_see.observer and not holy_see.un_member
    assert eu.kind == "organization" and eu.iso3 is None and eu.name == "European Union"


def test_eu_has_27_members_matching_the_dated_list() -> None:
    eu_members = {actor.key for actor in roster.actors if actor.eu_member}
    assert len(eu_members) == 27
    group = roster.groups["EUMS"]
    assert set(group.members) == eu_members | {"EU"}
    # The United Kingdom was a member until 31 January 2020.
    assert "GBR" in group.members_on(date(2020, 1, 31))
    assert "GBR" not in group.members_on(date(2020, 2, 1))
    assert "HRV" not in group.members_on(date(2013, 6, 30))
    assert "HRV" in group.members_on(date(2013, 7, 1))
    assert len(group.members_on(date(2019, 1, 1))) == 29


@pytest.mark.parametrize(
    ("key", "group", "special"),
    [
        ("TUR", "WEOG", "weog_electoral_also_asia_pacific"),
        ("USA", "WEOG", "weog_observer"),
        ("ISR", "WEOG", "weog_new_york"),
        ("KIR", None, "no_group"),
        ("CYP", "APG", None),
        ("FRA", "WEOG", None),
    ],
)
def test_regional_group_special_cases(key: str, group: str | None, special: str | None) -> None:
    actor = roster.get(key)
    assert actor.regional_group == group
    assert actor.special_case == special


def test_regional_groups_partition_the_members_except_kiribati() -> None:
    regional = [group for group in roster.groups.values() if group.kind == "regional"]
    assert {group.key for group in regional} == {"AG", "APG", "EEG", "GRULAC", "WEOG"}
    electoral = [
        m.member for group in regional for m in group.memberships if m.role in ("member", "observer")
    ]
    assert len(electoral) == len(set(electoral)) == 192
    assert "KIR" not in electoral
    # Türkiye participates in the Asia-Pacific Group too, but is counted in WEOG.
    apg = roster.groups["APG"]
    assert "TUR" in apg.members
    assert "TUR" not in apg.members_on(date.today(), roles=["member"])
    weog = roster.groups["WEOG"]
    assert [m.role for m in weog.memberships if m.member == "USA"] == ["observer"]
    assert roster.get("CYP").eu_member and "CYP" in apg.members


def test_group_of_77_members_are_unknown_not_empty() -> None:
    g77 = roster.resolve_group("the Group of 77 and China")
    assert g77 is not None and g77.key == "G77"
    assert g77.members_known is False and g77.members == ()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("African Group", "AG"),
        ("the Group of African States", "AG"),
        ("Asia-Pacific Group", "APG"),
        ("Group of Asia-Pacific States", "APG"),
        ("Eastern European Group", "EEG"),
        ("GRULAC", "GRULAC"),
        ("Latin American and Caribbean Group", "GRULAC"),
        ("WEOG", "WEOG"),
        ("Western European and Others Group", "WEOG"),
        ("the European Union and its Member States", "EUMS"),
        ("EU and its 27 member States", "EUMS"),
        ("G77", "G77"),
        ("G-77 and China", "G77"),
    ],
)
def test_resolve_group(name: str, key: str) -> None:
    group = roster.resolve_group(name)
    assert group is not None and group.key == key


def test_resolve_group_unknown_is_none_with_candidates() -> None:
    assert roster.resolve_group("Afrian Group") is None
    assert roster.group_candidates("Afrian Group")[0].key == "AG"


def test_ad_hoc_group_with_dates() -> None:
    friends = Group.ad_hoc(
        "FRIENDS",
        "Friends of the Convention",
        ["CAN", "AUS", "NZL"],
        aliases=["CANZ"],
        start=date(2022, 1, 1),
    )
    extended = roster.with_groups(friends)
    found = extended.resolve_group("canz")
    assert found is not None and found.kind == "ad_hoc" and found.members == ("CAN", "AUS", "NZL")
    assert found.members_on(date(2021, 12, 31)) == ()
    assert roster.resolve_group("CANZ") is None, "the shared roster is not changed"
    with pytest.raises(ValueError, match="unknown actor keys: XXX"):
        roster.with_groups(Group.ad_hoc("BAD", "Bad", ["XXX"]))
    with pytest.raises(ValueError, match="used twice"):
        roster.with_groups(Group.ad_hoc("WEOG", "Again", []))


def test_membership_dates_inclusive() -> None:
    membership = Membership("AUT", date(1995, 1, 1), date(1995, 12, 31))
    assert not membership.active_on(date(1994, 12, 31))
    assert membership.active_on(date(1995, 1, 1)) and membership.active_on(date(1995, 12, 31))
    assert not membership.active_on(date(1996, 1, 1))


def test_get_by_key() -> None:
    assert roster.get("AUT").name == "Austria"
    assert roster.get("EU").kind == "organization"
    with pytest.raises(KeyError):
        roster.get("Austria")


def test_load_roster_is_cached() -> None:
    assert load_roster() is roster


def test_actor_is_frozen() -> None:
    actor = roster.get("AUT")
    with pytest.raises(AttributeError):
        actor.name = "Osterreich"  # type: ignore[misc]
    assert str(actor) == "Austria"


# --- name resolution, from the data table ----------------------------------------------


@pytest.mark.parametrize("case", NAME_CASES, ids=[repr(case["name"]) for case in NAME_CASES])
def test_name_cases(case: dict[str, Any]) -> None:
    name = case["name"]
    if "key" in case:
        assert roster.resolve(name).key == case["key"]
        return
    expected = {"unknown": UnknownName, "ambiguous": AmbiguousName}[case["error"]]
    with pytest.raises(expected) as caught:
        roster.resolve(name)
    error = caught.value
    assert isinstance(error, UnresolvedName) and isinstance(error, ValueError)
    assert error.name == name
    keys = [candidate.key for candidate in error.candidates]
    assert len(keys) <= 5
    wanted = case.get("candidates", [])
    assert keys[: len(wanted)] == wanted
    if case.get("no_candidates"):
        assert keys == []
    for candidate in error.candidates:
        assert candidate.name in str(error)


def test_holland_is_not_an_alias_of_the_netherlands() -> None:
    assert "Holland" not in roster.get("NLD").aliases
    assert "Korea" not in roster.get("KOR").aliases


def test_every_name_and_alias_resolves_to_its_actor() -> None:
    for actor in roster.actors:
        for spelling in (actor.name, *actor.aliases):
            assert roster.resolve(spelling) is actor, spelling


def test_resolving_is_fast() -> None:
    names = [actor.name for actor in roster.actors] * 20
    began = time.perf_counter()
    for name in names:
        roster.resolve(name)
    # ~4,000 resolutions; a dictionary lookup each, so well under a second.
    assert time.perf_counter() - began < 1.0


# --- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Türkiye", "TURKIYE"),
        ("Korea, Republic of", "the Republic of Korea"),
        ("Bolivia (Plurinational State of)", "Plurinational State of Bolivia"),
        ("Antigua & Barbuda", "Antigua and Barbuda"),
        ("St. Lucia", "Saint Lucia"),
        ("Côte d’Ivoire", "Cote d'Ivoire"),
        ("Bahamas, The", "Bahamas"),
    ],
)
def test_normalize_equates(left: str, right: str) -> None:
    assert normalize_name(left) == normalize_name(right)


def test_normalize_keeps_distinct_names_apart() -> None:
    assert normalize_name("Guinea") != normalize_name("Guinea-Bissau")
    assert normalize_name("Niger") != normalize_name("Nigeria")


def test_abbreviation_form() -> None:
    assert abbreviation_form("U.S.A.") == "USA"
    assert abbreviation_form("the UK") == "UK"
    assert abbreviation_form("us") is None
    assert abbreviation_form("Us") is None
    assert abbreviation_form("ALBANIA") is None  # too long to be an abbreviation
    assert abbreviation_form("É") is None


@given(st.text(max_size=80))
def test_normalize_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once
    assert once == once.strip() and "  " not in once


@given(st.sampled_from(roster.actors), st.sampled_from(["", "the ", "The "]), st.booleans())
def test_names_resolve_whatever_the_case_and_article(actor: Actor, article: str, upper: bool) -> None:
    spelling = article + actor.name
    if upper:
        spelling = spelling.upper()
    assert roster.resolve(spelling) is actor


@given(st.text(max_size=40))
def test_resolve_either_finds_or_raises_with_few_candidates(text: str) -> None:
    try:
        found = roster.resolve(text)
    except UnresolvedName as error:
        assert len(error.candidates) <= 5
        assert error.name == text
    else:
        assert isinstance(found, Actor)
