"""Provision status transitions, from the table in cases/text_status.json."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from consensio.engine.text.errors import TransitionError
from consensio.engine.text.status import ProvisionState, Status, StatusRecord, Trigger, apply, may

CASES = json.loads((Path(__file__).parent / "cases" / "text_status.json").read_text())["cases"]
AT = datetime(2024, 8, 8, 17, 0)


def state_in(status: str) -> ProvisionState:
    if status == "open":
        return ProvisionState("chp_2__art_7__para_1")
    return ProvisionState("chp_2__art_7__para_1", (StatusRecord(Status(status), "chair", AT, "earlier"),))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['from']}-{c['trigger']}" for c in CASES])
def test_transition_table(case: dict[str, str]) -> None:
    state = state_in(case["from"])
    trigger = Trigger(case["trigger"])
    if "expect" in case:
        after = apply(state, trigger, by="chair", at=AT, decision_ref=case.get("decision_ref"))
        assert after.status is Status(case["expect"])
        assert after.current == StatusRecord(Status(case["expect"]), "chair", AT, case.get("decision_ref"))
        assert len(after.history) == len(state.history) + 1
    else:
        with pytest.raises(TransitionError, match=case["error"]) as info:
            apply(state, trigger, by="chair", at=AT, decision_ref=case.get("decision_ref"))
        assert info.value.eid == "chp_2__art_7__para_1"
        assert info.value.state == case["from"]
        assert info.value.trigger == case["trigger"]


def test_may_reads_the_table() -> None:
    assert may(state_in("open"), Trigger.ADOPT)
    assert not may(state_in("adopted"), Trigger.ADOPT)
    assert state_in("open").current is None
