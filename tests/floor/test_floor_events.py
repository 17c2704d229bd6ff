"""Initial render + events = fresh render, for every event on the floor.

For each event: render the public screen, apply the fragments the action sent after commit
(as live.js does: replace the element with the target id, or append/prepend to it), and
compare every live region with a fresh render of the page. A fragment for an element the
page does not show (another meeting, the decisions list) is ignored, as live.js ignores it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import lxml.html
import pytest

STEPS = dict[str, Any]


def _norm(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def live_regions(doc: Any) -> dict[str, str]:
    return {
        el.get("id"): _norm(lxml.html.tostring(el, encoding="unicode")) for el in doc.xpath("//*[@data-live]")
    }


def apply(doc: Any, fragments: list[dict[str, Any]]) -> int:
    """Apply fragments the way live.js does; return how many found their target."""
    applied = 0
    for f in fragments:
        found = doc.xpath(f'//*[@id="{f["target"]}"]')
        if not found:
            continue
        target = found[0]
        nodes = lxml.html.fragments_fromstring(f["html"].strip())
        if f["mode"] == "replace":
            target.getparent().replace(target, nodes[0])
        elif f["mode"] == "append":
            for n in nodes:
                target.append(n)
        else:
            for n in reversed(nodes):
                target.insert(0, n)
        applied += 1
    return applied


def screen(setting: Any) -> Any:
    response = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


Step = tuple[str, str, dict[str, str]]
TO_VOTE: list[Step] = [
    ("chair", "put", {}),
    ("austria", "object", {}),
    ("chair", "record_exhausted", {}),
    ("austria", "request_vote", {}),
]
VOTING: list[Step] = [*TO_VOTE, ("chair", "open_voting", {"method": "recorded"})]
CLOSED: list[Step] = [*VOTING, ("austria", "cast", {"vote": "yes"}), ("chair", "close_voting", {})]

#: event name -> (steps before, the event, what the fresh page must now show)
CASES: dict[str, tuple[list[Step], Step, str]] = {
    "speaker inscribed": ([], ("austria", "inscribe", {}), "Austria"),
    "group speaker inscribed": (
        [("austria", "inscribe", {})],
        ("brazil", "inscribe", {"on_behalf_of": "G77"}),
        "on behalf of the Group of 77",
    ),
    "list reordered": (
        [("austria", "inscribe", {}), ("brazil", "inscribe", {})],
        ("chair", "reorder", {"turn": "@BRA", "position": "1"}),
        "Brazil",
    ),
    "list closed": ([("austria", "inscribe", {})], ("chair", "close_list", {}), "closed"),
    "list reopened": (
        [("austria", "inscribe", {}), ("chair", "close_list", {})],
        ("chair", "reopen_list", {}),
        '!class="badge closed"',
    ),
    "inscription withdrawn": (
        [("austria", "inscribe", {}), ("brazil", "inscribe", {})],
        ("austria", "withdraw_inscription", {"turn": "@AUT"}),
        "!Austria",
    ),
    "speaker struck by the chair": (
        [("austria", "inscribe", {}), ("brazil", "inscribe", {}), ("observer", "inscribe", {})],
        ("chair", "withdraw_inscription", {"turn": "@BRA"}),
        "!Brazil",
    ),
    "right of reply withdrawn": (
        [("austria", "inscribe", {}), ("brazil", "reply", {})],
        ("brazil", "withdraw_inscription", {"turn": "@BRA"}),
        "!Right of reply",
    ),
    "right of reply": ([("chair", "close_list", {})], ("brazil", "reply", {}), "Right of reply"),
    "floor given": ([("austria", "inscribe", {})], ("chair", "give_floor", {}), "Has the floor"),
    "timer started": (
        [("austria", "inscribe", {}), ("chair", "give_floor", {})],
        ("chair", "start_clock", {}),
        "running",
    ),
    "timer stopped": (
        [("austria", "inscribe", {}), ("chair", "give_floor", {}), ("chair", "start_clock", {})],
        ("chair", "stop_clock", {}),
        "stopped",
    ),
    "point of order": ([("austria", "inscribe", {})], ("brazil", "point_of_order", {}), "Point of order"),
    "ruling": (
        [("brazil", "point_of_order", {})],
        ("chair", "rule", {"ruling": "The point is well taken."}),
        "The point is well taken.",
    ),
    "statement attached": (
        [("austria", "inscribe", {}), ("chair", "give_floor", {})],
        ("austria", "attach_statement", {"turn": "@AUT", "text": "Mr Chair, we agree."}),
        "statement</a>",
    ),
    "item taken up": ([], ("chair", "take_up", {"item": "@item4"}), "Adoption of the report"),
    "question put": ([], ("chair", "put", {}), "Is there any objection?"),
    "objection": ([("chair", "put", {})], ("austria", "object", {}), "Objection standing: Austria"),
    "objection withdrawn": (
        [("chair", "put", {}), ("austria", "object", {})],
        ("austria", "withdraw_objection", {}),
        "!Objection standing",
    ),
    "gavel": ([("chair", "put", {})], ("chair", "gavel", {}), "It is so decided."),
    "vote requested": (TO_VOTE[:3], ("austria", "request_vote", {}), "Vote requested"),
    "vote opened": (TO_VOTE, ("chair", "open_voting", {"method": "recorded"}), "Voting is open"),
    "ballot cast": (VOTING, ("brazil", "cast", {"vote": "no"}), "1 ballots cast"),
    "vote closed": (
        [*VOTING, ("austria", "cast", {"vote": "yes"})],
        ("chair", "close_voting", {}),
        "Voting is closed",
    ),
    "result announced": (CLOSED, ("chair", "announce", {}), "Result announced."),
}


def _fields(setting: Any, fields: dict[str, str]) -> dict[str, str]:
    from consensio.floor.models import Turn

    out = {}
    for name, value in fields.items():
        if value == "@item4":
            value = str(setting.other_item.pk)
        elif value.startswith("@"):
            value = str(Turn.objects.filter(delegation__actor__key=value[1:]).latest("pk").pk)
        out[name] = value
    return out


@pytest.mark.parametrize("event", list(CASES))
def test_initial_render_plus_events_is_a_fresh_render(
    event: str, setting: Any, act: Callable[..., Any], sent: Any
) -> None:
    before, (who, step, fields), shown = CASES[event]
    if (
        event == "vote requested"
        or step in ("open_voting", "cast", "close_voting", "announce")
        or event in ("ballot cast", "vote closed", "result announced")
    ):
        from consensio.floor.actions import do_take_up

        do_take_up(None, setting.meeting, item=setting.item, question=setting.second)
    for b_who, b_step, b_fields in before:
        act(b_who, b_step, **_fields(setting, b_fields))
    page = screen(setting)
    absent, shown = shown.startswith("!"), shown.removeprefix("!")
    assert (shown in lxml.html.tostring(page, encoding="unicode")) is absent or event == "list reordered"
    sent.clear()

    act(who, step, **_fields(setting, fields))

    fragments = sent.fragments()
    assert fragments, "the action sent nothing"
    floor_targets = {f["target"] for f in fragments if f["target"].startswith(f"floor-{setting.meeting.pk}-")}
    assert floor_targets, "the action sent no floor region"
    assert apply(page, fragments) >= len(floor_targets)
    fresh = screen(setting)
    assert live_regions(page) == live_regions(fresh)
    assert (shown in lxml.html.tostring(fresh, encoding="unicode")) is not absent
