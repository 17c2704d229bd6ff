"""A question before the body, from draft to decision, as a table of transitions.

Implements, from research/domain.md §2 and §4:

- consensus (§4.1): the chair puts the question; "hearing no objection, it is so decided".
  Consensus is the absence of objection, so the gavel is refused while any objection stands;
- the fallback to a vote where the rulebook allows it (UN Model Rules r. 51; A/RES/75/282 as
  configured, §3.3), if the rulebook says so only after the chair records that efforts at
  consensus are exhausted; voting by the methods of rule 127; the decision quorum of
  rule 108 checked when voting opens; the majority of rules 125-126 and 133 (``tally``);
- rule 128: once voting has begun, no interruption except a point of order on the conduct
  of the vote;
- corrections after the result is announced are statements of intended vote and never
  change the result (§2.6, Fitschen);
- explanations of position (consensus) and of vote (before or after; decision 34/401, ten
  minutes; the sponsor may not explain its vote on its own proposal or amendment, §2.6);
- disassociation from named paragraphs while joining consensus, and reservations on
  provisions (§4.3);
- rule 113: an appeal against the chair's ruling on a point of order "shall be immediately
  put to the vote, and the ruling ... shall stand unless overruled by a majority of the
  representatives present and voting" (§2.10). The question put is whether to overrule: adopted
  (more yes than no) = overruled; a tie or more noes = rejected = the ruling stands. The
  rulebook lists the kinds put to the vote at once (``immediate_vote_kinds``): for them voting
  opens straight after the question is put, with no consensus phase, objection or record that
  efforts at consensus are exhausted; a body that lists no appeal (consensus-only) cannot vote
  on one, and the ruling stands. While an appeal is pending no point of order is in order;
- rule 122: a proposal may be withdrawn by its sponsor before voting has begun;
- the silence procedure (decision 74/544, §4.4): circulated with a deadline at least the
  rulebook's minimum after circulation; adopted if the deadline passes unbroken, defeated by
  a single member breaking silence before it.

Every step is an ``Event`` (plain JSON-able data) applied by ``Question.apply``; the public
step methods build the event, apply it and return it, so the state is always the replay of
its events (``replay``). The engine never reads the clock: ``at`` is passed in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from consensio.engine.journal import Json, JsonObject
from consensio.engine.procedure.errors import BallotError, NotAllowed, OutOfOrder, ProcedureError, ReplayError
from consensio.engine.procedure.order import roll_call_order
from consensio.engine.procedure.rulebook import QUESTION_TYPES, Rulebook, load_rulebook
from consensio.engine.procedure.tally import (
    Ballot,
    Electorate,
    Result,
    Tally,
    Vote,
    check_ballot,
    count_ballots,
    count_hands,
    decide,
)


class State(StrEnum):
    DRAFTED = "drafted"
    OPEN = "open"  # put to the body by the chair, open for objection
    OBJECTED = "objected"  # at least one objection stands
    DEFERRED = "deferred"  # further consultations
    VOTE_REQUESTED = "vote_requested"
    VOTING = "voting"
    VOTING_CLOSED = "voting_closed"
    SILENCE = "silence"  # circulated under the silence procedure
    SILENCE_BROKEN = "silence_broken"
    WITHDRAWN = "withdrawn"
    ADOPTED = "adopted"
    REJECTED = "rejected"


DECIDED = frozenset({State.ADOPTED, State.REJECTED})


class Kind(StrEnum):
    PROVISION = "provision"
    ARTICLE = "article"
    CHAPTER = "chapter"
    INSTRUMENT = "instrument"
    REPORT = "report"
    MOTION = "motion"
    AMENDMENT = "amendment"
    RECONSIDERATION = "reconsideration"
    APPEAL = "appeal"  # against the chair's ruling on a point of order (rule 113)


#: The type of question (the rulebook's majority table) that each kind is by default.
DEFAULT_QUESTION_TYPE: Mapping[Kind, str] = {
    Kind.PROVISION: "substantive",
    Kind.ARTICLE: "substantive",
    Kind.CHAPTER: "substantive",
    Kind.INSTRUMENT: "substantive",
    Kind.REPORT: "substantive",
    Kind.MOTION: "procedural",
    Kind.AMENDMENT: "amendment",
    Kind.RECONSIDERATION: "reconsideration",
    Kind.APPEAL: "procedural",
}

#: Kinds whose question type is fixed by the rule itself, not chosen at drafting: an appeal is
#: decided by a majority of the representatives present and voting (rule 113).
FIXED_QUESTION_TYPE: Mapping[Kind, str] = {Kind.APPEAL: "procedural"}

CHAIR = "chair"


def utc_text(at: datetime | str) -> str:
    """An aware datetime or ISO 8601 text as ``YYYY-MM-DDTHH:MM:SSZ`` (microseconds kept if any)."""
    moment = parse_utc(at)
    text = moment.isoformat().replace("+00:00", "Z")
    return text


def parse_utc(at: datetime | str) -> datetime:
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            raise ValueError(f"{at!r} is not an ISO 8601 timestamp") from None
    if at.tzinfo is None:
        raise ValueError(f"{at.isoformat()} has no time zone; pass UTC times")
    return at.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Event:
    """One step: what was done (``trigger``), when, by whom (a member's key or ``"chair"``), with what."""

    trigger: str
    at: str | None = None
    by: str | None = None
    data: Mapping[str, Json] = field(default_factory=dict)

    def to_payload(self) -> JsonObject:
        return {"trigger": self.trigger, "at": self.at, "by": self.by, "data": dict(self.data)}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Event:
        data = payload.get("data") or {}
        if not isinstance(payload.get("trigger"), str) or not isinstance(data, dict):
            raise ReplayError("Replay", f"not an event: {dict(payload)!r}")
        return cls(payload["trigger"], payload.get("at"), payload.get("by"), data)


@dataclass(frozen=True, slots=True)
class Explanation:
    member: str
    kind: str  # "position", "vote_before" or "vote_after"
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Reservation:
    member: str
    provisions: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """What the record says once the question is decided."""

    outcome: State
    how: str  # "consensus", "vote" or "silence"
    result: Result | None
    disassociations: Mapping[str, tuple[str, ...]]
    reservations: tuple[Reservation, ...]
    explanations: tuple[Explanation, ...]
    intended_votes: tuple[tuple[str, Vote], ...]


@dataclass(frozen=True, slots=True)
class Refusal:
    topic: str  # a key of Rulebook.citations
    reason: str
    error: type[ProcedureError] = NotAllowed


Guard = Callable[["Question", Event], Refusal | None]
Effect = Callable[["Question", Event], State | None]


@dataclass(frozen=True)
class Transition:
    trigger: str
    sources: frozenset[State]
    dest: State | None  # None: the state stays, or the effect decides it
    guards: tuple[Guard, ...] = ()
    effect: Effect | None = None


@dataclass
class Question:
    """A question before the body: plain data, changed only through ``apply``."""

    id: str
    kind: Kind
    question_type: str
    rulebook: Rulebook
    electorate: Electorate
    subject: str = ""
    sponsors: frozenset[str] = frozenset()
    state: State = State.DRAFTED
    objections: list[str] = field(default_factory=list)
    exhausted_recorded: bool = False
    vote_requested_by: str | None = None
    method: str | None = None
    present: frozenset[str] = frozenset()
    seed: str | None = None
    ballots: dict[str, Vote] = field(default_factory=dict)
    tally: Tally | None = None
    result: Result | None = None
    how: str | None = None
    silence_deadline: str | None = None
    silence_broken_by: str | None = None
    disassociations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    explanations: list[Explanation] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)
    intended_votes: list[tuple[str, Vote]] = field(default_factory=list)
    points_of_order: list[tuple[str, bool]] = field(default_factory=list)
    history: list[Event] = field(default_factory=list)

    # --- creation and replay -----------------------------------------------------------

    @classmethod
    def draft(
        cls,
        id: str,
        kind: Kind | str,
        rulebook: Rulebook,
        electorate: Electorate,
        *,
        subject: str = "",
        sponsors: Iterable[str] = (),
        question_type: str | None = None,
        at: datetime | str | None = None,
    ) -> Question:
        """A new question; its first event (``history[0]``) records everything needed to replay it."""
        kind = Kind(kind)
        fixed = FIXED_QUESTION_TYPE.get(kind)
        if fixed is not None and question_type not in (None, fixed):
            raise NotAllowed(
                rulebook.cite("points_of_order"),
                f"an {kind.value} is a {fixed} question (a majority of the members present and voting), "
                f"not {question_type}",
            )
        data: dict[str, Json] = {
            "id": id,
            "kind": kind.value,
            "question_type": question_type or DEFAULT_QUESTION_TYPE[kind],
            "subject": subject,
            "sponsors": _jlist(sorted(sponsors)),
            "rulebook": rulebook.name,
            "members": _jlist(sorted(electorate.members)),
            "observers": _jlist(sorted(electorate.observers)),
            "reio": {org: _jlist(sorted(states)) for org, states in sorted(electorate.reio.items())},
        }
        event = Event("draft", None if at is None else utc_text(at), CHAIR, data)
        return cls.from_draft(event, rulebook)

    @classmethod
    def from_draft(cls, event: Event, rulebook: Rulebook) -> Question:
        d = event.data
        try:
            question_type = str(d["question_type"])
            if question_type not in QUESTION_TYPES:
                raise ValueError(
                    f"unknown question type {question_type!r} (known: {', '.join(QUESTION_TYPES)})"
                )
            reio = d.get("reio") or {}
            assert isinstance(reio, dict)
            electorate = Electorate(
                members=frozenset(_strings(d["members"])),
                observers=frozenset(_strings(d.get("observers") or [])),
                reio={str(org): frozenset(_strings(states)) for org, states in reio.items()},
            )
            question = cls(
                id=str(d["id"]),
                kind=Kind(str(d["kind"])),
                question_type=question_type,
                rulebook=rulebook,
                electorate=electorate,
                subject=str(d.get("subject") or ""),
                sponsors=frozenset(_strings(d.get("sponsors") or [])),
            )
        except (KeyError, ValueError, AssertionError, TypeError) as exc:
            raise ReplayError("Replay", f"the draft event is incomplete or wrong: {exc}") from None
        question.history.append(event)
        return question

    # --- reading ---------------------------------------------------------------------------

    def state_at(self, now: datetime | str) -> State:
        """The state as it stands at ``now``: a silence period that has run out unbroken is adopted."""
        if (
            self.state is State.SILENCE
            and self.silence_deadline is not None
            and parse_utc(now) >= parse_utc(self.silence_deadline)
        ):
            return State.ADOPTED
        return self.state

    @property
    def decided(self) -> bool:
        return self.state in DECIDED

    def decision(self, now: datetime | str | None = None) -> Decision | None:
        state = self.state if now is None else self.state_at(now)
        if state not in DECIDED:
            return None
        return Decision(
            outcome=state,
            how=self.how or "silence",
            result=self.result,
            disassociations=dict(self.disassociations),
            reservations=tuple(self.reservations),
            explanations=tuple(self.explanations),
            intended_votes=tuple(self.intended_votes),
        )

    def board(self) -> dict[str, Json]:
        """What the vote board shows while voting: how many have voted and, if the rulebook says so, who."""
        shown: dict[str, Json] = {"method": self.method, "voted": len(self.ballots)}
        if self.rulebook.board_shows_voters:
            shown["who"] = _jlist(sorted(self.ballots))
        return shown

    def roll_call(self, names: Mapping[str, str] | None = None) -> list[str]:
        """The roll-call order of the members present, from the seed recorded when voting opened."""
        if self.seed is None:
            raise NotAllowed(
                self.rulebook.cite("method_of_voting"), "no roll-call: no lot was drawn for this vote"
            )
        table = {m: (names or {}).get(m, m) for m in self.present}
        return roll_call_order(table, self.seed)

    # --- the machinery ---------------------------------------------------------------------

    def _settled(self, event: Event) -> Question:
        """This question, or a copy with an expired silence period adopted (no mutation)."""
        at = event.at
        if (
            at is not None
            and event.trigger != "silence_ended"
            and self.state is State.SILENCE
            and self.state_at(at) is State.ADOPTED
        ):
            return dataclasses.replace(self, state=State.ADOPTED, how="silence")
        return self

    def _check(self, event: Event) -> Transition:
        transition = TRANSITIONS.get(event.trigger)
        if transition is None:
            raise NotAllowed(
                "Rules of procedure",
                f"no such step {event.trigger!r}",
                state=self.state.value,
                trigger=event.trigger,
            )
        if self.state not in transition.sources:
            topic, reason = _out_of_order(self.state, event.trigger)
            raise OutOfOrder(self.rulebook.cite(topic), reason, state=self.state.value, trigger=event.trigger)
        for guard in transition.guards:
            refusal = guard(self, event)
            if refusal is not None:
                raise refusal.error(
                    self.rulebook.cite(refusal.topic),
                    refusal.reason,
                    state=self.state.value,
                    trigger=event.trigger,
                )
        return transition

    def allows(self, event: Event) -> bool:
        """Whether ``event`` would be accepted now (nothing changes)."""
        try:
            self._settled(event)._check(event)
        except (ProcedureError, ValueError):
            return False
        return True

    def apply(self, event: Event) -> Event:
        """Apply one event; raise a ``ProcedureError`` (and change nothing) if the rules refuse it."""
        settled = self._settled(event)
        transition = settled._check(event)
        if settled is not self:
            self.state, self.how = State.ADOPTED, "silence"
        new_state = transition.effect(self, event) if transition.effect else None
        self.state = new_state or transition.dest or self.state
        self.history.append(event)
        return event

    def _step(self, trigger: str, by: str | None, at: datetime | str | None, **data: Json) -> Event:
        return self.apply(Event(trigger, None if at is None else utc_text(at), by, data))

    def _may(self, trigger: str, by: str | None, at: datetime | str | None, **data: Json) -> bool:
        try:
            event = Event(trigger, None if at is None else utc_text(at), by, data)
        except ValueError:
            return False
        return self.allows(event)

    # --- steps (each returns the event that records it) and may_<step> queries -------------

    def put(self, *, at: datetime | str | None = None) -> Event:
        """The chair puts the question: "May I take it that the committee wishes to adopt ...?"."""
        return self._step("put", CHAIR, at)

    def may_put(self, *, at: datetime | str | None = None) -> bool:
        return self._may("put", CHAIR, at)

    def object(self, member: str, *, at: datetime | str | None = None) -> Event:
        return self._step("object", member, at)

    def may_object(self, member: str, *, at: datetime | str | None = None) -> bool:
        return self._may("object", member, at)

    def withdraw_objection(self, member: str, *, at: datetime | str | None = None) -> Event:
        return self._step("withdraw_objection", member, at)

    def may_withdraw_objection(self, member: str, *, at: datetime | str | None = None) -> bool:
        return self._may("withdraw_objection", member, at)

    def gavel(self, *, at: datetime | str | None = None) -> Event:
        """ "Hearing no objection, it is so decided": adoption by consensus."""
        return self._step("gavel", CHAIR, at)

    def may_gavel(self, *, at: datetime | str | None = None) -> bool:
        return self._may("gavel", CHAIR, at)

    def defer(self, *, at: datetime | str | None = None) -> Event:
        """Further consultations: the question is set aside and may be put again."""
        return self._step("defer", CHAIR, at)

    def may_defer(self, *, at: datetime | str | None = None) -> bool:
        return self._may("defer", CHAIR, at)

    def record_exhausted(self, *, at: datetime | str | None = None) -> Event:
        """The chair records that all efforts at consensus have been exhausted."""
        return self._step("record_exhausted", CHAIR, at)

    def may_record_exhausted(self, *, at: datetime | str | None = None) -> bool:
        return self._may("record_exhausted", CHAIR, at)

    def request_vote(self, member: str, *, at: datetime | str | None = None) -> Event:
        return self._step("request_vote", member, at)

    def may_request_vote(self, member: str, *, at: datetime | str | None = None) -> bool:
        return self._may("request_vote", member, at)

    def open_voting(
        self,
        method: str,
        present: Iterable[str],
        *,
        seed: str | None = None,
        at: datetime | str | None = None,
    ) -> Event:
        """Voting begins (rule 128 applies from here). ``seed`` draws the lot for a roll-call."""
        return self._step("open_voting", CHAIR, at, method=method, present=_jlist(sorted(present)), seed=seed)

    def may_open_voting(
        self,
        method: str,
        present: Iterable[str],
        *,
        seed: str | None = None,
        at: datetime | str | None = None,
    ) -> bool:
        return self._may("open_voting", CHAIR, at, method=method, present=_jlist(sorted(present)), seed=seed)

    def cast(self, member: str, vote: Vote | str, *, at: datetime | str | None = None) -> Event:
        return self._step("cast", member, at, vote=Vote(vote).value)

    def may_cast(self, member: str, vote: Vote | str, *, at: datetime | str | None = None) -> bool:
        return self._may("cast", member, at, vote=Vote(vote).value)

    def close_voting(
        self,
        *,
        yes: int | None = None,
        no: int | None = None,
        abstain: int | None = None,
        at: datetime | str | None = None,
    ) -> Event:
        """Voting closes; a show of hands gives its counts here."""
        counts: dict[str, Json] = {}
        if self.method == "show_of_hands":
            counts = {"yes": yes, "no": no, "abstain": abstain}
        return self._step("close_voting", CHAIR, at, **counts)

    def announce(self, *, at: datetime | str | None = None) -> Event:
        """The chair announces the result; the event records it."""
        result = None
        if self.state is State.VOTING_CLOSED and self.tally is not None:
            result = decide(self.tally, self.rulebook, self.question_type)
        return self._step("announce", CHAIR, at, result=_result_json(result))

    def may_announce(self) -> bool:
        return self.state is State.VOTING_CLOSED

    def correct_vote(self, member: str, vote: Vote | str, *, at: datetime | str | None = None) -> Event:
        """A statement of intended vote after the vote: recorded, the result does not change."""
        return self._step("correct_vote", member, at, vote=Vote(vote).value)

    def may_correct_vote(self, member: str, vote: Vote | str, *, at: datetime | str | None = None) -> bool:
        return self._may("correct_vote", member, at, vote=Vote(vote).value)

    def circulate(self, deadline: datetime | str, *, at: datetime | str) -> Event:
        """Circulate under the silence procedure until ``deadline``."""
        return self._step("circulate", CHAIR, at, deadline=utc_text(deadline))

    def may_circulate(self, deadline: datetime | str, *, at: datetime | str) -> bool:
        return self._may("circulate", CHAIR, at, deadline=utc_text(deadline))

    def break_silence(self, member: str, *, at: datetime | str) -> Event:
        return self._step("break_silence", member, at)

    def may_break_silence(self, member: str, *, at: datetime | str) -> bool:
        return self._may("break_silence", member, at)

    def settle(self, now: datetime | str) -> Event | None:
        """Record the end of an unbroken silence period, if it has ended by ``now``."""
        if self.state is State.SILENCE and self.state_at(now) is State.ADOPTED:
            assert self.silence_deadline is not None
            return self._step("silence_ended", CHAIR, self.silence_deadline)
        return None

    def disassociate(
        self, member: str, paragraphs: Sequence[str], *, at: datetime | str | None = None
    ) -> Event:
        """Join consensus but disassociate from the named paragraphs."""
        return self._step("disassociate", member, at, paragraphs=_jlist(paragraphs))

    def may_disassociate(
        self, member: str, paragraphs: Sequence[str], *, at: datetime | str | None = None
    ) -> bool:
        return self._may("disassociate", member, at, paragraphs=_jlist(paragraphs))

    def explain_position(
        self, member: str, *, minutes: int | None = None, at: datetime | str | None = None
    ) -> Event:
        return self._step("explain_position", member, at, minutes=minutes)

    def may_explain_position(
        self, member: str, *, minutes: int | None = None, at: datetime | str | None = None
    ) -> bool:
        return self._may("explain_position", member, at, minutes=minutes)

    def explain_vote(
        self, member: str, when: str, *, minutes: int | None = None, at: datetime | str | None = None
    ) -> Event:
        """An explanation of vote, ``when`` = ``"before"`` or ``"after"`` the vote."""
        return self._step("explain_vote", member, at, when=when, minutes=minutes)

    def may_explain_vote(
        self, member: str, when: str, *, minutes: int | None = None, at: datetime | str | None = None
    ) -> bool:
        return self._may("explain_vote", member, at, when=when, minutes=minutes)

    def reserve(
        self, member: str, provisions: Sequence[str], text: str = "", *, at: datetime | str | None = None
    ) -> Event:
        return self._step("reserve", member, at, provisions=_jlist(provisions), text=text)

    def may_reserve(
        self, member: str, provisions: Sequence[str], *, at: datetime | str | None = None
    ) -> bool:
        return self._may("reserve", member, at, provisions=_jlist(provisions), text="")

    def point_of_order(
        self, member: str, *, on_conduct_of_vote: bool = False, at: datetime | str | None = None
    ) -> Event:
        return self._step("point_of_order", member, at, on_conduct_of_vote=on_conduct_of_vote)

    def may_point_of_order(
        self, member: str, *, on_conduct_of_vote: bool = False, at: datetime | str | None = None
    ) -> bool:
        return self._may("point_of_order", member, at, on_conduct_of_vote=on_conduct_of_vote)

    def withdraw(self, member: str, *, at: datetime | str | None = None) -> Event:
        """The sponsor withdraws the proposal (before voting has begun)."""
        return self._step("withdraw", member, at)

    def may_withdraw(self, member: str, *, at: datetime | str | None = None) -> bool:
        return self._may("withdraw", member, at)


