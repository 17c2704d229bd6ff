"""Runs the procedure scenarios of tests/engine/cases/procedure_*.toml through the public API."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from consensio.engine.procedure import Electorate, ProcedureError, Question, load_rulebook, replay

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_MEMBERS = ["AUT", "BRA", "CHN", "DZA", "EGY", "MEX", "USA"]
DEFAULT_OBSERVERS = ["PSE"]


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES_DIR.glob("procedure_*.toml")):
        with path.open("rb") as fh:
            cases.extend(tomllib.load(fh)["case"])
    return cases


CASES = load_cases()


def new_question(case: dict[str, Any]) -> Question:
    electorate = Electorate(
        members=frozenset(case.get("members", DEFAULT_MEMBERS)),
        observers=frozenset(case.get("observers", DEFAULT_OBSERVERS)),
        reio={org: frozenset(states) for org, states in case.get("reio", {}).items()},
    )
    return Question.draft(
        "q",
        case.get("kind", "article"),
        load_rulebook(case["rulebook"]),
        electorate,
        subject="art_7",
        sponsors=case.get("sponsors", []),
    )


def take(q: Question, step: dict[str, Any]) -> None:
    do, by, at = step["do"], step.get("by"), step.get("at")
    if do == "votes":
        for vote in ("yes", "no", "abstain", "not_participating"):
            for member in step.get(vote, []):
                q.cast(member, vote, at=at)
    elif do in ("put", "gavel", "defer", "record_exhausted", "announce"):
        getattr(q, do)(at=at)
    elif do in ("object", "withdraw_objection", "request_vote", "withdraw"):
        getattr(q, do)(by, at=at)
    elif do == "open_voting":
        present = step.get("present", sorted(q.electorate.members))
        q.open_voting(step["method"], present, seed=step.get("seed"), at=at)
    elif do in ("cast", "correct_vote"):
        getattr(q, do)(by, step["vote"], at=at)
    elif do == "close_voting":
        q.close_voting(yes=step.get("yes"), no=step.get("no"), abstain=step.get("abstain"), at=at)
    elif do == "circulate":
        q.circulate(step["deadline"], at=at)
    elif do == "break_silence":
        q.break_silence(by, at=at)
    elif do == "settle":
        q.settle(at)
    elif do == "disassociate":
        q.disassociate(by, step["paragraphs"], at=at)
    elif do == "reserve":
        q.reserve(by, step["provisions"], at=at)
    elif do == "explain_position":
        q.explain_position(by, minutes=step.get("minutes"), at=at)
    elif do == "explain_vote":
        q.explain_vote(by, step["when"], minutes=step.get("minutes"), at=at)
    elif do == "point_of_order":
        q.point_of_order(by, on_conduct_of_vote=step.get("on_conduct_of_vote", False), at=at)
    else:  # pragma: no cover - a typo in a case file
        raise AssertionError(f"unknown step {do!r}")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_procedure_case(case: dict[str, Any]) -> None:
    q = new_question(case)
    for number, step in enumerate(case["steps"], 1):
        where = f"step {number} {step}"
        if "state_at" in step:
            assert q.state_at(step["state_at"]["now"]).value == step["state_at"]["state"], where
            continue
        before = (q.state, len(q.history))
        if "error" in step:
            with pytest.raises(ProcedureError) as info:
                take(q, step)
            assert type(info.value).__name__ == step["error"], where
            if "rule" in step:
                assert info.value.rule == step["rule"], where
            assert step.get("says", "") in str(info.value), f"{where}: {info.value}"
            assert (q.state, len(q.history)) == before, f"{where}: a refused step changed the question"
            continue
        take(q, step)
        if "state" in step:
            assert q.state.value == step["state"], where
        if "how" in step:
            assert q.how == step["how"], where
        if "result" in step:
            assert q.result is not None, where
            recorded = q.result.to_dict()
            for key, value in step["result"].items():
                assert recorded[key] == value, f"{where}: {key}"
        if "disassociations" in step:
            decision = q.decision()
            assert decision is not None
            assert {k: list(v) for k, v in decision.disassociations.items()} == step["disassociations"], where
    # Whatever happened, the events replay to the same question.
    again = replay([e.to_payload() for e in q.history])
    assert (again.state, again.result, again.objections, again.how) == (
        q.state,
        q.result,
        q.objections,
        q.how,
    )
