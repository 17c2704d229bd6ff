"""JSON API of the decisions app (mounted under /api/ by consensio.api).

Reads are public (the record). Writes need a logged-in user (session cookie and CSRF) and
call one action each; who may take which step is decided by ``decisions.access`` (403),
unusable input is a 400, and a step the rules of procedure refuse at this point is a 409
whose message is the engine's ruling, naming the rule.

Recorded votes download as CSV (one row per member: name, ISO3, vote) and as a Popolo
VoteEvent (https://www.popoloproject.com/specs/vote-event.html).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from consensio.actors.models import Actor
from consensio.api import ApiError, require_role
from consensio.core.access import CHAIR, DELEGATE, OBSERVER, SECRETARIAT
from consensio.decisions import actions
from consensio.decisions.access import Forbidden, get_question_for_user, questions, refusal_status
from consensio.decisions.models import Question
from consensio.decisions.views import outcome_label, take_step
from consensio.engine.procedure import BallotError, NotAllowed, OutOfOrder, ProcedureError

router = Router(tags=["decisions"])

Step = Literal[
    "put",
    "gavel",
    "defer",
    "record_exhausted",
    "open_voting",
    "close_voting",
    "announce",
    "circulate",
    "settle",
    "object",
    "withdraw_objection",
    "request_vote",
    "cast",
    "correct_vote",
    "break_silence",
    "disassociate",
    "explain",
    "reserve",
]


class QuestionOut(Schema):
    id: int
    body: str
    session: int | None
    kind: str
    question_type: str
    subject: str
    rulebook: str
    sponsors: list[str]
    state: str
    how: str
    outcome: str = Field(description='How it was taken, e.g. "adopted by recorded vote 79-60-33"')
    tally: dict[str, Any] | None
    silence_deadline: dt.datetime | None
    created_at: dt.datetime


class EventOut(Schema):
    seq: int
    trigger: str
    at: dt.datetime
    member: str
    data: dict[str, Any]


class BallotOut(Schema):
    member: str
    name: str
    vote: str | None


class QuestionDetailOut(QuestionOut):
    objections: list[str]
    events: list[EventOut]
    ballots: list[BallotOut]
    disassociations: dict[str, list[str]]
    reservations: list[dict[str, Any]]
    explanations: list[dict[str, Any]]


class DraftIn(Schema):
    session: int = Field(description="The session the question is before")
    kind: str = Field(
        description="provision, article, chapter, instrument, report, motion, amendment, reconsideration"
    )
    subject: str = Field(min_length=1, max_length=2000)
    question_type: str | None = None
    sponsors: list[str] = Field(default_factory=list)
    rulebook: str | None = Field(None, description="Defaults to the body's rulebook")
    agenda_item: int | None = None


class StepIn(Schema):
    member: str | None = Field(None, description="Actor key; a delegate may give only their own delegation")
    vote: str | None = Field(None, description="yes, no, abstain or not_participating (cast, correct_vote)")
    method: str | None = Field(None, description="recorded, roll_call or show_of_hands (open_voting)")
    present: list[str] | None = Field(None, description="Members present (open_voting); default every member")
    seed: str | None = Field(None, description="The lot for a roll-call (open_voting)")
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    deadline: dt.datetime | None = Field(None, description="Silence deadline, with a time zone (circulate)")
    paragraphs: list[str] | None = None
    provisions: list[str] | None = None
    text: str | None = None
    kind: str | None = Field(None, description="position, vote_before or vote_after (explain)")
    minutes: int | None = None


class BallotIn(Schema):
    vote: str
    member: str | None = None


def _out(q: Question) -> dict[str, Any]:
    return {
        "id": q.pk,
        "body": q.body.key,
        "session": q.session_id,
        "kind": q.kind,
        "question_type": q.question_type,
        "subject": q.subject,
        "rulebook": q.rulebook,
        "sponsors": q.sponsors,
        "state": q.state,
        "how": q.how,
        "outcome": outcome_label(q),
        "tally": q.tally,
        "silence_deadline": q.silence_deadline,
        "created_at": q.created_at,
    }


def _detail(q: Question) -> dict[str, Any]:
    events = list(q.events.order_by("seq").values("seq", "trigger", "at", "member", "payload"))
    engine = actions.load_question(q, [e["payload"] for e in events])
    names = dict(Actor.objects.filter(key__in=engine.electorate.members).values_list("key", "name"))
    return {
        **_out(q),
        "objections": list(engine.objections),
        "events": [
            {
                "seq": e["seq"],
                "trigger": e["trigger"],
                "at": e["at"],
                "member": e["member"],
                "data": e["payload"].get("data") or {},
            }
            for e in events
        ],
        "ballots": [
            {"member": k, "name": names.get(k, k), "vote": engine.ballots[k].value}
            for k in sorted(engine.ballots)
        ],
        "disassociations": {m: list(p) for m, p in engine.disassociations.items()},
        "reservations": [
            {"member": r.member, "provisions": list(r.provisions), "text": r.text}
            for r in engine.reservations
        ],
        "explanations": [
            {"member": x.member, "kind": x.kind, "minutes": x.minutes} for x in engine.explanations
        ],
    }


def _refuse(exc: Exception) -> ApiError:
    status = refusal_status(exc)
    if isinstance(exc, ProcedureError):
        code = {BallotError: "ballot_refused", OutOfOrder: "out_of_order", NotAllowed: "not_allowed"}.get(
            type(exc), "refused"
        )
        details = [{"rule": exc.rule, "state": exc.state, "step": exc.trigger}]
        return ApiError(status, code, str(exc), details)
    return ApiError(status, "forbidden" if isinstance(exc, Forbidden) else "invalid", str(exc))


@router.get("/questions", response=list[QuestionOut])
def list_questions(request: HttpRequest, session: int | None = None) -> list[dict[str, Any]]:
    qs = questions().order_by("created_at", "id")
    if session is not None:
        qs = qs.filter(session_id=session)
    return [_out(q) for q in qs]


@router.get("/questions/{question_id}", response=QuestionDetailOut)
def get_question(request: HttpRequest, question_id: int) -> dict[str, Any]:
    return _detail(get_question_for_user(request.user, question_id))


@router.post("/questions", response={201: QuestionDetailOut}, auth=django_auth)
def draft_question(request: HttpRequest, payload: DraftIn) -> Status:
    from consensio.forum.models import Session

    require_role(request, CHAIR, SECRETARIAT)
    session = Session.objects.select_related("body").filter(pk=payload.session).first()
    if session is None:
        raise ApiError(400, "invalid", f"Session {payload.session}: no such session.")
    item = None
    if payload.agenda_item is not None:
        item = session.agenda_items.filter(pk=payload.agenda_item).first()
        if item is None:
            raise ApiError(
                400, "invalid", f"Agenda item {payload.agenda_item} is not on this session's agenda."
            )
    try:
        question = actions.do_draft_question(
            request.user,
            body=session.body,
            session=session,
            agenda_item=item,
            kind=payload.kind,
            subject=payload.subject,
            question_type=payload.question_type,
            sponsors=payload.sponsors,
            rulebook=payload.rulebook,
        )
    except (Forbidden, actions.Invalid, ProcedureError) as exc:
        raise _refuse(exc) from None
    return Status(201, _detail(get_question_for_user(request.user, question.pk)))


@router.post("/questions/{question_id}/steps/{step}", response=QuestionDetailOut, auth=django_auth)
def take_a_step(request: HttpRequest, question_id: int, step: Step, payload: StepIn) -> dict[str, Any]:
    """Take one step of the procedure (the chair's or a member's); the answer is the question after it."""
    require_role(request, CHAIR, SECRETARIAT, DELEGATE, OBSERVER)
    question = get_question_for_user(request.user, question_id)
    data = payload.dict()
    if data.get("deadline") is not None:
        data["deadline"] = data["deadline"].isoformat()
    try:
        take_step(request.user, question, step, data)
    except (Forbidden, actions.Invalid, ProcedureError) as exc:
        raise _refuse(exc) from None
    return _detail(get_question_for_user(request.user, question_id))


@router.get("/questions/{question_id}/ballots", response=list[BallotOut])
def list_ballots(request: HttpRequest, question_id: int) -> list[dict[str, Any]]:
    return list(_detail(get_question_for_user(request.user, question_id))["ballots"])


@router.post("/questions/{question_id}/ballots", response={201: BallotOut}, auth=django_auth)
def cast_ballot(request: HttpRequest, question_id: int, payload: BallotIn) -> Status:
    """Cast a ballot: a delegate for their own delegation only; an observer never votes."""
    require_role(request, SECRETARIAT, DELEGATE, OBSERVER)
    question = get_question_for_user(request.user, question_id)
    try:
        event = actions.do_cast_ballot(request.user, question, payload.vote, payload.member)
    except (Forbidden, actions.Invalid, ProcedureError) as exc:
        raise _refuse(exc) from None
    name = Actor.objects.filter(key=event.by).values_list("name", flat=True).first() or event.by
    return Status(201, {"member": event.by, "name": name, "vote": event.data["vote"]})


def _recorded_vote(
    question_id: int, request: HttpRequest
) -> tuple[Question, Any, dict[str, tuple[str, str]]]:
    question = get_question_for_user(request.user, question_id)
    engine = actions.load_question(question)
    if engine.method not in ("recorded", "roll_call"):
        raise ApiError(404, "not_found", "This question has no recorded or roll-call vote.")
    actors = {
        k: (n, iso or "")
        for k, n, iso in Actor.objects.filter(key__in=engine.electorate.members).values_list(
            "key", "name", "iso3"
        )
    }
    return question, engine, actors


@router.get("/questions/{question_id}/votes.csv")
def votes_csv(request: HttpRequest, question_id: int) -> HttpResponse:
    """One row per member: name, ISO3, vote (empty when the member did not vote)."""
    question, engine, actors = _recorded_vote(question_id, request)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "iso3", "vote"])
    for key in sorted(engine.electorate.members, key=lambda k: actors.get(k, (k, ""))[0]):
        name, iso3 = actors.get(key, (key, key))
        vote = engine.ballots.get(key)
        writer.writerow([name, iso3, vote.value if vote else ""])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="question-{question.pk}-votes.csv"'
    return response


POPOLO_OPTION = {"yes": "yes", "no": "no", "abstain": "abstain", "not_participating": "not voting"}


@router.get("/questions/{question_id}/vote-event", response={200: dict[str, Any]})
def vote_event(request: HttpRequest, question_id: int) -> dict[str, Any]:
    """The recorded vote as a Popolo VoteEvent: identifier, motion, start_date, result, counts, votes."""
    question, engine, actors = _recorded_vote(question_id, request)
    opened = next((e.at for e in engine.history if e.trigger == "open_voting"), None)
    result = None
    if engine.result is not None:
        result = "pass" if engine.result.adopted else "fail"
    tally = engine.tally
    counts = []
    if tally is not None:
        counts = [
            {"option": "yes", "value": tally.yes},
            {"option": "no", "value": tally.no},
            {"option": "abstain", "value": tally.abstain},
            {"option": "not voting", "value": tally.not_voting},
        ]
    votes = []
    for key in sorted(engine.electorate.members):
        vote = engine.ballots.get(key)
        votes.append(
            {
                "voter_id": actors.get(key, ("", key))[1] or key,
                "option": POPOLO_OPTION[vote.value] if vote else "not voting",
            }
        )
    return {
        "identifier": f"question-{question.pk}",
        "motion": {
            "text": question.subject,
            "classification": question.question_type,
            "organization_id": question.body.key,
        },
        "organization_id": question.body.key,
        "legislative_session_id": str(question.session_id) if question.session_id else None,
        "start_date": opened,
        "result": result,
        "counts": counts,
        "votes": votes,
    }