def _jlist(items: Iterable[str]) -> list[Json]:
    out: list[Json] = [item for item in items]
    return out


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of strings, got {value!r}")
    return list(value)


def _result_json(result: Result | None) -> Json:
    if result is None:
        return None
    out: dict[str, Json] = {}
    for key, value in result.to_dict().items():
        assert value is None or isinstance(value, bool | int | str)
        out[key] = value
    return out


def replay(events: Iterable[Event | Mapping[str, Any]], rulebook: Rulebook | None = None) -> Question:
    """Rebuild a question from its events (``Event`` objects or their payloads), in order.

    The first event must be the draft; the rulebook is loaded by the name it records unless
    one is given. Every event is checked again, so a tampered history is refused.
    """
    iterator = iter(events)
    first = next(iterator, None)
    if first is None:
        raise ReplayError("Replay", "no events: a question starts with its draft event")
    first_event = first if isinstance(first, Event) else Event.from_payload(first)
    if first_event.trigger != "draft":
        raise ReplayError("Replay", f"the first event is {first_event.trigger!r}, not the draft")
    if rulebook is None:
        name = first_event.data.get("rulebook")
        if not isinstance(name, str) or not name:
            raise ReplayError("Replay", "the draft event names no rulebook: pass the rulebook to replay()")
        rulebook = load_rulebook(name)
    question = Question.from_draft(first_event, rulebook)
    for item in iterator:
        question.apply(item if isinstance(item, Event) else Event.from_payload(item))
    return question


