"""JSON API of the floor app (mounted under /api/ by consensio.api): what is on the floor, read-only.

Writes go through the floor's pages (``/floor/<meeting>/act/``) and, for the question, through
the decisions API's steps; this endpoint gives other screens (a room display, an interpreter's
booth) the same facts the public screen shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from consensio.floor.access import get_meeting_for_user
from consensio.floor.regions import floor_context

router = Router(tags=["floor"])


class TurnOut(Schema):
    id: int
    delegation: str
    kind: str
    state: str
    on_behalf_of: str | None
    position: int
    clock_started_at: dt.datetime | None
    used_seconds: int
    ruling: str
    statement: int | None


class FloorOut(Schema):
    meeting: int
    item: str | None
    question: int | None
    question_subject: str | None
    question_state: str | None
    objections: list[str]
    list_closed: bool
    time_limit: int | None
    point_of_order: TurnOut | None
    speaking: TurnOut | None
    waiting: list[TurnOut]
    ballots_cast: int | None
    voted: list[str] | None


def _turn(t: Any) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "id": t.pk,
        "delegation": t.delegation.name,
        "kind": t.kind,
        "state": t.state,
        "on_behalf_of": t.on_behalf_of.name if t.on_behalf_of else None,
        "position": t.position,
        "clock_started_at": t.clock_started_at,
        "used_seconds": t.used_seconds,
        "ruling": t.ruling,
        "statement": t.statement_id,
    }


@router.get("/floors/{meeting_id}", response=FloorOut)
def get_floor(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """The item, the question before the body, the list of speakers and the vote board of a meeting."""
    c = floor_context(get_meeting_for_user(request.user, meeting_id))
    board = c["board"]
    return {
        "meeting": meeting_id,
        "item": str(c["item"]) if c["item"] else None,
        "question": c["question"].pk if c["question"] else None,
        "question_subject": c["question"].subject if c["question"] else None,
        "question_state": c["question"].state if c["question"] else None,
        "objections": list(c["status"].get("objections") or []),
        "list_closed": bool(c["list"] and c["list"].closed),
        "time_limit": c["list"].time_limit if c["list"] else None,
        "point_of_order": _turn(c["order"]),
        "speaking": _turn(c["speaking"]),
        "waiting": [_turn(t) for t in c["waiting"]],
        "ballots_cast": board["voted"] if board else None,
        "voted": [m["key"] for m in board["members"] if m["voted"]]
        if board and board["shows_voters"]
        else None,
    }
