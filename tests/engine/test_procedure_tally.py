"""Counting votes: rule 126 (present and voting), majorities, ties, quorum, REIO votes."""

from __future__ import annotations

import csv
import dataclasses
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consensio.engine.procedure import (
    Ballot,
    BallotError,
    Electorate,
    Majority,
    NotAllowed,
    Question,
    Vote,
    count_ballots,
    count_hands,
    decide,
    load_rulebook,
)


def un_members() -> list[str]:
    path = resources.files("consensio") / "reference" / "un_member_states.csv"
    with path.open(encoding="utf-8") as fh:
        return [row["iso3"] for row in csv.DictReader(fh)]


def res_74_247_ballots(members: list[str]) -> list[Ballot]:
    """The totals of GA resolution 74/247 (27 Dec 2019): 79 in favour, 60 against, 33 abstentions, 21 not voting.

    Which member cast which vote is not modelled here: only the totals are on record in the brief.
    """
    votes = [Vote.YES] * 79 + [Vote.NO] * 60 + [Vote.ABSTAIN] * 33 + [Vote.NOT_PARTICIPATING] * 21
    return [Ballot(m, v) for m, v in zip(members, votes, strict=True)]


def test_resolution_74_247_adopted_by_simple_majority_not_by_two_thirds() -> None:
    members = un_members()
    assert len(members) == 193
    electorate = Electorate(frozenset(members))
    committee = load_rulebook("unga-committee")
    tally = count_ballots(res_74_247_ballots(members), electorate, committee, present=members)
    assert (tally.yes, tally.no, tally.abstain, tally.not_voting) == (79, 60, 33, 21)
    assert tally.present_and_voting == 139

    simple = decide(tally, committee, "substantive")
    assert simple.adopted and simple.quorum_met
    assert simple.required == 70 and simple.quorum_required == 97

    two_thirds = decide(tally, load_rulebook("ahc-74-247"), "substantive")
    assert not two_thirds.adopted and two_thirds.quorum_met
    assert two_thirds.required == 93  # 3 * 93 = 279 >= 2 * 139 = 278; 92 would not do
    assert "Rejected: 79 in favour, 60 against, 33 abstentions, 21 not voting" in two_thirds.summary()


def test_resolution_74_247_through_the_question() -> None:
    members = un_members()
    q = Question.draft(
        "74/247", "instrument", load_rulebook("unga-committee"), Electorate(frozenset(members))
    )
    q.put()
    q.object("USA")
    q.request_vote("FIN")
    q.open_voting("recorded", members)
    for ballot in res_74_247_ballots(members):
        q.cast(ballot.member, ballot.vote)
    assert q.board() == {"method": "recorded", "voted": 193, "who": sorted(members)}
    q.close_voting()
    event = q.announce()
    assert q.state.value == "adopted"
    assert q.result is not None
    assert event.data["result"] == q.result.to_dict()


@pytest.mark.parametrize(
    ("kind", "basis", "yes", "no", "membership", "carried"),
    [
        ("simple", "present_and_voting", 5, 4, 100, True),
        ("simple", "present_and_voting", 4, 4, 100, False),  # a tie rejects (rule 133)
        ("simple", "present_and_voting", 0, 0, 100, False),
        ("two_thirds", "present_and_voting", 2, 1, 100, True),  # exactly two-thirds carries
        ("two_thirds", "present_and_voting", 93, 46, 193, True),
        ("two_thirds", "present_and_voting", 92, 47, 193, False),
        ("two_thirds", "present_and_voting", 0, 0, 193, False),
        ("simple", "members", 96, 0, 193, False),
        ("simple", "members", 97, 0, 193, True),
        ("two_thirds", "members", 128, 0, 193, False),
        ("two_thirds", "members", 129, 0, 193, True),
    ],
)
def test_majorities(kind: str, basis: str, yes: int, no: int, membership: int, carried: bool) -> None:
    majority = Majority(kind, basis)
    assert majority.met(yes, no, membership) is carried
    assert (yes >= majority.required(yes, no, membership)) is carried or (yes == 0 and no == 0)


def test_show_of_hands_counts_only() -> None:
    tally = count_hands(10, 5, 3, present=20, membership=30)
    assert (tally.present_and_voting, tally.not_voting) == (15, 12)
    with pytest.raises(BallotError, match="19 hands counted but only 18 members present"):
        count_hands(10, 5, 4, present=18, membership=30)
    with pytest.raises(BallotError, match="31 members present but the body has 30"):
        count_hands(1, 1, 1, present=31, membership=30)
    with pytest.raises(BallotError, match="a count is a whole number"):
        count_hands(-1, 1, 1, present=3, membership=3)


def test_quorum_not_met_means_no_decision() -> None:
    rulebook = load_rulebook("unga-committee")
    tally = count_hands(40, 0, 0, present=96, membership=193)
    result = decide(tally, rulebook, "procedural")
    assert not result.quorum_met and not result.adopted
    assert result.summary().startswith("No decision: 96 members present, 97 required")


def test_unknown_or_missing_question_type() -> None:
    tally = count_hands(1, 0, 0, present=1, membership=1)
    with pytest.raises(NotAllowed, match="unknown question type 'budget'"):
        decide(tally, load_rulebook("unga-committee"), "budget")
    with pytest.raises(NotAllowed, match="states no majority for substantive"):
        decide(tally, load_rulebook("consensus-only"), "substantive")


