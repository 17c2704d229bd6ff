"""Pages for decisions: the decisions of a session, one decision, and the forms that take a step.

Reads are public (the record). The step form posts to one view which calls one action;
a refusal re-renders the decision page with the engine's ruling (naming the rule) and a
4xx status: 403 for who may act, 400 for unusable input, 409 for a step the rules of
procedure do not permit at this point.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from consensio.actors.models import Actor
from consensio.core.access import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, public, role_of, roles_required
from consensio.core.pagecache import cached_page
from consensio.decisions import actions
from consensio.decisions.access import (
    Forbidden,
    get_question_for_user,
    own_delegation,
    questions,
    refusal_status,
)
from consensio.decisions.models import Kind, Question, State
from consensio.engine.procedure import QUESTION_TYPES, ProcedureError, available_rulebooks
from consensio.engine.procedure import Question as EngineQuestion
from consensio.engine.procedure.question import utc_text, vote_at_once_refusal


def outcome_label(question: Question, now: dt.datetime | None = None) -> str:
    """How the question was taken, in the words of the record ("adopted by recorded vote 79-60-33")."""
    now = now or timezone.now()
    state = question.state
    if state == State.SILENCE and question.silence_deadline and question.silence_deadline <= now:
        return _("adopted under silence procedure")
    tally = question.tally or {}
    counts = f"{tally.get('yes')}-{tally.get('no')}-{tally.get('abstain')}"
    method = {
        "recorded": _("recorded vote"),
        "roll_call": _("roll-call vote"),
        "show_of_hands": _("show of hands"),
    }.get(str(tally.get("method")), _("vote"))
    if question.kind == Kind.APPEAL:
        # The question put is whether to overrule the chair's ruling (rule 113): adopted = overruled.
        if state == State.ADOPTED and question.how == "vote":
            return _("ruling overruled by %(method)s %(counts)s") % {"method": method, "counts": counts}
        if state == State.REJECTED and question.how == "vote":
            return _("ruling stands (%(method)s %(counts)s)") % {"method": method, "counts": counts}
        if state == State.REJECTED:
            return _("ruling stands")
        if state == State.WITHDRAWN:
            return _("appeal withdrawn: ruling stands")
    if state == State.ADOPTED:
        if question.how == "vote":
            return _("adopted by %(method)s %(counts)s") % {"method": method, "counts": counts}
        if question.how == "silence":
            return _("adopted under silence procedure")
        return _("adopted without a vote") if question.without_a_vote else _("adopted by consensus")
    if state == State.REJECTED:
        return _("rejected")
    if state == State.DEFERRED:
        return _("deferred")
    return str(State(state).label).lower()


def row_context(question: Question) -> dict[str, Any]:
    return {"q": question, "outcome": outcome_label(question)}


def status_context(
    question: Question, engine: EngineQuestion, now: dt.datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    state = engine.state_at(utc_text(now))
    return {
        "q": question,
        "engine": engine,
        "state": State(state.value),
        "outcome": outcome_label(question, now),
        "objections": list(engine.objections) if state.value in (State.OPEN, State.OBJECTED) else [],
        "board": engine.board() if engine.state.value == State.VOTING else None,
        "result": engine.result,
        "deadline": question.silence_deadline,
    }


def _session_questions(session_id: int | None) -> Any:
    qs = questions().order_by("created_at", "id")
    return qs if session_id is None else qs.filter(session_id=session_id)


@public
@cached_page
def decision_list(request: HttpRequest, session_id: int | None = None) -> HttpResponse:
    from consensio.forum.models import Session

    session = None
    if session_id is not None:
        session = get_object_or_404(Session.objects.select_related("body"), pk=session_id)
    now = timezone.now()
    rows = [{"q": q, "outcome": outcome_label(q, now)} for q in _session_questions(session_id)]
    return render(
        request,
        "decisions/list.html",
        {"session": session, "rows": rows, "may_conduct": role_of(request.user) in (CHAIR, SECRETARIAT)},
    )


def _detail_context(
    request: HttpRequest, question: Question, engine: EngineQuestion | None = None
) -> dict[str, Any]:
    now = timezone.now()
    events = list(question.events.order_by("seq").values("seq", "trigger", "at", "member", "payload"))
    engine = engine or actions.load_question(question, [e["payload"] for e in events])
    keys = set(engine.electorate.members) | set(engine.electorate.observers) | set(engine.sponsors)
    keys |= {e["member"] for e in events}
    names = dict(Actor.objects.filter(key__in=keys).values_list("key", "name"))
    votes = (
        [
            {"key": key, "name": names.get(key, key), "vote": engine.ballots.get(key)}
            for key in sorted(engine.electorate.members, key=lambda k: names.get(k, k))
        ]
        if engine.method
        else []
    )
    role = role_of(request.user)
    acts_for = own_delegation(request.user) if role in (DELEGATE, OBSERVER) else None
    return {
        **status_context(question, engine, now),
        "events": [
            {
                **e,
                "name": names.get(e["member"], e["member"]),
                "label": STEP_LABELS.get(e["trigger"], e["trigger"]),
            }
            for e in events
        ],
        "votes": votes,
        "names": names,
        "sponsors": [names.get(s, s) for s in engine.sponsors],
        "explanations": [(names.get(x.member, x.member), x) for x in engine.explanations],
        "disassociations": [(names.get(m, m), p) for m, p in engine.disassociations.items()],
        "reservations": [(names.get(r.member, r.member), r) for r in engine.reservations],
        "intended": [(names.get(m, m), v) for m, v in engine.intended_votes],
        "may_conduct": role in (CHAIR, SECRETARIAT),
        "acts_for": acts_for,
        "allowed": _allowed(engine, now, acts_for if role == DELEGATE else None),
        "is_observer": role == OBSERVER,
    }


def _allowed(engine: EngineQuestion, now: dt.datetime, member: str | None) -> dict[str, bool]:
    """The steps the engine would accept now (``may_<step>``), to offer only those as buttons."""
    at = utc_text(now)
    state = engine.state.value
    # A kind put to the vote at once (an appeal, rule 113): voting opens as soon as it is put; it is
    # never circulated under silence.
    at_once = vote_at_once_refusal(engine.rulebook, engine.kind) is None
    allowed = {
        "put": engine.may_put(at=at),
        "gavel": engine.may_gavel(at=at),
        "defer": engine.may_defer(at=at),
        "record_exhausted": engine.may_record_exhausted(at=at) and not engine.exhausted_recorded,
        "open_voting": state == State.VOTE_REQUESTED or (state == State.OPEN and at_once),
        "close_voting": state == State.VOTING,
        "announce": engine.may_announce(),
        "circulate": state in (State.DRAFTED, State.DEFERRED) and not at_once and engine.kind != Kind.APPEAL,
    }
    if member:
        allowed.update(
            object=engine.may_object(member, at=at),
            withdraw_objection=engine.may_withdraw_objection(member, at=at),
            request_vote=engine.may_request_vote(member, at=at),
            cast=engine.may_cast(member, "yes", at=at),
            break_silence=engine.may_break_silence(member, at=at),
            disassociate=engine.may_disassociate(member, ["-"], at=at),
            explain=engine.may_explain_position(member, at=at)
            or engine.may_explain_vote(member, "before", at=at)
            or engine.may_explain_vote(member, "after", at=at),
            reserve=engine.may_reserve(member, ["-"], at=at),
        )
    return allowed


#: How each step reads in the record of the question.
STEP_LABELS = {
    "draft": _lazy("drafted"),
    "put": _lazy("put to the body by the chair"),
    "object": _lazy("objection"),
    "withdraw_objection": _lazy("objection withdrawn"),
    "gavel": _lazy("gavelled: it is so decided"),
    "defer": _lazy("deferred for further consultations"),
    "record_exhausted": _lazy("the chair records that efforts at consensus are exhausted"),
    "request_vote": _lazy("vote requested"),
    "open_voting": _lazy("voting opened"),
    "cast": _lazy("ballot cast"),
    "close_voting": _lazy("voting closed"),
    "announce": _lazy("result announced"),
    "correct_vote": _lazy("statement of intended vote"),
    "circulate": _lazy("circulated under the silence procedure"),
    "break_silence": _lazy("silence broken"),
    "silence_ended": _lazy("silence period ended unbroken"),
    "disassociate": _lazy("disassociation"),
    "explain_position": _lazy("explanation of position"),
    "explain_vote": _lazy("explanation of vote"),
    "reserve": _lazy("reservation"),
    "point_of_order": _lazy("point of order"),
    "withdraw": _lazy("withdrawn by the sponsor"),
}


@public
@cached_page
def decision_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_question_for_user(request.user, question_id)
    return render(request, "decisions/detail.html", _detail_context(request, question))


CONDUCT_STEPS = (
    "put",
    "gavel",
    "defer",
    "record_exhausted",
    "open_voting",
    "close_voting",
    "announce",
    "circulate",
    "settle",
)
MEMBER_STEPS = (
    "object",
    "withdraw_objection",
    "request_vote",
    "cast",
    "correct_vote",
    "break_silence",
    "disassociate",
    "explain",
    "reserve",
)


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def _int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise actions.Invalid(
            _("%(field)s: a whole number, not %(value)r.") % {"field": field, "value": value}
        ) from None


def _deadline(text: str) -> dt.datetime:
    """A deadline from a form (``datetime-local``: no zone, read as the server's time zone) or ISO 8601."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise actions.Invalid(
            _("Deadline: %(value)r is not a date and time such as 2024-08-09T18:00.") % {"value": text}
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def take_step(user: Any, question: Question, step: str, data: Any) -> object:
    """Call the one action for ``step`` with the form's (or the API's) fields."""
    member = (data.get("member") or "").strip() or None
    if step == "put":
        return actions.do_put_question(user, question)
    if step == "gavel":
        return actions.do_gavel(user, question)
    if step == "defer":
        return actions.do_defer(user, question)
    if step == "record_exhausted":
        return actions.do_record_exhausted(user, question)
    if step == "open_voting":
        present = data.get("present")
        if isinstance(present, str):
            present = _lines(present) or None
        return actions.do_open_voting(
            user, question, data.get("method") or "recorded", present, data.get("seed") or None
        )
    if step == "close_voting":
        return actions.do_close_voting(
            user,
            question,
            yes=_int(data.get("yes"), "yes"),
            no=_int(data.get("no"), "no"),
            abstain=_int(data.get("abstain"), "abstain"),
        )
    if step == "announce":
        return actions.do_announce(user, question)
    if step == "circulate":
        return actions.do_circulate_silence(user, question, _deadline(data.get("deadline") or ""))
    if step == "settle":
        return actions.do_settle_due(user)
    if step == "object":
        return actions.do_object(user, question, member)
    if step == "withdraw_objection":
        return actions.do_withdraw_objection(user, question, member)
    if step == "request_vote":
        return actions.do_request_vote(user, question, member)
    if step == "cast":
        return actions.do_cast_ballot(user, question, data.get("vote") or "", member)
    if step == "correct_vote":
        return actions.do_correct_vote(user, question, data.get("vote") or "", member)
    if step == "break_silence":
        return actions.do_break_silence(user, question, member)
    if step == "disassociate":
        paragraphs = data.get("paragraphs") or ""
        return actions.do_disassociate(
            user, question, _lines(paragraphs) if isinstance(paragraphs, str) else paragraphs, member
        )
    if step == "explain":
        return actions.do_explain(
            user, question, data.get("kind") or "position", _int(data.get("minutes"), "minutes"), member
        )
    if step == "reserve":
        provisions = data.get("provisions") or ""
        return actions.do_reserve(
            user,
            question,
            _lines(provisions) if isinstance(provisions, str) else provisions,
            data.get("text") or "",
            member,
        )
    raise actions.Invalid(
        _("Step %(step)r: not a step of the procedure (known: %(known)s).")
        % {"step": step, "known": ", ".join(CONDUCT_STEPS + MEMBER_STEPS)}
    )


@roles_required(CHAIR, SECRETARIAT, DELEGATE, OBSERVER)
def decision_step(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_question_for_user(request.user, question_id)
    if request.method != "POST":
        return redirect("decision-detail", question_id=question.pk)
    step = request.POST.get("step", "")
    try:
        take_step(request.user, question, step, request.POST)
    except (Forbidden, actions.Invalid, ProcedureError) as exc:
        context = _detail_context(request, question)
        context["error"] = str(exc)
        return render(request, "decisions/detail.html", context, status=refusal_status(exc))
    messages.success(request, _("Recorded: %(step)s.") % {"step": step.replace("_", " ")})
    return redirect("decision-detail", question_id=question.pk)


@roles_required(CHAIR, SECRETARIAT)
def decision_new(request: HttpRequest, session_id: int) -> HttpResponse:
    from consensio.forum.models import Session

    session = get_object_or_404(Session.objects.select_related("body"), pk=session_id)
    error = None
    status = 200
    if request.method == "POST":
        try:
            item = None
            if request.POST.get("agenda_item"):
                item = session.agenda_items.filter(
                    pk=_int(request.POST["agenda_item"], "agenda_item")
                ).first()
            question = actions.do_draft_question(
                request.user,
                body=session.body,
                session=session,
                agenda_item=item,
                kind=request.POST.get("kind", ""),
                subject=request.POST.get("subject", ""),
                question_type=request.POST.get("question_type") or None,
                sponsors=_lines(request.POST.get("sponsors", "")),
                rulebook=request.POST.get("rulebook") or None,
            )
        except (Forbidden, actions.Invalid, ProcedureError) as exc:
            error, status = str(exc), refusal_status(exc)
        else:
            return redirect("decision-detail", question_id=question.pk)
    return render(
        request,
        "decisions/new.html",
        {
            "session": session,
            "error": error,
            "kinds": Kind.choices,
            "question_types": QUESTION_TYPES,
            "rulebooks": available_rulebooks(),
            "agenda": list(session.agenda_items.all()),
            "form": request.POST,
        },
        status=status,
    )
