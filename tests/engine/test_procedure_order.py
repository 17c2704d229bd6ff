"""Order of voting: roll-call (rule 127), amendments (rule 130), division (rule 129), motions (rule 119)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consensio.engine.procedure import (
    Amendment,
    Motion,
    NotAllowed,
    Part,
    amendment_voting_order,
    division_outcome,
    lapsed_amendments,
    load_rulebook,
    next_amendment,
    order_motions,
    roll_call_order,
)
from consensio.engine.procedure.order import draw_by_lot, english_sort_key

NAMES = {
    "CIV": "Côte d'Ivoire",
    "CRI": "Costa Rica",
    "AUT": "Austria",
    "TUR": "Türkiye",
    "TUV": "Tuvalu",
    "ZWE": "Zimbabwe",
}


def test_roll_call_is_english_alphabetical_from_the_member_drawn_by_lot() -> None:
    order = roll_call_order(NAMES, seed="GA-2019-12-27")
    alphabetical = [
        "AUT",
        "CRI",
        "CIV",
        "TUR",
        "TUV",
        "ZWE",
    ]  # Costa Rica before Côte d'Ivoire, Türkiye before Tuvalu
    start = alphabetical.index(order[0])
    assert order == alphabetical[start:] + alphabetical[:start]
    assert order[0] == alphabetical[draw_by_lot(6, "GA-2019-12-27")]


def test_roll_call_is_reproducible_from_the_recorded_seed() -> None:
    assert roll_call_order(NAMES, "seed-1") == roll_call_order(dict(reversed(NAMES.items())), "seed-1")
    firsts = {roll_call_order(NAMES, f"seed-{i}")[0] for i in range(200)}
    assert firsts == set(NAMES)  # every member can be drawn
    assert roll_call_order(["Brazil", "Algeria"], 7) in (["Algeria", "Brazil"], ["Brazil", "Algeria"])
    assert roll_call_order([], 1) == []
    with pytest.raises(ValueError):
        draw_by_lot(0, 1)


def test_english_sort_key_ignores_case_and_accents() -> None:
    assert english_sort_key("Côte d'Ivoire") == "cote d'ivoire"
    assert english_sort_key("TÜRKIYE") == "turkiye"


# Three amendments to one article, ranked by the chair: A3 furthest removed; A1 and A2 conflict.
AMENDMENTS = [
    Amendment("A1", remoteness=1, excludes=frozenset({"A2"})),
    Amendment("A2", remoteness=2),
    Amendment("A3", remoteness=3),
]


def test_amendments_furthest_removed_first() -> None:
    assert amendment_voting_order(AMENDMENTS) == ["A3", "A2", "A1"]
    same_rank = [Amendment("X"), Amendment("Y")]
    assert amendment_voting_order(same_rank) == ["X", "Y"]  # ties: in the order submitted


def test_the_chair_sets_the_order() -> None:
    assert amendment_voting_order(AMENDMENTS, ["A1", "A3", "A2"]) == ["A1", "A3", "A2"]
    with pytest.raises(NotAllowed, match="missing: \\['A2'\\]"):
        amendment_voting_order(AMENDMENTS, ["A1", "A3"])
    with pytest.raises(NotAllowed, match="listed twice"):
        amendment_voting_order([Amendment("A"), Amendment("A")])


@pytest.mark.parametrize(
    ("results", "next_up", "lapsed"),
    [
        ({}, "A3", []),
        ({"A3": False}, "A2", []),
        (
            {"A3": False, "A2": True},
            None,
            ["A1"],
        ),  # adopting A2 rejects A1: A1 is not put; the proposal is next
        ({"A3": True, "A2": False}, "A1", []),
        ({"A3": True, "A2": False, "A1": True}, None, []),
    ],
)
def test_what_is_put_next(results: dict[str, bool], next_up: str | None, lapsed: list[str]) -> None:
    assert next_amendment(AMENDMENTS, results) == next_up
    assert lapsed_amendments(AMENDMENTS, results) == lapsed


def test_amendment_errors() -> None:
    with pytest.raises(NotAllowed, match="A9, which is not an amendment before the body"):
        next_amendment(AMENDMENTS, {"A9": True})
    with pytest.raises(NotAllowed, match="excludes B, which is not before the body"):
        next_amendment([Amendment("A", excludes=frozenset({"B"}))], {})


@given(st.lists(st.booleans(), min_size=3, max_size=3))
def test_amendment_sequence_ends_with_the_proposal(outcomes: list[bool]) -> None:
    results: dict[str, bool] = {}
    put = []
    while (key := next_amendment(AMENDMENTS, results)) is not None:
        put.append(key)
        results[key] = outcomes[len(put) - 1]
    assert put == [k for k in ["A3", "A2", "A1"] if k in put]  # always in the voting order
    assert not (results.get("A1") and results.get("A2"))  # two conflicting amendments are never both adopted


PARTS = [Part("pp1", operative=False), Part("op1"), Part("op2")]


@pytest.mark.parametrize(
    ("results", "next_part", "rejected", "as_whole"),
    [
        ({}, "pp1", False, ()),
        ({"pp1": True}, "op1", False, ()),
        ({"pp1": True, "op1": False, "op2": False}, None, True, ()),  # all operative parts rejected
        ({"pp1": False, "op1": True, "op2": False}, None, False, ("op1",)),
        ({"pp1": True, "op1": True, "op2": True}, None, False, ("pp1", "op1", "op2")),
    ],
)
def test_division(
    results: dict[str, bool], next_part: str | None, rejected: bool, as_whole: tuple[str, ...]
) -> None:
    outcome = division_outcome(PARTS, results)
    assert (outcome.next_part, outcome.rejected_as_whole, outcome.put_as_whole) == (
        next_part,
        rejected,
        as_whole,
    )


def test_division_errors_and_preamble_only() -> None:
    with pytest.raises(NotAllowed, match="op9, which is not a part"):
        division_outcome(PARTS, {"op9": True})
    only_preamble = [Part("pp1", operative=False)]
    assert division_outcome(only_preamble, {"pp1": False}).rejected_as_whole


def test_procedural_motions_by_precedence() -> None:
    rulebook = load_rulebook("unga-committee")
    moved = [
        Motion("close_debate", "USA"),
        Motion("division", "MEX"),
        Motion("adjourn_debate", "CHN"),
        Motion("suspend_meeting", "BRA"),
        Motion("adjourn_debate", "EGY"),
    ]
    assert [(m.kind, m.mover) for m in order_motions(moved, rulebook)] == [
        ("suspend_meeting", "BRA"),
        ("adjourn_debate", "CHN"),
        ("adjourn_debate", "EGY"),
        ("close_debate", "USA"),
        ("division", "MEX"),
    ]