# --- rulings when a step is out of order --------------------------------------------------------


def _out_of_order(state: State, trigger: str) -> tuple[str, str]:
    if state is State.VOTING:
        return (
            "conduct_during_voting",
            "voting has begun: no interruption except a point of order on the conduct of the vote",
        )
    if state is State.ADOPTED and trigger == "break_silence":
        return "silence", "the silence period has ended: the text stands adopted"
    if state in DECIDED:
        return "reconsideration", (
            f"the question has been decided ({state.value}); it can be reopened only by a motion for reconsideration"
        )
    if state is State.WITHDRAWN:
        return "functions_of_chair", "the proposal has been withdrawn"
    if state is State.SILENCE:
        return (
            "silence",
            "the text is under the silence procedure: a member may only break silence before the deadline",
        )
    labels = {
        State.DRAFTED: "it has not been put to the body",
        State.OPEN: "no objection stands",
        State.OBJECTED: "an objection stands",
        State.DEFERRED: "it is deferred for further consultations",
        State.VOTE_REQUESTED: "a vote has been requested but voting has not begun",
        State.VOTING_CLOSED: "voting has closed and the result is about to be announced",
        State.SILENCE_BROKEN: "silence was broken: the text was not adopted under the silence procedure",
    }
    return (
        "functions_of_chair",
        f"{trigger.replace('_', ' ')} is not in order: {labels.get(state, state.value)}",
    )


