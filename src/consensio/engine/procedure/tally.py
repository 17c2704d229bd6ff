"""Counting votes and deciding whether a question is carried.

Implements, from research/domain.md §2.5-§2.6 and §5.8:

- rule 126: "members present and voting" are those casting a yes or no vote; members who
  abstain are considered as not voting;
- rule 125 (simple majority: yes > no) and rule 123 / Charter Art. 18 (two-thirds:
  ``3 * yes >= 2 * (yes + no)``, in exact integers), or either of them "of all members";
- rule 133: an equally divided vote rejects the proposal;
- rule 108: a decision needs the quorum the rulebook states (members present);
- rule 124: members vote, each once; observers never vote;
- the REIO clause: a regional economic integration organization votes with as many votes as
  its member States present that do not vote themselves, and never together with them
  (how strictly is the rulebook's ``voting.reio`` setting).

Show of hands gives counts only (``count_hands``); a recorded or roll-call vote gives one
ballot per member (``count_ballots``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from consensio.engine.procedure.errors import BallotError, NotAllowed
from consensio.engine.procedure.rulebook import Majority, Rulebook


class Vote(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    NOT_PARTICIPATING = "not_participating"

    @classmethod
    def parse(cls, text: str) -> Vote:
        """``Y``/``N``/``A`` (any case) or the full word; an empty cell is not participating."""
        key = text.strip().lower()
        found = _VOTE_WORDS.get(key)
        if found is None:
            raise ValueError(f"{text!r} is not a vote: write Y, N, A or leave empty for not voting")
        return found

    @property
    def counted(self) -> bool:
        """True for a vote cast (yes, no or abstain): the member took part in the vote."""
        return self is not Vote.NOT_PARTICIPATING


_VOTE_WORDS = {
    "y": Vote.YES,
    "yes": Vote.YES,
    "n": Vote.NO,
    "no": Vote.NO,
    "a": Vote.ABSTAIN,
    "abstain": Vote.ABSTAIN,
    "": Vote.NOT_PARTICIPATING,
    "-": Vote.NOT_PARTICIPATING,
    "not_participating": Vote.NOT_PARTICIPATING,
}


@dataclass(frozen=True, slots=True)
class Ballot:
    member: str
    vote: Vote


@dataclass(frozen=True)
class Electorate:
    """Who sits in the body: voting members, observers, and REIOs with their member States."""

    members: frozenset[str]
    observers: frozenset[str] = frozenset()
    reio: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def membership(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class Tally:
    yes: int
    no: int
    abstain: int
    not_voting: int
    present: int
    membership: int
    reio_votes: tuple[tuple[str, int], ...] = ()

    @property
    def present_and_voting(self) -> int:
        return self.yes + self.no

    def to_dict(self) -> dict[str, int]:
        return {
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "not_voting": self.not_voting,
            "present": self.present,
            "membership": self.membership,
            "present_and_voting": self.present_and_voting,
        }


def count_hands(yes: int, no: int, abstain: int, *, present: int, membership: int) -> Tally:
    """A show of hands: counts only. Raise ``BallotError`` when the counts cannot be right."""
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain), ("present", present)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BallotError("Rule 127", f"{name}={value!r}: a count is a whole number >= 0")
    if yes + no + abstain > present:
        raise BallotError(
            "Rule 124",
            f"{yes + no + abstain} hands counted but only {present} members present; a member votes once",
        )
    if present > membership:
        raise BallotError("Rule 108", f"{present} members present but the body has {membership}")
    return Tally(yes, no, abstain, membership - yes - no - abstain, present, membership)


def count_ballots(
    ballots: Iterable[Ballot],
    electorate: Electorate,
    rulebook: Rulebook,
    present: Iterable[str] | None = None,
) -> Tally:
    """Count a recorded or roll-call vote, one ballot per member.

    ``present`` lists the members present; when omitted, the members who handed in a ballot
    (including "not participating") are taken as present. A REIO's votes count its member
    States present that do not vote themselves.
    """
    present_set = None if present is None else frozenset(present)
    if present_set is not None:
        stray = sorted(present_set - electorate.members)
        if stray:
            raise BallotError(
                rulebook.cite("voting_rights"),
                f"{stray[0]} is recorded as present but is not a member of the body",
            )
    seen: dict[str, Vote] = {}
    for ballot in ballots:
        check_ballot(ballot, seen, electorate, rulebook, present_set)
        seen[ballot.member] = ballot.vote
    if present_set is None:
        present_set = frozenset(m for m in seen if m in electorate.members)
    counts = {Vote.YES: 0, Vote.NO: 0, Vote.ABSTAIN: 0, Vote.NOT_PARTICIPATING: 0}
    for member, vote in seen.items():
        if member in electorate.members:
            counts[vote] += 1
    reio_votes = []
    for org, states in electorate.reio.items():
        org_vote = seen.get(org)
        if org_vote is None or not org_vote.counted:
            continue
        weight = sum(1 for s in states if s in present_set and not (s in seen and seen[s].counted))
        counts[org_vote] += weight
        reio_votes.append((org, weight))
    cast = counts[Vote.YES] + counts[Vote.NO] + counts[Vote.ABSTAIN]
    return Tally(
        yes=counts[Vote.YES],
        no=counts[Vote.NO],
        abstain=counts[Vote.ABSTAIN],
        not_voting=electorate.membership - cast,
        present=len(present_set),
        membership=electorate.membership,
        reio_votes=tuple(sorted(reio_votes)),
    )


def check_ballot(
    ballot: Ballot,
    seen: Mapping[str, Vote],
    electorate: Electorate,
    rulebook: Rulebook,
    present: frozenset[str] | None = None,
) -> None:
    """Raise ``BallotError`` if ``ballot`` cannot be added to the ballots ``seen`` so far."""
    rule = rulebook.cite("voting_rights")
    member = ballot.member
    if member in seen:
        raise BallotError(rule, f"{member} has already voted ({seen[member]}); a member is counted once")
    if member in electorate.observers:
        raise BallotError(rule, f"{member} is an observer; observers do not vote")
    if member in electorate.reio:
        if rulebook.reio == "none":
            raise BallotError(
                rule, f"{member} is a regional organization; it has no vote under {rulebook.name}"
            )
    elif member not in electorate.members:
        raise BallotError(rule, f"{member} is not a member of the body")
    elif present is not None and member not in present:
        raise BallotError(rulebook.cite("quorum"), f"{member} voted but is not recorded as present")
    if rulebook.reio != "all_or_none" or not ballot.vote.counted:
        return
    for org, states in electorate.reio.items():
        if member == org:
            own = sorted(s for s in states if s in seen and seen[s].counted)
            if own:
                raise BallotError(
                    rule,
                    f"{org} cannot vote: its member State {own[0]} has voted, and the two never both vote",
                )
        elif member in states and org in seen and seen[org].counted:
            raise BallotError(
                rule,
                f"{member} cannot vote: {org} has voted for its member States, and the two never both vote",
            )


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of a vote, with everything a chair announces."""

    question_type: str
    majority: Majority
    tally: Tally
    required: int
    quorum_required: int
    quorum_met: bool
    adopted: bool

    def summary(self) -> str:
        t = self.tally
        if not self.quorum_met:
            verdict = f"No decision: {t.present} members present, {self.quorum_required} required (quorum)"
        else:
            verdict = "Adopted" if self.adopted else "Rejected"
        tie = " The vote is equally divided." if t.yes == t.no and self.majority.kind == "simple" else ""
        return (
            f"{verdict}: {t.yes} in favour, {t.no} against, {t.abstain} abstentions, {t.not_voting} not voting. "
            f"A {self.majority.describe()} ({self.majority.base(t.yes, t.no, t.membership)}) "
            f"requires {self.required} in favour.{tie}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "question_type": self.question_type,
            "majority": self.majority.kind,
            "basis": self.majority.basis,
            "required": self.required,
            "quorum_required": self.quorum_required,
            "quorum_met": self.quorum_met,
            "adopted": self.adopted,
            **self.tally.to_dict(),
        }


def decide(tally: Tally, rulebook: Rulebook, question_type: str) -> Result:
    """Apply the rulebook's majority for ``question_type`` and its decision quorum to a tally."""
    try:
        majority = rulebook.majority_for(question_type)
    except KeyError as exc:
        raise NotAllowed(rulebook.cite("majority"), str(exc.args[0])) from None
    quorum_required = rulebook.quorum_decision.minimum(tally.membership)
    quorum_met = tally.present >= quorum_required
    adopted = quorum_met and majority.met(tally.yes, tally.no, tally.membership)
    return Result(
        question_type=question_type,
        majority=majority,
        tally=tally,
        required=majority.required(tally.yes, tally.no, tally.membership),
        quorum_required=quorum_required,
        quorum_met=quorum_met,
        adopted=adopted,
    )
