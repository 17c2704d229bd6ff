"""The question lifecycle: transitions table, may_<step> queries, replay, and properties over random steps."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from consensio.engine.journal import append, verify
from consensio.engine.procedure import (
    TRANSITIONS,
    BallotError,
    Electorate,
    Event,
    Kind,
    Majority,
    NotAllowed,
    ProcedureError,
    Question,
    ReplayError,
    State,
    Vote,
    load_rulebook,
    replay,
)

MEMBERS = ["AUT", "BRA", "CHN", "EGY", "USA"]
BODY = Electorate(frozenset(MEMBERS), frozenset({"PSE"}))


def question(rulebook: str = "unga-committee", **kwargs: Any) -> Question:
    return Question.draft("q1", kwargs.pop("kind", Kind.ARTICLE), load_rulebook(rulebook), BODY, **kwargs)


def test_every_trigger_has_a_may_query_and_a_step() -> None:
    for trigger in TRANSITIONS:
        if trigger == "silence_ended":
            assert hasattr(Question, "settle")
            continue
        assert hasattr(Question, trigger)
        if trigger != "close_voting":
            assert hasattr(Question, f"may_{trigger}")


def test_each_step_returns_the_event_that_records_it() -> None:
    q = question(sponsors=["AUT"], at="2024-08-08T10:00:00Z")
    event = q.put(at="2024-08-08T10:01:00+00:00")
    assert event == q.history[-1]
    assert event.to_payload() == {"trigger": "put", "at": "2024-08-08T10:01:00Z", "by": "chair", "data": {}}
    assert Event.from_payload(event.to_payload()) == event


def test_events_go_into_the_journal_and_replay_from_it() -> None:
    q = question()
    q.put()
    q.object("EGY")
    q.request_vote("EGY")
    q.open_voting("roll_call", MEMBERS, seed="lot-42")
    for member in q.roll_call():
        q.cast(member, Vote.YES if member != "EGY" else Vote.NO)
    q.close_voting()
    q.announce()
    entry = None
    entries = []
    for number, event in enumerate(q.history):
        entry = append(
            entry, f"question.{event.trigger}", event.to_payload(), f"2024-08-08T10:{number:02d}:00Z"
        )
        entries.append(entry)
    assert verify(entries).ok
    again = replay(e.payload for e in entries)
    assert again.state is State.ADOPTED and again.result == q.result
    assert again.roll_call() == q.roll_call()


def test_roll_call_order_comes_from_the_recorded_seed() -> None:
    q = question()
    with pytest.raises(NotAllowed, match="no lot was drawn"):
        q.roll_call()
    q.put()
    q.object("EGY")
    q.request_vote("EGY")
    q.open_voting("roll_call", MEMBERS, seed="lot-42")
    names = {
        "AUT": "Austria",
        "BRA": "Brazil",
        "CHN": "China",
        "EGY": "Egypt",
        "USA": "United States of America",
    }
    order = q.roll_call(names)
    assert sorted(order) == sorted(MEMBERS) and order == q.roll_call(names)


def test_a_tampered_history_does_not_replay() -> None:
    q = question()
    q.put()
    q.object("EGY")
    q.request_vote("EGY")
    q.open_voting("recorded", MEMBERS)
    for member in MEMBERS:
        q.cast(member, "yes" if member != "EGY" else "no")
    q.close_voting()
    q.announce()
    payloads = [e.to_payload() for e in q.history]
    forged = [dict(p) for p in payloads]
    forged[-1] = {**forged[-1], "data": {"result": {**payloads[-1]["data"]["result"], "adopted": False}}}  # type: ignore[dict-item]
    with pytest.raises(ReplayError, match="recorded result"):
        replay(forged)
    swapped = payloads[:2] + [payloads[3], payloads[2]] + payloads[4:]
    with pytest.raises(ProcedureError):
        replay(swapped)
    with pytest.raises(ReplayError, match="no events"):
        replay([])
    with pytest.raises(ReplayError, match="not the draft"):
        replay(payloads[1:])
    with pytest.raises(ReplayError, match="names no rulebook"):
        replay([{"trigger": "draft", "data": {"id": "x"}}])
    with pytest.raises(ReplayError, match="incomplete or wrong"):
        replay([{"trigger": "draft", "data": {"id": "x"}}], load_rulebook("unga-committee"))
    with pytest.raises(ReplayError, match="not an event"):
        Event.from_payload({"at": None})


def test_unknown_step_and_non_chair() -> None:
    q = question()
    with pytest.raises(NotAllowed, match="no such step 'dance'"):
        q.apply(Event("dance", by="chair"))
    with pytest.raises(NotAllowed, match="only the chair may do this, not AUT"):
        q.apply(Event("put", by="AUT"))


def test_silence_state_is_decided_when_read() -> None:
    q = question(rulebook="consensus-only")
    circulated = datetime(2020, 3, 30, 18, tzinfo=UTC)
    q.circulate(circulated + timedelta(hours=72), at=circulated)
    assert q.state_at(circulated + timedelta(hours=71, minutes=59)) is State.SILENCE
    assert q.decision(circulated + timedelta(hours=1)) is None
    later = circulated + timedelta(hours=80)
    assert q.state_at(later) is State.ADOPTED
    decision = q.decision(later)
    assert decision is not None and decision.how == "silence"
    assert q.settle(circulated + timedelta(hours=1)) is None
    with pytest.raises(ValueError, match="no time zone"):
        q.state_at(datetime(2020, 4, 5))  # deliberately naive
    with pytest.raises(ValueError, match="not an ISO 8601 timestamp"):
        q.state_at("next Tuesday")
    # a step taken after the deadline first records the adoption
    q.explain_position("USA", at=later)
    assert q.state is State.ADOPTED and q.how == "silence"


def test_board_hides_voters_when_the_rulebook_says_so() -> None:
    q = question(rulebook="cop-reio", kind=Kind.MOTION)
    q.put()
    q.object("EGY")
    q.record_exhausted()
    q.request_vote("EGY")
    q.open_voting("roll_call", MEMBERS, seed=1)  # type: ignore[arg-type]
    q.cast("AUT", "yes")
    assert q.board() == {"method": "roll_call", "voted": 1}


def test_reservation_and_decision_record() -> None:
    q = question()
    q.put()
    q.reserve("CHN", ["art_7__para_2"], "interpretative statement")
    q.explain_position("BRA", minutes=3)
    q.gavel()
    decision = q.decision()
    assert decision is not None
    assert decision.outcome is State.ADOPTED and decision.how == "consensus" and decision.result is None
    assert decision.reservations[0].provisions == ("art_7__para_2",)
    assert decision.explanations[0].kind == "position"
    assert q.decided


def test_may_queries_do_not_change_anything() -> None:
    q = question(sponsors=["AUT"])
    assert q.may_put() and not q.may_gavel()
    q.put()
    assert q.may_object("BRA") and not q.may_object("PSE")
    assert not q.may_request_vote("BRA")  # consensus first
    q.object("BRA")
    assert q.may_withdraw_objection("BRA") and not q.may_withdraw_objection("CHN")
    assert q.may_defer() and q.may_record_exhausted() and q.may_request_vote("BRA")
    assert (
        q.may_disassociate("CHN", ["p1"]) and q.may_reserve("CHN", ["p1"]) and q.may_explain_position("CHN")
    )
    assert q.may_point_of_order("CHN") and q.may_withdraw("AUT") and not q.may_withdraw("CHN")
    assert not q.may_circulate("2020-04-05T00:00:00Z", at="2020-04-01T00:00:00Z")
    assert not q.may_break_silence("CHN", at="2020-04-01T00:00:00Z")
    assert not q.may_explain_vote("CHN", "before")
    assert not q.may_cast("CHN", "yes") and not q.may_correct_vote("CHN", "yes") and not q.may_announce()
    assert not q.may_open_voting("recorded", MEMBERS)
    assert not q.may_explain_position("CHN", minutes=-1)
    assert not q.may_put(at="not a time")
    assert q.state is State.OBJECTED and len(q.history) == 3


# --- properties over random sequences of steps ---------------------------------------------------

ACTORS = [*MEMBERS, "PSE", "chair", "ZZZ"]
T0 = datetime(2024, 8, 1, 9, tzinfo=UTC)
REACHED: set[State] = set()

step_strategy = st.tuples(
    st.sampled_from(
        [
            "put",
            "object",
            "withdraw_objection",
            "gavel",
            "defer",
            "record_exhausted",
            "request_vote",
            "open_voting",
            "cast",
            "close_voting",
            "announce",
            "correct_vote",
            "circulate",
            "break_silence",
            "settle",
            "disassociate",
            "explain_position",
            "explain_vote",
            "reserve",
            "point_of_order",
            "withdraw",
        ]
    ),
    st.sampled_from(ACTORS),
    st.sampled_from(list(Vote)),
    st.sampled_from(["show_of_hands", "recorded", "roll_call"]),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=100),  # hours since T0 (monotonic: added up)
)


def attempt(
    q: Question, step: tuple[str, str, Vote, str, int, int], at: datetime
) -> tuple[bool, bool | None]:
    """Apply one random step; return (accepted, what may_<step> predicted or None if no query)."""
    trigger, actor, vote, method, number, _ = step
    calls: dict[str, tuple[Any, Any]] = {
        "put": (lambda: q.may_put(at=at), lambda: q.put(at=at)),
        "object": (lambda: q.may_object(actor, at=at), lambda: q.object(actor, at=at)),
        "withdraw_objection": (
            lambda: q.may_withdraw_objection(actor, at=at),
            lambda: q.withdraw_objection(actor, at=at),
        ),
        "gavel": (lambda: q.may_gavel(at=at), lambda: q.gavel(at=at)),
        "defer": (lambda: q.may_defer(at=at), lambda: q.defer(at=at)),
        "record_exhausted": (lambda: q.may_record_exhausted(at=at), lambda: q.record_exhausted(at=at)),
        "request_vote": (lambda: q.may_request_vote(actor, at=at), lambda: q.request_vote(actor, at=at)),
        "open_voting": (
            lambda: q.may_open_voting(method, MEMBERS[: number + 1], seed="s", at=at),
            lambda: q.open_voting(method, MEMBERS[: number + 1], seed="s", at=at),
        ),
        "cast": (lambda: q.may_cast(actor, vote, at=at), lambda: q.cast(actor, vote, at=at)),
        "close_voting": (None, lambda: q.close_voting(yes=number % 3, no=(number + 1) % 3, abstain=0, at=at)),
        "announce": (lambda: q.may_announce(), lambda: q.announce(at=at)),
        "correct_vote": (
            lambda: q.may_correct_vote(actor, vote, at=at),
            lambda: q.correct_vote(actor, vote, at=at),
        ),
        "circulate": (
            lambda: q.may_circulate(at + timedelta(hours=number * 20), at=at),
            lambda: q.circulate(at + timedelta(hours=number * 20), at=at),
        ),
        "break_silence": (lambda: q.may_break_silence(actor, at=at), lambda: q.break_silence(actor, at=at)),
        "settle": (None, lambda: q.settle(at)),
        "disassociate": (
            lambda: q.may_disassociate(actor, ["p1"], at=at),
            lambda: q.disassociate(actor, ["p1"], at=at),
        ),
        "explain_position": (
            lambda: q.may_explain_position(actor, minutes=number * 3, at=at),
            lambda: q.explain_position(actor, minutes=number * 3, at=at),
        ),
        "explain_vote": (
            lambda: q.may_explain_vote(actor, "before" if number % 2 else "after", at=at),
            lambda: q.explain_vote(actor, "before" if number % 2 else "after", at=at),
        ),
        "reserve": (lambda: q.may_reserve(actor, ["p1"], at=at), lambda: q.reserve(actor, ["p1"], at=at)),
        "point_of_order": (
            lambda: q.may_point_of_order(actor, on_conduct_of_vote=number % 2 == 0, at=at),
            lambda: q.point_of_order(actor, on_conduct_of_vote=number % 2 == 0, at=at),
        ),
        "withdraw": (lambda: q.may_withdraw(actor, at=at), lambda: q.withdraw(actor, at=at)),
    }
    may, do = calls[trigger]
    predicted = None if may is None else bool(may())
    try:
        do()
    except ProcedureError:
        return False, predicted
    return True, predicted


TO_A_VOTE = [
    "put",
    "object",
    "record_exhausted",
    "request_vote",
    "open_voting",
    *["cast"] * 6,
    "close_voting",
    "announce",
]
TO_SILENCE = ["circulate", "break_silence", "put", "gavel"]


@st.composite
def step_sequences(draw: st.DrawFn) -> list[tuple[str, str, Vote, str, int, int]]:
    """A path to a vote or through the silence procedure, with random actors, votes, times and steps mixed in."""
    steps = []
    skeleton = draw(st.sampled_from([TO_A_VOTE, TO_SILENCE]))
    for trigger in skeleton:
        steps.extend(draw(st.lists(step_strategy, max_size=2 if skeleton is TO_A_VOTE else 1)))
        _, actor, vote, method, number, hours = draw(step_strategy)
        if draw(st.booleans()):
            # half the time: all present for a recorded vote; an 80-hour silence period broken within 10 hours
            method, number, hours = "recorded", 6 if trigger != "circulate" else 4, hours % 10
        steps.append((trigger, actor, vote, method, number, hours))
    steps.extend(draw(st.lists(step_strategy, max_size=6)))
    return steps


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    rulebook=st.sampled_from(["unga-committee", "ahc-74-247", "cop-reio", "consensus-only"]),
    kind=st.sampled_from(list(Kind)),
    steps=st.one_of(st.lists(step_strategy, max_size=40), step_sequences()),
)
@example(  # a show of hands that rejects: 0 in favour, 1 against
    rulebook="unga-committee",
    kind=Kind.ARTICLE,
    steps=[
        ("put", "chair", Vote.YES, "recorded", 0, 0),
        ("object", "EGY", Vote.YES, "recorded", 0, 0),
        ("request_vote", "EGY", Vote.YES, "recorded", 0, 0),
        ("open_voting", "chair", Vote.YES, "show_of_hands", 6, 0),
        ("close_voting", "chair", Vote.YES, "show_of_hands", 0, 0),
        ("announce", "chair", Vote.YES, "show_of_hands", 0, 0),
        ("correct_vote", "BRA", Vote.YES, "show_of_hands", 0, 0),
    ],
)
@example(  # silence broken within an 80-hour period, then put at a meeting
    rulebook="consensus-only",
    kind=Kind.REPORT,
    steps=[
        ("circulate", "chair", Vote.YES, "recorded", 4, 0),
        ("break_silence", "USA", Vote.YES, "recorded", 0, 5),
        ("put", "chair", Vote.YES, "recorded", 0, 0),
    ],
)
@example(  # the sponsor withdraws its proposal before voting has begun
    rulebook="unga-committee",
    kind=Kind.ARTICLE,
    steps=[
        ("put", "chair", Vote.YES, "recorded", 0, 0),
        ("object", "EGY", Vote.YES, "recorded", 0, 0),
        ("withdraw", "AUT", Vote.YES, "recorded", 0, 0),
    ],
)
@example(  # an appeal against the chair's ruling: put, voted at once, the ruling overruled 2-1
    rulebook="unga-committee",
    kind=Kind.APPEAL,
    steps=[
        ("put", "chair", Vote.YES, "recorded", 0, 0),
        ("gavel", "chair", Vote.YES, "recorded", 0, 0),
        ("open_voting", "chair", Vote.YES, "recorded", 4, 0),
        ("cast", "AUT", Vote.YES, "recorded", 0, 0),
        ("cast", "BRA", Vote.YES, "recorded", 0, 0),
        ("cast", "CHN", Vote.NO, "recorded", 0, 0),
        ("close_voting", "chair", Vote.YES, "recorded", 0, 0),
        ("announce", "chair", Vote.YES, "recorded", 0, 0),
    ],
)
def test_a_question_is_never_both_adopted_and_rejected(
    rulebook: str, kind: Kind, steps: list[tuple[str, str, Vote, str, int, int]]
) -> None:
    q = question(rulebook=rulebook, kind=kind, sponsors=["AUT"])
    outcomes: set[State] = set()
    at = T0
    for step in steps:
        at += timedelta(hours=step[5])
        before = (q.state, len(q.history))
        accepted, predicted = attempt(q, step, at)
        if predicted is not None:
            assert predicted == accepted, f"may_{step[0]} said {predicted}"
        if not accepted:
            assert (q.state, len(q.history)) == before
        REACHED.add(q.state)
        if q.state in (State.ADOPTED, State.REJECTED):
            outcomes.add(q.state)
        assert len(outcomes) <= 1
        if q.how == "vote":
            assert q.result is not None and (q.state is State.ADOPTED) == q.result.adopted
            tally = q.result.tally
            assert tally.yes + tally.no + tally.abstain <= tally.present
        if q.state is State.ADOPTED:
            assert q.how in ("consensus", "vote", "silence") and (q.how != "consensus" or not q.objections)
    again = replay([e.to_payload() for e in q.history])
    assert (again.state, again.how, again.result, again.objections, again.ballots) == (
        q.state,
        q.how,
        q.result,
        q.objections,
        q.ballots,
    )


def test_the_random_steps_reach_every_state() -> None:
    """Guards the property above against vacuity: random steps must reach each end of the lifecycle."""
    if not REACHED:
        pytest.skip("run together with the property test")
    assert {State.ADOPTED, State.REJECTED, State.SILENCE_BROKEN, State.WITHDRAWN, State.DEFERRED} <= REACHED


def test_refusals_of_recorded_events() -> None:
    """Events as the Django layer might store them, with data the step methods would never produce."""
    rulebook = load_rulebook("unga-committee")
    q = question()
    q.put()
    q.object("EGY")
    q.request_vote("EGY")
    with pytest.raises(NotAllowed, match="XYZ is listed as present but is not a member"):
        q.apply(Event("open_voting", by="chair", data={"method": "recorded", "present": ["XYZ", *MEMBERS]}))
    q.open_voting("show_of_hands", MEMBERS)
    with pytest.raises(BallotError, match="'maybe' is not a vote"):
        q.apply(Event("cast", by="AUT", data={"vote": "maybe"}))
    with pytest.raises(BallotError, match="needs the counts"):
        q.apply(Event("close_voting", by="chair", data={"yes": 1, "no": None, "abstain": 0}))
    q.close_voting(yes=3, no=1, abstain=0)
    q.announce()
    with pytest.raises(NotAllowed, match="disassociation applies to consensus"):
        q.disassociate("CHN", ["p1"])
    with pytest.raises(NotAllowed, match="when='during'"):
        q.explain_vote("CHN", "during")

    silent = question()
    with pytest.raises(NotAllowed, match="needs the time of circulation"):
        silent.apply(Event("circulate", by="chair", data={"deadline": "2020-04-02T18:00:00Z"}))
    silent.circulate("2020-04-02T18:00:00Z", at="2020-03-30T18:00:00Z")
    with pytest.raises(NotAllowed, match="needs the time it was received"):
        silent.apply(Event("break_silence", by="USA"))
    with pytest.raises(NotAllowed, match="has not ended"):
        silent.apply(Event("silence_ended", at="2020-04-01T00:00:00Z", by="chair"))

    draft = question().history[0]
    with pytest.raises(ReplayError, match="unknown question type 'budget'"):
        replay([Event("draft", by="chair", data={**draft.data, "question_type": "budget"})], rulebook)
    with pytest.raises(ReplayError, match="expected a list of strings"):
        replay([Event("draft", by="chair", data={**draft.data, "members": "AUT"})], rulebook)


def test_a_vote_on_a_question_type_without_a_majority_is_refused() -> None:
    rulebook = dataclasses.replace(load_rulebook("unga-committee"), majorities={"procedural": Majority()})
    q = Question.draft("q", Kind.ARTICLE, rulebook, BODY)
    q.put()
    q.object("EGY")
    with pytest.raises(NotAllowed, match="states no majority for substantive questions"):
        q.request_vote("EGY")