# --- guards ----------------------------------------------------------------------------------------


def _minutes(value: Json) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"minutes={value!r}: expected a whole number")
    return value


def _is_member(q: Question, e: Event) -> Refusal | None:
    by = e.by or ""
    if by in q.electorate.observers:
        return Refusal(
            "voting_rights", f"{by} is an observer: observers take part but do not object, vote or block"
        )
    if by not in q.electorate.members and by not in q.electorate.reio:
        return Refusal("voting_rights", f"{by or 'nobody'} is not a member of the body")
    return None


def _is_chair(q: Question, e: Event) -> Refusal | None:
    if e.by != CHAIR:
        return Refusal("functions_of_chair", f"only the chair may do this, not {e.by}")
    return None


def _not_already_objecting(q: Question, e: Event) -> Refusal | None:
    if e.by in q.objections:
        return Refusal("consensus", f"the objection of {e.by} already stands")
    return None


def _is_objecting(q: Question, e: Event) -> Refusal | None:
    if e.by not in q.objections:
        return Refusal("consensus", f"{e.by} has no objection standing")
    return None


def _no_objection_stands(q: Question, e: Event) -> Refusal | None:
    if q.objections:
        names = ", ".join(q.objections)
        return Refusal(
            "consensus",
            f"an objection stands ({names}): consensus is the absence of objection, the chair cannot declare it so decided",
        )
    return None


