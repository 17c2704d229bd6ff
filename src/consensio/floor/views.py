"""The floor's pages: the public screen, the chair's console, the delegate's console.

The three pages include the same live regions (``floor.regions``); the consoles add the
controls of the person looking (``floor/_controls.html``), which ``floor.js`` fetches again
whenever a live region changes. Every form posts to ``floor_act``, which calls one action:
with JavaScript the answer is JSON (``{"ok", "message"}`` or the API's error shape), without
it a redirect back to the console, or the console again with the refusal and its status.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from consensio.actors.models import Group
from consensio.core.access import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, public, role_of, roles_required
from consensio.core.pagecache import cached_page, server_now
from consensio.decisions.access import own_delegation
from consensio.decisions.actions import rulebook_named
from consensio.decisions.models import Question
from consensio.decisions.models import State as QState
from consensio.engine.procedure.question import utc_text, vote_at_once_refusal
from consensio.floor import actions
from consensio.floor.access import get_meeting_for_user, may_conduct
from consensio.floor.models import Floor, TurnKind, TurnState
from consensio.floor.regions import floor_context
from consensio.forum.models import AgendaItem, Delegation, Meeting, Standing

EVERYONE_ACTING = (CHAIR, SECRETARIAT, DELEGATE, OBSERVER)


@public
@cached_page
def floor_index(request: HttpRequest) -> HttpResponse:
    floors = list(Floor.objects.select_related("meeting__session__body", "item", "question")[:50])
    return render(request, "floor/index.html", {"floors": floors, "may_conduct": may_conduct(request.user)})


def _page(request: HttpRequest, meeting: Meeting, console: str, **extra: Any) -> dict[str, Any]:
    context = floor_context(meeting)
    context.update(
        console=console,
        server_now=server_now(request),
        controls=controls_context(request, context) if console != "public" else None,
        **extra,
    )
    return context


@public
@cached_page
def floor_screen(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return render(request, "floor/screen.html", _page(request, meeting, "public"))


@roles_required(CHAIR, SECRETARIAT)
def chair_console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return render(request, "floor/screen.html", _page(request, meeting, "chair"))


@roles_required(DELEGATE, OBSERVER)
def delegate_console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return render(request, "floor/screen.html", _page(request, meeting, "delegate"))


@roles_required(*EVERYONE_ACTING)
def floor_controls(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The controls of the person looking, for floor.js to swap in after a live update."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    context = floor_context(meeting)
    context["controls"] = controls_context(request, context)
    return render(request, "floor/_controls.html", context)


def controls_context(request: HttpRequest, ctx: dict[str, Any]) -> dict[str, Any]:
    """What the person looking may do now: the engine's ``may_*`` answers for the member steps;
    the chair's buttons follow the question's state (a refused gavel shows the engine's ruling)."""
    user = request.user
    role = role_of(user)
    meeting, engine, question = ctx["meeting"], ctx["engine"], ctx["question"]
    state = engine.state.value if engine is not None else None
    at = utc_text(timezone.now())
    out: dict[str, Any] = {"role": role, "conduct": role in (CHAIR, SECRETARIAT), "state": state}
    # A kind put to the vote at once (an appeal, rule 113) has no consensus phase: voting opens once it is put.
    at_once = engine is not None and vote_at_once_refusal(engine.rulebook, engine.kind) is None
    if out["conduct"]:
        out.update(
            items=list(AgendaItem.objects.filter(session=meeting.session_id).order_by("position", "id")),
            questions=list(
                Question.objects.filter(session=meeting.session_id)
                .exclude(state__in=[QState.ADOPTED, QState.REJECTED, QState.WITHDRAWN])
                .order_by("created_at", "id")
            ),
            put=state in (QState.DRAFTED, QState.DEFERRED),
            gavel=state in (QState.OPEN, QState.OBJECTED) and not at_once,
            record_exhausted=state == QState.OBJECTED
            and engine is not None
            and engine.may_record_exhausted(at=at)
            and not engine.exhausted_recorded,
            open_voting=state == QState.VOTE_REQUESTED or (state == QState.OPEN and at_once),
            close_voting=state == QState.VOTING,
            announce=engine is not None and engine.may_announce(),
            delegations=list(
                Delegation.objects.filter(session=meeting.session_id).select_related("actor", "participant")
            ),
        )
        return out
    key = own_delegation(user) if role in (DELEGATE, OBSERVER) else None
    mine = (
        Delegation.objects.filter(session=meeting.session_id, actor__key=key).select_related("actor").first()
        if key
        else None
    )
    out.update(acts_for=key, delegation=mine, observer=role == OBSERVER)
    if mine is None:
        return out
    turns = [t for t in [ctx["speaking"], *ctx["waiting"], *ctx["spoken"]] if t is not None]
    own = [t for t in turns if t.delegation_id == mine.pk]
    out.update(
        inscribed=any(t.state == TurnState.WAITING and t.kind == "statement" for t in own),
        withdraw=[
            t for t in own if t.state == TurnState.WAITING and t.kind in (TurnKind.STATEMENT, TurnKind.REPLY)
        ],
        list_closed=ctx["list"] is not None and ctx["list"].closed,
        attach=[t for t in own if t.state != TurnState.WAITING and t.statement_id is None],
        groups=list(Group.objects.filter(memberships__actor=mine.actor).distinct().order_by("name"))
        if mine.actor
        else [],
    )
    if role == DELEGATE and mine.standing == Standing.MEMBER:
        out["appeal"] = _appealable(ctx, engine)
    if engine is not None and question is not None and role == DELEGATE:
        out.update(
            object=engine.may_object(key, at=at),
            withdraw_objection=engine.may_withdraw_objection(key, at=at),
            request_vote=engine.may_request_vote(key, at=at),
            disassociate=engine.may_disassociate(key, ["-"], at=at),
            cast=engine.may_cast(key, "yes", at=at),
            voted=engine.ballots.get(key),
        )
    return out


def _appealable(ctx: dict[str, Any], engine: Any) -> Any:
    """The chair's latest ruling on this list, if a Member State may appeal against it now (rule 113):
    not yet appealed, no other appeal or point of order pending, no vote under way, and a body that
    can put the appeal to the vote. ``do_appeal_ruling`` checks all of it again."""
    if ctx["appeal"] is not None or ctx["order"] is not None:
        return None
    if engine is not None and engine.state.value in (QState.VOTING, QState.VOTING_CLOSED):
        return None
    latest = next(
        (t for t in reversed(ctx["spoken"]) if t.kind == TurnKind.POINT_OF_ORDER and t.ruling), None
    )
    if latest is None or latest.appeal_id is not None:
        return None
    rulebook = rulebook_named(ctx["meeting"].session.body.rulebook)
    if vote_at_once_refusal(rulebook, "appeal") is not None:
        return None
    return latest


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise actions.Invalid(
            _("%(field)s: a whole number, not %(value)r.") % {"field": field, "value": value}
        ) from None


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def take_floor_step(user: Any, meeting: Meeting, step: str, data: Any) -> str:
    """Call the one action for ``step``; return what to tell the person who acted."""
    member = (data.get("member") or "").strip() or None
    if step in actions.CHAIR_STEPS or step in actions.MEMBER_STEPS:
        paragraphs = data.get("paragraphs") or ""
        actions.do_question_step(
            user,
            meeting,
            step,
            member=member,
            method=data.get("method") or "recorded",
            seed=data.get("seed") or None,
            vote=data.get("vote") or "",
            paragraphs=_lines(paragraphs) if isinstance(paragraphs, str) else paragraphs,
        )
        return str(QUESTION_MESSAGES.get(step, _("Recorded.")))
    if step == "take_up":
        item = question = None
        if data.get("item"):
            item = AgendaItem.objects.filter(
                pk=_int(data["item"], _("Item")), session=meeting.session_id
            ).first()
            if item is None:
                raise actions.Invalid(_("Item: not on the agenda of this session."))
        if data.get("question"):
            question = Question.objects.filter(pk=_int(data["question"], _("Question"))).first()
            if question is None:
                raise actions.Invalid(_("Question: no such question."))
        actions.do_take_up(user, meeting, item=item, question=question)
        return _("Taken up.")
    if step in ("inscribe", "reply"):
        group = None
        if data.get("on_behalf_of"):
            group = Group.objects.filter(key=data["on_behalf_of"]).first()
            if group is None:
                raise actions.Invalid(_("Group: no such group."))
        actions.do_inscribe(user, meeting, member=member, on_behalf_of=group, reply=step == "reply")
        return (
            _("Inscribed on the list of speakers.") if step == "inscribe" else _("Right of reply requested.")
        )
    if step == "point_of_order":
        actions.do_raise_point_of_order(
            user, meeting, member=member, on_conduct_of_vote=bool(data.get("on_conduct_of_vote"))
        )
        return _("Point of order raised.")
    if step == "appeal":
        actions.do_appeal_ruling(user, meeting, _int(data.get("turn"), _("Ruling")), member=member)
        return _("The ruling is appealed; the appeal is put to the vote.")
    if step == "rule":
        actions.do_rule_on_point_of_order(user, meeting, data.get("ruling") or "")
        return _("Ruling recorded.")
    if step == "reorder":
        actions.do_reorder(
            user, meeting, _int(data.get("turn"), _("Speaker")), _int(data.get("position"), _("Position"))
        )
        return _("List reordered.")
    if step == "close_list":
        actions.do_close_list(user, meeting)
        return _("The list of speakers is closed.")
    if step == "reopen_list":
        actions.do_reopen_list(user, meeting)
        return _("The list of speakers is reopened.")
    if step == "withdraw_inscription":
        turn = actions.do_withdraw_inscription(user, meeting, _int(data.get("turn"), _("Speaker")))
        if may_conduct(user):
            return _("%(name)s is struck from the list of speakers.") % {"name": turn.delegation.name}
        if turn.kind == TurnKind.REPLY:
            return _("The request for the right of reply is withdrawn.")
        return _("Withdrawn from the list of speakers.")
    if step == "give_floor":
        turn = data.get("turn")
        actions.do_give_floor(user, meeting, _int(turn, _("Speaker")) if turn else None)
        return _("Floor given.")
    if step == "start_clock":
        actions.do_start_clock(user, meeting)
        return _("Clock started.")
    if step == "stop_clock":
        actions.do_stop_clock(user, meeting)
        return _("Clock stopped.")
    if step == "time_limit":
        actions.do_set_time_limit(user, meeting, _int(data.get("seconds"), _("Time limit")))
        return _("Time limit set.")
    if step == "attach_statement":
        actions.do_attach_statement(
            user, meeting, _int(data.get("turn"), _("Turn")), data.get("text") or "", data.get("title") or ""
        )
        return _("Statement attached.")
    raise actions.Invalid(_("Step %(step)r: not a step on the floor.") % {"step": step})


QUESTION_MESSAGES = {
    "put": _("The question is put: is there any objection?"),
    "gavel": _("It is so decided."),
    "object": _("Objection recorded."),
    "withdraw_objection": _("Objection withdrawn."),
    "cast": _("Your vote is recorded."),
    "open_voting": _("Voting is open."),
    "close_voting": _("Voting is closed."),
    "announce": _("Result announced."),
}

CODES = {403: "forbidden", 409: "out_of_order", 400: "invalid"}


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "floor"


@roles_required(*EVERYONE_ACTING)
def floor_act(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    console = "chair" if may_conduct(request.user) else "delegate"
    if request.method != "POST":
        return redirect(f"floor-{console}", meeting_id=meeting.pk)
    step = request.POST.get("step", "")
    try:
        message = take_floor_step(request.user, meeting, step, request.POST)
    except actions.REFUSALS as exc:
        status = actions.refusal_status(exc)
        if _wants_json(request):
            return JsonResponse(
                {
                    "error": {
                        "status": status,
                        "code": CODES[status],
                        "message": str(exc),
                        "details": {"step": step},
                    }
                },
                status=status,
            )
        context = _page(request, meeting, console, error=str(exc))
        return render(request, "floor/screen.html", context, status=status)
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    messages.success(request, message)
    return redirect(f"floor-{console}", meeting_id=meeting.pk)