def test_ballot_errors_name_the_member() -> None:
    rulebook = load_rulebook("unga-committee")
    electorate = Electorate(
        frozenset({"AUT", "BRA"}), observers=frozenset({"PSE"}), reio={"EU": frozenset({"AUT"})}
    )
    with pytest.raises(BallotError, match="AUT has already voted"):
        count_ballots([Ballot("AUT", Vote.YES), Ballot("AUT", Vote.NO)], electorate, rulebook)
    with pytest.raises(BallotError, match="PSE is an observer"):
        count_ballots([Ballot("PSE", Vote.YES)], electorate, rulebook)
    with pytest.raises(BallotError, match="XYZ is not a member"):
        count_ballots([Ballot("XYZ", Vote.YES)], electorate, rulebook)
    with pytest.raises(
        BallotError, match="EU is a regional organization; it has no vote under unga-committee"
    ):
        count_ballots([Ballot("EU", Vote.YES)], electorate, rulebook)
    with pytest.raises(BallotError, match="BRA voted but is not recorded as present"):
        count_ballots([Ballot("BRA", Vote.YES)], electorate, rulebook, present=["AUT"])
    with pytest.raises(BallotError, match="XYZ is recorded as present but is not a member"):
        count_ballots([], electorate, rulebook, present=["XYZ"])


EU_STATES = frozenset({"AUT", "DEU", "FRA", "ITA"})
COP = Electorate(EU_STATES | {"BRA", "CHN", "USA"}, reio={"EU": EU_STATES})


def test_reio_votes_for_its_member_states_present_that_do_not_vote() -> None:
    rulebook = load_rulebook("cop-reio")
    present = sorted(COP.members - {"ITA"})  # Italy absent: the EU does not vote for it
    ballots = [
        Ballot("EU", Vote.YES),
        Ballot("FRA", Vote.NO),
        Ballot("BRA", Vote.NO),
        Ballot("USA", Vote.ABSTAIN),
    ]
    tally = count_ballots(ballots, COP, rulebook, present=present)
    assert (tally.yes, tally.no, tally.abstain) == (2, 2, 1)  # EU for AUT and DEU; FRA votes itself
    assert tally.reio_votes == (("EU", 2),)
    assert tally.not_voting == 7 - 5
    # "not participating" by a member State leaves its vote to the EU
    tally = count_ballots([*ballots, Ballot("DEU", Vote.NOT_PARTICIPATING)], COP, rulebook, present=present)
    assert tally.yes == 2


def test_reio_all_or_none_never_both() -> None:
    rulebook = dataclasses.replace(load_rulebook("cop-reio"), reio="all_or_none")
    with pytest.raises(BallotError, match="EU cannot vote: its member State FRA has voted"):
        count_ballots(
            [Ballot("FRA", Vote.NO), Ballot("EU", Vote.YES)], COP, rulebook, present=sorted(COP.members)
        )
    with pytest.raises(BallotError, match="FRA cannot vote: EU has voted"):
        count_ballots(
            [Ballot("EU", Vote.YES), Ballot("FRA", Vote.NO)], COP, rulebook, present=sorted(COP.members)
        )
    tally = count_ballots(
        [Ballot("EU", Vote.YES), Ballot("BRA", Vote.NO)], COP, rulebook, present=sorted(COP.members)
    )
    assert (tally.yes, tally.no) == (4, 1)


def test_vote_parse() -> None:
    assert [Vote.parse(t) for t in ("Y", "n", " A ", "", "yes")] == [
        Vote.YES,
        Vote.NO,
        Vote.ABSTAIN,
        Vote.NOT_PARTICIPATING,
        Vote.YES,
    ]
    with pytest.raises(ValueError, match="'maybe' is not a vote"):
        Vote.parse("maybe")


# --- properties --------------------------------------------------------------------------

NAMES = [f"S{i:02d}" for i in range(30)]
ballot_lists = st.lists(
    st.tuples(st.sampled_from(NAMES + ["EU", "OBS"]), st.sampled_from(list(Vote))), max_size=40
)


@given(
    ballots=ballot_lists,
    present=st.sets(st.sampled_from(NAMES)),
    reio_states=st.sets(st.sampled_from(NAMES), max_size=8),
    rule=st.sampled_from(["per_state", "all_or_none", "none"]),
)
def test_a_tally_never_counts_a_member_twice_nor_more_ballots_than_members_present(
    ballots: list[tuple[str, Vote]], present: set[str], reio_states: set[str], rule: str
) -> None:
    rulebook = dataclasses.replace(load_rulebook("cop-reio"), reio=rule)
    electorate = Electorate(frozenset(NAMES), frozenset({"OBS"}), {"EU": frozenset(reio_states)})
    try:
        tally = count_ballots([Ballot(m, v) for m, v in ballots], electorate, rulebook, present=present)
    except BallotError:
        voters = [m for m, _ in ballots]
        # refused only for a reason: a duplicate, an observer, an absent member or the REIO rule
        assert (
            len(set(voters)) < len(voters)
            or "OBS" in voters
            or any(m in NAMES and m not in present for m in voters)
            or "EU" in voters
        )
        return
    assert tally.yes + tally.no + tally.abstain <= tally.present == len(present)
    assert tally.yes + tally.no + tally.abstain + tally.not_voting == len(NAMES)
    own = {m for m, v in ballots if m in NAMES and v.counted}
    assert tally.yes + tally.no + tally.abstain >= len(own)


def test_present_defaults_to_those_who_handed_in_a_ballot() -> None:
    electorate = Electorate(frozenset({"AUT", "BRA", "CHN"}))
    ballots = [Ballot("AUT", Vote.YES), Ballot("BRA", Vote.NOT_PARTICIPATING)]
    tally = count_ballots(ballots, electorate, load_rulebook("unga-committee"))
    assert (tally.present, tally.yes, tally.not_voting) == (2, 1, 2)