def _votes_allowed(q: Question, e: Event) -> Refusal | None:
    if not q.rulebook.vote_after_objection or not q.rulebook.voting_methods:
        return Refusal(
            "consensus", f"under {q.rulebook.name} no vote may follow an objection: consult further"
        )
    return None


def _consensus_sought(q: Question, e: Event) -> Refusal | None:
    if q.state is State.OPEN and q.rulebook.seek_consensus_first:
        return Refusal(
            "consensus", "consensus is sought first: a vote may be requested only when an objection stands"
        )
    if q.rulebook.chair_records_exhausted and not q.exhausted_recorded:
        return Refusal(
            "consensus",
            "the chair has not recorded that all efforts at consensus are exhausted: a vote cannot yet be taken",
        )
    return None


def vote_at_once_refusal(rulebook: Rulebook, kind: Kind | str) -> NotAllowed | None:
    """Why a question of ``kind`` cannot be put to the vote at once under ``rulebook``, or None if it can.

    The floor asks this before an appeal is made, so that an appeal that could never be voted
    is refused before anything is recorded (the ruling of the chair then stands).
    """
    kind = Kind(kind)
    refusal = _at_once(rulebook, kind)
    if refusal is None:
        return None
    return NotAllowed(rulebook.cite(refusal.topic), refusal.reason, trigger="open_voting")


def _topic(kind: Kind) -> str:
    return "points_of_order" if kind is Kind.APPEAL else "consensus"


def _at_once(rulebook: Rulebook, kind: Kind) -> Refusal | None:
    if kind.value in rulebook.immediate_vote_kinds:
        return None
    if kind is Kind.APPEAL:
        if not rulebook.voting_methods:
            return Refusal(
                "points_of_order",
                f"under {rulebook.name} no vote may be taken: an appeal against the ruling of the chair "
                "cannot be put to the vote, and the ruling stands",
            )
        return Refusal(
            "points_of_order",
            f"{rulebook.name} does not put an appeal against the ruling of the chair to the vote "
            "(voting.immediate_vote_kinds): the ruling stands",
        )
    return Refusal(
        "consensus",
        f"under {rulebook.name} a {kind.value} is not put to the vote at once: consensus is sought first",
    )


