"""The live regions of the floor: one context, four partials, the same for the page and the events.

Every floor page includes ``floor/_<region>.html`` for each region, each in an element
``id="floor-<meeting>-<region>" data-live="floor-<meeting>"``; every action renders the
same partials from ``floor_context()`` and sends them after commit on that meeting's own
stream (``core.live.scoped``), so a screen receives the fragments of its room only.

Nothing here depends on who is looking or on the moment of rendering (the clock is sent
as its start and the seconds already used; screens count down themselves), so that
"initial render + events = fresh render" holds for every screen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from consensio.core.live import scoped, send_on_commit
from consensio.decisions.models import Kind as QKind
from consensio.decisions.models import Question, QuestionEvent
from consensio.decisions.models import State as QState
from consensio.floor.models import Floor, SpeakersList, Turn, TurnKind, TurnState
from consensio.forum.models import Meeting

STREAM = "floor"
REGIONS = ("now", "speakers", "board", "decided")
#: The states of an appeal that dispose of it: the ruling then stands or is overruled (rule 113).
APPEAL_DISPOSED = (QState.ADOPTED, QState.REJECTED, QState.WITHDRAWN)
#: The steps after which a question counts as decided at that moment.
DECIDING = ("gavel", "announce", "silence_ended")


def region_id(meeting_id: int, region: str) -> str:
    return f"floor-{meeting_id}-{region}"


def floor_of(meeting: Meeting) -> Floor | None:
    try:
        return meeting.floor
    except Floor.DoesNotExist:
        return None


def current_item(meeting: Meeting, floor: Floor | None) -> Any:
    if floor is not None and floor.item_id is not None:
        return floor.item
    return meeting.agenda_items.order_by("position", "id").first()


def speakers_list(item: Any) -> SpeakersList | None:
    if item is None:
        return None
    return SpeakersList.objects.filter(item=item).first()


def turn_name(turn: Turn) -> str:
    return turn.delegation.name


def _speakers(lst: SpeakersList | None) -> dict[str, Any]:
    if lst is None:
        return {"list": None, "order": None, "appeal": None, "speaking": None, "waiting": [], "spoken": [], "clock_text": ""}
    turns = list(
        lst.turns.select_related(
            "delegation__actor", "delegation__participant", "on_behalf_of", "statement", "appeal"
        )
    )
    speaking = next((t for t in turns if t.state == TurnState.SPEAKING), None)
    waiting = sorted((t for t in turns if t.state == TurnState.WAITING), key=lambda t: (t.position, t.pk))
    spoken = sorted((t for t in turns if t.state == TurnState.DONE), key=lambda t: (t.ended_at, t.pk))
    order = next(
        (
            t
            for t in turns
            if t.kind == TurnKind.POINT_OF_ORDER and t.state in (TurnState.WAITING, TurnState.SPEAKING)
        ),
        None,
    )
    rest = lst.time_limit - speaking.used_seconds if speaking is not None else lst.time_limit
    appeal = next((t for t in spoken if t.appeal is not None and t.appeal.state not in APPEAL_DISPOSED), None)
    return {
        "list": lst,
        "order": order,
        "appeal": appeal,
        "speaking": speaking,
        "waiting": waiting,
        "spoken": spoken,
        "clock_text": clock_text(rest),
    }


def clock_text(seconds: int) -> str:
    """``m:ss``, with a minus sign once the speaker is over time."""
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


def _board(question: Question | None, engine: Any, names: dict[str, str]) -> dict[str, Any]:
    if question is None or engine is None or not engine.method:
        return {"board": None}
    state = engine.state.value
    members = sorted(engine.electorate.members, key=lambda k: names.get(k, k))
    shows_voters = bool(engine.rulebook.board_shows_voters)
    announced = state in (QState.ADOPTED, QState.REJECTED) and question.how == "vote"
    return {
        "board": {
            "method": engine.method,
            "open": state == QState.VOTING,
            "closed": state == QState.VOTING_CLOSED,
            "announced": announced,
            "voted": len(engine.ballots),
            "members": [
                {
                    "key": k,
                    "name": names.get(k, k),
                    "voted": k in engine.ballots if shows_voters else None,
                    "vote": engine.ballots.get(k) if announced else None,
                }
                for k in members
            ],
            "shows_voters": shows_voters,
            "tally": question.tally if announced else None,
            "result": engine.result if announced else None,
        }
    }


def _decided_today(meeting: Meeting, today: dt.date | None = None) -> list[dict[str, Any]]:
    from consensio.decisions.views import outcome_label

    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = start + dt.timedelta(days=1)
    ids = (
        QuestionEvent.objects.filter(
            question__session_id=meeting.session_id, trigger__in=DECIDING, at__gte=start, at__lt=end
        )
        .order_by("at", "id")
        .values_list("question_id", flat=True)
    )
    seen: list[int] = []
    for pk in ids:
        if pk not in seen:
            seen.append(pk)
    rows = {q.pk: q for q in Question.objects.filter(pk__in=seen)}
    return [{"q": rows[pk], "outcome": outcome_label(rows[pk])} for pk in seen if pk in rows]


def floor_context(meeting: Meeting) -> dict[str, Any]:
    """Everything the four regions show, read fresh from the database."""
    from consensio.actors.models import Actor
    from consensio.decisions.actions import load_question
    from consensio.decisions.views import status_context

    meeting = Meeting.objects.select_related("session__body", "floor").get(pk=meeting.pk)
    floor = floor_of(meeting)
    item = current_item(meeting, floor)
    question = None
    engine = None
    status: dict[str, Any] = {}
    names: dict[str, str] = {}
    put_at = None
    if floor is not None and floor.question_id is not None:
        question = Question.objects.select_related("body", "session", "agenda_item").get(pk=floor.question_id)
        events = list(question.events.order_by("seq").values_list("trigger", "at", "payload"))
        engine = load_question(question, [e[2] for e in events])
        status = status_context(question, engine)
        keys = set(engine.electorate.members) | set(engine.objections)
        names = dict(Actor.objects.filter(key__in=keys).values_list("key", "name"))
        # "Is there any objection?" is not asked of an appeal: it is put to the vote at once (rule 113).
        if engine.state.value in (QState.OPEN, QState.OBJECTED) and question.kind != QKind.APPEAL:
            put_at = next((at for trigger, at, _p in reversed(events) if trigger == "put"), None)
    lst = speakers_list(item)
    return {
        "meeting": meeting,
        "floor": floor,
        "item": item,
        "question": question,
        "engine": engine,
        "status": status,
        "objectors": [names.get(k, k) for k in (status.get("objections") or [])],
        "put_at": put_at,
        **_speakers(lst),
        **_board(question, engine, names),
        "decided": _decided_today(meeting),
        "rid": {r: region_id(meeting.pk, r) for r in REGIONS},
        "live": scoped(STREAM, meeting.pk),
    }


def render_region(region: str, context: dict[str, Any]) -> str:
    return render_to_string(f"floor/_{region}.html", context)


def send_regions(meeting: Meeting, *regions: str) -> None:
    """Queue the named regions (all four by default) on the meeting's stream, for after the commit."""
    context = floor_context(meeting)
    for region in regions or REGIONS:
        send_on_commit(context["live"], region_id(meeting.pk, region), render_region(region, context))