def _immediate(q: Question) -> bool:
    return q.kind.value in q.rulebook.immediate_vote_kinds or q.kind is Kind.APPEAL


def _no_consensus_phase(q: Question, e: Event) -> Refusal | None:
    """Consensus steps (objection, gavel, deferral, request for a vote ...) do not apply to a
    question put to the vote at once; an appeal is never decided by consensus (rule 113)."""
    if not _immediate(q):
        return None
    if q.kind is Kind.APPEAL:
        return Refusal(
            "points_of_order",
            "an appeal against the ruling of the chair is immediately put to the vote, and the ruling "
            f"stands unless overruled by a majority of the representatives present and voting: no {e.trigger.replace('_', ' ')}",
        )
    return Refusal(
        "consensus",
        f"under {q.rulebook.name} a {q.kind.value} is put to the vote at once: no {e.trigger.replace('_', ' ')}",
    )


def _vote_at_once(q: Question, e: Event) -> Refusal | None:
    """Voting opens after a request for a vote, or, for a kind put to the vote at once, straight
    after the question is put."""
    if q.state is not State.OPEN:
        return None
    if not _immediate(q):
        topic, reason = _out_of_order(q.state, e.trigger)
        return Refusal(topic, reason, OutOfOrder)
    refusal = _at_once(q.rulebook, q.kind)
    if refusal is not None:
        return refusal
    return _majority_known(q, e)


def _no_point_of_order_on_appeal(q: Question, e: Event) -> Refusal | None:
    if q.kind is Kind.APPEAL:
        return Refusal(
            "points_of_order",
            "a point of order is not in order until the pending point of order and the appeal are disposed of",
            OutOfOrder,
        )
    return None


def _voting_opens(q: Question, e: Event) -> Refusal | None:
    method = e.data.get("method")
    if method not in q.rulebook.voting_methods:
        allowed = ", ".join(sorted(q.rulebook.voting_methods)) or "none"
        return Refusal(
            "method_of_voting", f"{method!r} is not a voting method of {q.rulebook.name} (allowed: {allowed})"
        )
    if method == "roll_call" and not e.data.get("seed"):
        return Refusal(
            "method_of_voting", "a roll-call needs the seed of the lot that draws the first member"
        )
    present = _strings(e.data.get("present") or [])
    stray = sorted(set(present) - q.electorate.members)
    if stray:
        return Refusal("quorum", f"{stray[0]} is listed as present but is not a member of the body")
    needed = q.rulebook.quorum_decision.minimum(q.electorate.membership)
    if len(set(present)) < needed:
        return Refusal(
            "quorum",
            f"{len(set(present))} members present; a decision requires {needed} "
            f"({q.rulebook.quorum_decision} of {q.electorate.membership})",
        )
    return None


def _ballot_countable(q: Question, e: Event) -> Refusal | None:
    if q.method == "show_of_hands":
        return Refusal(
            "method_of_voting", "a show of hands is counted, not recorded member by member", BallotError
        )
    vote = Vote(str(e.data.get("vote")))  # checked by _valid_vote, which runs first
    try:
        check_ballot(Ballot(e.by or "", vote), q.ballots, q.electorate, q.rulebook, q.present)
    except BallotError as exc:
        return Refusal("voting_rights", exc.reason, BallotError)
    return None


def _hands_counted(q: Question, e: Event) -> Refusal | None:
    if q.method != "show_of_hands":
        return None
    try:
        counts = [e.data.get(k) for k in ("yes", "no", "abstain")]
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
            raise BallotError("Rule 127", "a show of hands needs the counts: yes, no and abstain")
        yes, no, abstain = (int(str(c)) for c in counts)
        count_hands(yes, no, abstain, present=len(q.present), membership=q.electorate.membership)
    except BallotError as exc:
        return Refusal("method_of_voting", exc.reason, BallotError)
    return None


def _decided_by_vote(q: Question, e: Event) -> Refusal | None:
    if q.state in DECIDED and q.how != "vote":
        return Refusal("explanations", f"the question was decided by {q.how}, not by a vote")
    return None


def _valid_vote(q: Question, e: Event) -> Refusal | None:
    try:
        Vote(str(e.data.get("vote")))
    except ValueError:
        return Refusal(
            "method_of_voting",
            f"{e.data.get('vote')!r} is not a vote (yes, no, abstain, not_participating)",
            BallotError,
        )
    return None


def _silence_period(q: Question, e: Event) -> Refusal | None:
    if e.at is None or not isinstance(e.data.get("deadline"), str):
        return Refusal("silence", "the silence procedure needs the time of circulation and the deadline")
    start, deadline = parse_utc(e.at), parse_utc(str(e.data["deadline"]))
    minimum = timedelta(hours=q.rulebook.silence_minimum_hours)
    if deadline - start < minimum:
        return Refusal(
            "silence",
            f"the silence period must last at least {q.rulebook.silence_minimum_hours} hours "
            f"(circulated {utc_text(start)}, deadline {utc_text(deadline)})",
        )
    return None


def _before_deadline(q: Question, e: Event) -> Refusal | None:
    # A step dated at or after the deadline never gets here: the question is adopted first (_settled).
    if e.at is None:
        return Refusal("silence", "breaking silence needs the time it was received")
    return None


def _deadline_passed(q: Question, e: Event) -> Refusal | None:
    if e.at is None or q.silence_deadline is None or parse_utc(e.at) < parse_utc(q.silence_deadline):
        return Refusal("silence", "the silence period has not ended")
    return None


def _paragraphs(q: Question, e: Event) -> Refusal | None:
    key = "paragraphs" if e.trigger == "disassociate" else "provisions"
    items = e.data.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(p, str) and p for p in items):
        return Refusal("consensus", f"name the {key} concerned")
    return None


def _joins_consensus(q: Question, e: Event) -> Refusal | None:
    if e.by in q.objections:
        return Refusal(
            "consensus", f"{e.by} objects: withdraw the objection to join consensus and disassociate"
        )
    if q.state in DECIDED and q.how == "vote":
        return Refusal("consensus", "the question was decided by a vote: disassociation applies to consensus")
    return None


def _position_not_vote(q: Question, e: Event) -> Refusal | None:
    if q.state in DECIDED and q.how == "vote":
        return Refusal("explanations", "the question was decided by a vote: explain the vote, not a position")
    return _within_time(q, e, q.rulebook.explanation_of_position_minutes)


def _explains_vote(q: Question, e: Event) -> Refusal | None:
    when = e.data.get("when")
    if when not in ("before", "after"):
        return Refusal(
            "explanations", f"when={when!r}: an explanation of vote is given before or after the vote"
        )
    if when == "before" and q.state is not State.VOTE_REQUESTED:
        return Refusal("explanations", "explanations before the vote are heard before voting begins")
    if when == "after" and q.state not in DECIDED:
        return Refusal("explanations", "explanations after the vote are heard once the result is announced")
    if e.by in q.sponsors:
        return Refusal(
            "explanations",
            f"{e.by} sponsors this proposal and may not explain its vote on its own proposal or amendment",
        )
    return _within_time(q, e, q.rulebook.explanation_of_vote_minutes)


def _within_time(q: Question, e: Event, limit: int) -> Refusal | None:
    try:
        minutes = _minutes(e.data.get("minutes"))
    except ValueError as exc:
        return Refusal("explanations", str(exc))
    if minutes is not None and minutes > limit:
        return Refusal(
            "explanations", f"{minutes} minutes asked; explanations are limited to {limit} minutes"
        )
    return None


def _point_of_order_in_voting(q: Question, e: Event) -> Refusal | None:
    if q.state is State.VOTING and not e.data.get("on_conduct_of_vote"):
        topic, reason = _out_of_order(State.VOTING, e.trigger)
        return Refusal(topic, reason, OutOfOrder)
    return None


def _is_sponsor(q: Question, e: Event) -> Refusal | None:
    if e.by not in q.sponsors:
        return Refusal(
            "functions_of_chair", f"only a sponsor may withdraw the proposal, and {e.by} is not one"
        )
    return None


def _result_matches(q: Question, e: Event) -> Refusal | None:
    assert q.tally is not None
    recorded = e.data.get("result")
    computed = _result_json(decide(q.tally, q.rulebook, q.question_type))
    if recorded is not None and recorded != computed:
        return Refusal(
            "majority", f"the recorded result {recorded} is not what the votes give ({computed})", ReplayError
        )
    return None


def _majority_known(q: Question, e: Event) -> Refusal | None:
    if q.question_type not in q.rulebook.majorities:
        return Refusal("majority", f"{q.rulebook.name} states no majority for {q.question_type} questions")
    return None


# --- effects -----------------------------------------------------------------------------------------


def _on_put(q: Question, e: Event) -> State | None:
    q.objections.clear()
    q.exhausted_recorded = False
    q.vote_requested_by = None
    return None


def _on_object(q: Question, e: Event) -> State | None:
    assert e.by is not None
    q.objections.append(e.by)
    q.disassociations.pop(e.by, None)
    return None


def _on_withdraw_objection(q: Question, e: Event) -> State | None:
    q.objections.remove(e.by or "")
    return State.OBJECTED if q.objections else State.OPEN


def _on_gavel(q: Question, e: Event) -> State | None:
    q.how = "consensus"
    return None


def _on_exhausted(q: Question, e: Event) -> State | None:
    q.exhausted_recorded = True
    return None


def _on_request_vote(q: Question, e: Event) -> State | None:
    q.vote_requested_by = e.by
    return None


def _on_open_voting(q: Question, e: Event) -> State | None:
    q.method = str(e.data["method"])
    q.present = frozenset(_strings(e.data.get("present") or []))
    seed = e.data.get("seed")
    q.seed = None if seed is None else str(seed)
    q.ballots = {}
    return None


def _on_cast(q: Question, e: Event) -> State | None:
    q.ballots[e.by or ""] = Vote(str(e.data["vote"]))
    return None


def _on_close_voting(q: Question, e: Event) -> State | None:
    if q.method == "show_of_hands":
        yes, no, abstain = (int(str(e.data[k])) for k in ("yes", "no", "abstain"))
        q.tally = count_hands(yes, no, abstain, present=len(q.present), membership=q.electorate.membership)
    else:
        ballots = [Ballot(m, v) for m, v in q.ballots.items()]
        q.tally = count_ballots(ballots, q.electorate, q.rulebook, q.present)
    return None


def _on_announce(q: Question, e: Event) -> State | None:
    assert q.tally is not None
    q.result = decide(q.tally, q.rulebook, q.question_type)
    q.how = "vote"
    return State.ADOPTED if q.result.adopted else State.REJECTED


def _on_correct_vote(q: Question, e: Event) -> State | None:
    q.intended_votes.append((e.by or "", Vote(str(e.data["vote"]))))
    return None


def _on_circulate(q: Question, e: Event) -> State | None:
    q.silence_deadline = utc_text(str(e.data["deadline"]))
    q.silence_broken_by = None
    return None


def _on_break_silence(q: Question, e: Event) -> State | None:
    q.silence_broken_by = e.by
    return None


def _on_silence_ended(q: Question, e: Event) -> State | None:
    q.how = "silence"
    return None


def _on_disassociate(q: Question, e: Event) -> State | None:
    q.disassociations[e.by or ""] = tuple(_strings(e.data["paragraphs"]))
    return None


def _on_explain_position(q: Question, e: Event) -> State | None:
    q.explanations.append(Explanation(e.by or "", "position", _minutes(e.data.get("minutes"))))
    return None


def _on_explain_vote(q: Question, e: Event) -> State | None:
    q.explanations.append(Explanation(e.by or "", f"vote_{e.data['when']}", _minutes(e.data.get("minutes"))))
    return None


def _on_reserve(q: Question, e: Event) -> State | None:
    q.reservations.append(
        Reservation(e.by or "", tuple(_strings(e.data["provisions"])), str(e.data.get("text") or ""))
    )
    return None


def _on_point_of_order(q: Question, e: Event) -> State | None:
    q.points_of_order.append((e.by or "", bool(e.data.get("on_conduct_of_vote"))))
    return None


_S = State
_NOT_DECIDED = frozenset(State) - DECIDED - {State.WITHDRAWN}

#: The transitions table: trigger, states it is in order from, next state, guards, effect.
TRANSITIONS: Mapping[str, Transition] = {
    t.trigger: t
    for t in (
        Transition(
            "put", frozenset({_S.DRAFTED, _S.DEFERRED, _S.SILENCE_BROKEN}), _S.OPEN, (_is_chair,), _on_put
        ),
        Transition(
            "object",
            frozenset({_S.OPEN, _S.OBJECTED}),
            _S.OBJECTED,
            (_is_member, _no_consensus_phase, _not_already_objecting),
            _on_object,
        ),
        Transition(
            "withdraw_objection", frozenset({_S.OBJECTED}), None, (_is_objecting,), _on_withdraw_objection
        ),
        Transition(
            "gavel",
            frozenset({_S.OPEN, _S.OBJECTED}),
            _S.ADOPTED,
            (_is_chair, _no_consensus_phase, _no_objection_stands),
            _on_gavel,
        ),
        Transition(
            "defer",
            frozenset({_S.OPEN, _S.OBJECTED, _S.VOTE_REQUESTED}),
            _S.DEFERRED,
            (_is_chair, _no_consensus_phase),
        ),
        Transition(
            "record_exhausted",
            frozenset({_S.OBJECTED}),
            None,
            (_is_chair, _no_consensus_phase, _votes_allowed),
            _on_exhausted,
        ),
        Transition(
            "request_vote",
            frozenset({_S.OPEN, _S.OBJECTED}),
            _S.VOTE_REQUESTED,
            (_is_member, _no_consensus_phase, _votes_allowed, _consensus_sought, _majority_known),
            _on_request_vote,
        ),
        Transition(
            "open_voting",
            frozenset({_S.VOTE_REQUESTED, _S.OPEN}),
            _S.VOTING,
            (_is_chair, _vote_at_once, _voting_opens),
            _on_open_voting,
        ),
        Transition("cast", frozenset({_S.VOTING}), None, (_valid_vote, _ballot_countable), _on_cast),
        Transition(
            "close_voting",
            frozenset({_S.VOTING}),
            _S.VOTING_CLOSED,
            (_is_chair, _hands_counted),
            _on_close_voting,
        ),
        Transition(
            "announce", frozenset({_S.VOTING_CLOSED}), None, (_is_chair, _result_matches), _on_announce
        ),
        Transition(
            "correct_vote",
            frozenset({_S.VOTING_CLOSED, _S.ADOPTED, _S.REJECTED}),
            None,
            (_is_member, _valid_vote, _decided_by_vote),
            _on_correct_vote,
        ),
        Transition(
            "circulate",
            frozenset({_S.DRAFTED, _S.DEFERRED}),
            _S.SILENCE,
            (_is_chair, _no_consensus_phase, _silence_period),
            _on_circulate,
        ),
        Transition(
            "break_silence",
            frozenset({_S.SILENCE}),
            _S.SILENCE_BROKEN,
            (_is_member, _before_deadline),
            _on_break_silence,
        ),
        Transition(
            "silence_ended",
            frozenset({_S.SILENCE}),
            _S.ADOPTED,
            (_is_chair, _deadline_passed),
            _on_silence_ended,
        ),
        Transition(
            "disassociate",
            frozenset({_S.OPEN, _S.OBJECTED, _S.ADOPTED}),
            None,
            (_is_member, _paragraphs, _joins_consensus),
            _on_disassociate,
        ),
        Transition(
            "explain_position",
            frozenset({_S.OPEN, _S.OBJECTED, _S.SILENCE, _S.ADOPTED, _S.REJECTED}),
            None,
            (_is_member, _position_not_vote),
            _on_explain_position,
        ),
        Transition(
            "explain_vote",
            frozenset({_S.VOTE_REQUESTED, _S.ADOPTED, _S.REJECTED}),
            None,
            (_is_member, _explains_vote, _decided_by_vote),
            _on_explain_vote,
        ),
        Transition(
            "reserve",
            frozenset({_S.OPEN, _S.OBJECTED, _S.ADOPTED}),
            None,
            (_is_member, _paragraphs),
            _on_reserve,
        ),
        Transition(
            "point_of_order",
            _NOT_DECIDED,
            None,
            (_is_member, _no_point_of_order_on_appeal, _point_of_order_in_voting),
            _on_point_of_order,
        ),
        Transition(
            "withdraw",
            frozenset({_S.DRAFTED, _S.OPEN, _S.OBJECTED, _S.DEFERRED, _S.VOTE_REQUESTED}),
            _S.WITHDRAWN,
            (_is_member, _is_sponsor),
        ),
    )
}

TRIGGERS = tuple(TRANSITIONS)
