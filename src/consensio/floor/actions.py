"""Writes for the floor: one ``do_*`` function per thing the chair or a delegation does.

Each action runs in one transaction: it checks who may act (``floor.access``,
``decisions.access``) and the floor's own rules of order (rules 109-115 and 113 as
summarised in research/domain.md §2.10 and §2.12), raising before anything is written;
changes the rows; appends a ``floor.<step>`` journal entry; and queues the floor's live
regions for after the commit (``floor.regions.send_regions``).

Steps on the question before the body (put, object, gavel, vote ...) are the decisions
app's actions, called as they are: their rules, refusals, journal entries and fragments
stay theirs; the floor only adds its own regions to what is sent. The engine is asked
whether a point of order is in order while a question is before the body (rule 128),
never second-guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensio.actors.actions import StatementRejected, do_save_statement
from consensio.core.access import OBSERVER, role_of
from consensio.decisions import actions as decisions
from consensio.decisions.access import Forbidden, may_conduct, require_conduct
from consensio.decisions.access import refusal_status as decisions_refusal_status
from consensio.decisions.models import Kind as QKind
from consensio.decisions.models import Question
from consensio.decisions.models import State as QState
from consensio.engine.procedure import ProcedureError
from consensio.engine.procedure.question import vote_at_once_refusal
from consensio.floor.access import delegation_for
from consensio.floor.models import Floor, SpeakersList, Turn, TurnKind, TurnState
from consensio.floor.regions import APPEAL_DISPOSED, current_item, floor_of, send_regions
from consensio.forum.models import AgendaItem, Meeting, Standing
from consensio.records.journal import append_journal

__all__ = [
    "Forbidden",
    "Invalid",
    "OutOfOrder",
    "do_appeal_ruling",
    "do_attach_statement",
    "do_close_list",
    "do_give_floor",
    "do_inscribe",
    "do_question_step",
    "do_raise_point_of_order",
    "do_reorder",
    "do_reopen_list",
    "do_rule_on_point_of_order",
    "do_set_time_limit",
    "do_start_clock",
    "do_stop_clock",
    "do_take_up",
    "do_withdraw_inscription",
]

Invalid = decisions.Invalid


class OutOfOrder(Exception):
    """The step is not in order on the floor now (the list is closed, nobody has the floor ...)."""


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _who(user: Any) -> str | None:
    return user.get_username() if getattr(user, "is_authenticated", False) else None


def _journal(entry: str, meeting: Meeting, user: Any, **data: Any) -> None:
    append_journal(
        f"floor.{entry}", {"meeting": meeting.pk, "session": meeting.session_id, "user": _who(user), **data}
    )


def _floor(meeting: Meeting) -> Floor:
    floor, _created = Floor.objects.select_for_update().get_or_create(meeting=meeting)
    return floor


def _list(meeting: Meeting) -> SpeakersList:
    """The speakers list of the item on the floor, locked; created on first use."""
    item = current_item(meeting, floor_of(meeting))
    if item is None:
        raise OutOfOrder(_("No agenda item is before the meeting: the chair takes one up first."))
    lst, _created = SpeakersList.objects.get_or_create(item=item)
    return SpeakersList.objects.select_for_update().get(pk=lst.pk)


def _label(turn: Turn) -> str:
    return turn.delegation.actor.key if turn.delegation.actor else turn.delegation.participant.key  # type: ignore[union-attr]


# --- order of speaking --------------------------------------------------------------------------


def precedence(turn: Turn) -> int:
    """Where a new inscription goes: points of order first, then speakers for groups, then
    Member States, then observer States and organizations, then other participants (after
    the Member States on each item, research/domain.md §7.2), and replies after the list."""
    if turn.kind == TurnKind.POINT_OF_ORDER:
        return 0
    if turn.kind == TurnKind.REPLY:
        return 5
    if turn.on_behalf_of_id is not None:
        return 1
    delegation = turn.delegation
    if delegation.standing == Standing.MEMBER:
        return 2
    if delegation.actor_id is not None or getattr(delegation.participant, "kind", "") == "igo":
        return 3
    return 4


#: The states of a turn still before the chair: on the list, or with the floor.
PENDING = (TurnState.WAITING, TurnState.SPEAKING)


def _waiting(lst: SpeakersList) -> list[Turn]:
    return list(
        lst.turns.filter(state=TurnState.WAITING)
        .select_related("delegation__actor", "delegation__participant")
        .order_by("position", "id")
    )


def _renumber(turns: Sequence[Turn]) -> None:
    for position, turn in enumerate(turns, start=1):
        if turn.position != position:
            turn.position = position
            turn.save(update_fields=["position"])


def _place(lst: SpeakersList, turn: Turn) -> None:
    """Insert ``turn`` before the first waiting speaker of a later precedence; keep the chair's order otherwise."""
    waiting = [t for t in _waiting(lst) if t.pk != turn.pk]
    rank = precedence(turn)
    at = next((i for i, t in enumerate(waiting) if precedence(t) > rank), len(waiting))
    waiting.insert(at, turn)
    _renumber(waiting)


def _inscription(
    user: Any, meeting: Meeting, lst: SpeakersList, kind: str, member: str | None, **extra: Any
) -> Turn:
    delegation = delegation_for(user, meeting, member)
    if lst.turns.filter(delegation=delegation, kind=kind, state=TurnState.WAITING).exists():
        raise OutOfOrder(
            _("%(name)s is already on the list for this item (%(kind)s).")
            % {"name": delegation.name, "kind": TurnKind(kind).label}
        )
    turn = Turn(
        speakers=lst,
        delegation=delegation,
        kind=kind,
        requested_at=timezone.now(),
        requested_by=_user(user),
        position=10_000,
        **extra,
    )
    try:
        with transaction.atomic():
            turn.save()
    except IntegrityError:
        raise OutOfOrder(
            _("%(name)s is already on the list for this item.") % {"name": delegation.name}
        ) from None
    _place(lst, turn)
    return turn


@transaction.atomic
def do_inscribe(
    user: Any, meeting: Meeting, *, member: str | None = None, on_behalf_of: Any = None, reply: bool = False
) -> Turn:
    """Inscribe a delegation on the list of the item on the floor (rule 109), or ask for the right of reply.

    A statement for a group goes before the individual States; once the chair has closed
    the list only the right of reply may still be accorded (rule 115).
    """
    lst = _list(meeting)
    kind = TurnKind.REPLY if reply else TurnKind.STATEMENT
    if lst.closed and not reply:
        raise OutOfOrder(
            _("Rule 115: the list of speakers is closed; only the right of reply may be accorded.")
        )
    if on_behalf_of is not None and reply:
        raise Invalid(_("A reply is made for one's own delegation, not on behalf of a group."))
    turn = _inscription(user, meeting, lst, kind, member, on_behalf_of=on_behalf_of)
    _journal(
        "reply_requested" if reply else "inscribed",
        meeting,
        user,
        item=lst.item_id,
        turn=turn.pk,
        delegation=_label(turn),
        on_behalf_of=on_behalf_of.key if on_behalf_of is not None else None,
        position=turn.position,
    )
    send_regions(meeting, "speakers")
    return turn


@transaction.atomic
def do_raise_point_of_order(
    user: Any, meeting: Meeting, *, member: str | None = None, on_conduct_of_vote: bool = False
) -> Turn:
    """A point of order goes ahead of every speaker; the chair rules on it at once (rule 113).

    A second point of order waits until the first is disposed of. While a question is before
    the body the engine says whether it is in order (during voting, only on the conduct of
    the vote, rule 128); nothing is written if it is not.
    """
    lst = _list(meeting)
    if lst.turns.filter(kind=TurnKind.POINT_OF_ORDER, state__in=PENDING).exists():
        raise OutOfOrder(
            _("Rule 113: a point of order is pending; the chair rules on it before another is raised.")
        )
    if _pending_appeal(lst) is not None:
        raise OutOfOrder(
            _(
                "Rule 113: an appeal against the ruling of the chair is pending; no point of order is "
                "raised until the appeal is disposed of."
            )
        )
    floor = floor_of(meeting)
    if floor is not None and floor.question_id is not None:
        delegation = delegation_for(user, meeting, member)
        key = delegation.actor.key if delegation.actor else ""
        engine = decisions.load_question(Question.objects.get(pk=floor.question_id))
        engine.point_of_order(
            key, on_conduct_of_vote=on_conduct_of_vote, at=timezone.now()
        )  # raises if out of order
    turn = _inscription(
        user, meeting, lst, TurnKind.POINT_OF_ORDER, member, on_conduct_of_vote=on_conduct_of_vote
    )
    _journal(
        "point_of_order",
        meeting,
        user,
        item=lst.item_id,
        turn=turn.pk,
        delegation=_label(turn),
        on_conduct_of_vote=on_conduct_of_vote,
    )
    send_regions(meeting, "speakers")
    return turn


@transaction.atomic
def do_rule_on_point_of_order(user: Any, meeting: Meeting, ruling: str) -> Turn:
    """The chair's ruling disposes of the pending point of order."""
    require_conduct(user)
    ruling = ruling.strip()
    if not ruling:
        raise Invalid(_("Ruling: say how the chair rules on the point of order."))
    lst = _list(meeting)
    turn = lst.turns.filter(kind=TurnKind.POINT_OF_ORDER, state__in=PENDING).first()
    if turn is None:
        raise OutOfOrder(_("No point of order is pending."))
    now = timezone.now()
    turn.used_seconds = turn.used_at(now)
    turn.clock_started_at = None
    turn.state, turn.ruling, turn.ended_at = TurnState.DONE, ruling, now
    turn.given_at = turn.given_at or now
    turn.save()
    _renumber(_waiting(lst))
    _journal("ruling", meeting, user, item=lst.item_id, turn=turn.pk, delegation=_label(turn), ruling=ruling)
    send_regions(meeting, "speakers")
    return turn


@transaction.atomic
def do_reorder(user: Any, meeting: Meeting, turn_id: int, position: int) -> Turn:
    """The chair moves a waiting speaker to ``position`` (1 = next)."""
    require_conduct(user)
    lst = _list(meeting)
    waiting = _waiting(lst)
    turn = next((t for t in waiting if t.pk == turn_id), None)
    if turn is None:
        raise Invalid(_("Speaker: no such speaker waiting on this list."))
    if not 1 <= position <= len(waiting):
        raise Invalid(
            _("Position: between 1 and %(n)d, not %(position)d.") % {"n": len(waiting), "position": position}
        )
    waiting.remove(turn)
    waiting.insert(position - 1, turn)
    _renumber(waiting)
    _journal(
        "reordered", meeting, user, item=lst.item_id, turn=turn.pk, delegation=_label(turn), position=position
    )
    send_regions(meeting, "speakers")
    return turn


@transaction.atomic
def do_close_list(user: Any, meeting: Meeting) -> SpeakersList:
    """The chair declares the list closed (rule 115): no more statements are inscribed."""
    require_conduct(user)
    lst = _list(meeting)
    if lst.closed:
        raise OutOfOrder(_("The list of speakers is already closed."))
    lst.closed_at, lst.closed_by = timezone.now(), _user(user)
    lst.save(update_fields=["closed_at", "closed_by"])
    _journal("list_closed", meeting, user, item=lst.item_id)
    send_regions(meeting, "speakers")
    return lst


@transaction.atomic
def do_reopen_list(user: Any, meeting: Meeting) -> SpeakersList:
    """The chair reopens a closed list: statements may be inscribed again.

    Rule 115 lets the chair declare the list closed; it says nothing of reopening it. Reopening
    is at the chair's discretion in practice (typically when the body wishes to hear further
    speakers on the item), not under a rule number of its own.
    """
    require_conduct(user)
    lst = _list(meeting)
    if not lst.closed:
        raise OutOfOrder(_("The list of speakers is not closed; there is nothing to reopen."))
    closed_at = lst.closed_at
    lst.closed_at, lst.closed_by = None, None
    lst.save(update_fields=["closed_at", "closed_by"])
    _journal(
        "list_reopened",
        meeting,
        user,
        item=lst.item_id,
        closed_at=closed_at.isoformat() if closed_at is not None else None,
    )
    send_regions(meeting, "speakers")
    return lst


@transaction.atomic
def do_withdraw_inscription(user: Any, meeting: Meeting, turn_id: int) -> Turn:
    """A delegation withdraws its own inscription (a statement or a right of reply) while it is
    still waiting; the chair or the secretariat may strike a waiting speaker on request.

    Once the speaker has been given the floor, or has spoken, there is nothing to withdraw. A
    point of order is disposed of by the chair's ruling (rule 113), not withdrawn from the list.
    The remaining speakers move up; the delegation may inscribe again later.
    """
    found = (
        Turn.objects.filter(pk=turn_id, speakers__item__session=meeting.session_id)
        .values_list("speakers_id", flat=True)
        .first()
    )
    if found is None:
        raise Invalid(_("Speaker: no such inscription at this meeting's session."))
    # The list first, then the turn: the order every other action on the list locks in.
    lst = SpeakersList.objects.select_for_update().get(pk=found)
    turn = (
        Turn.objects.select_for_update(of=("self",))
        .select_related("delegation__actor", "delegation__participant")
        .get(pk=turn_id)
    )
    conducts = may_conduct(user)
    if not conducts:
        own = delegation_for(user, meeting, _label(turn))
        if own.pk != turn.delegation_id:
            raise Forbidden(
                _("Only %(name)s itself, the chair or the secretariat withdraws its inscription.")
                % {"name": turn.delegation.name}
            )
    if turn.kind == TurnKind.POINT_OF_ORDER:
        raise OutOfOrder(
            _("Rule 113: the chair rules on a point of order; it is not withdrawn from the list of speakers.")
        )
    if turn.state == TurnState.SPEAKING:
        raise OutOfOrder(
            _("%(name)s has the floor: an inscription is withdrawn only while it is waiting.")
            % {"name": turn.delegation.name}
        )
    if turn.state == TurnState.DONE:
        raise OutOfOrder(
            _("%(name)s has already spoken: an inscription is withdrawn only while it is waiting.")
            % {"name": turn.delegation.name}
        )
    if turn.state != TurnState.WAITING:
        raise OutOfOrder(_("%(name)s is no longer on the list of speakers.") % {"name": turn.delegation.name})
    turn.state, turn.ended_at = TurnState.WITHDRAWN, timezone.now()
    turn.save(update_fields=["state", "ended_at"])
    _renumber(_waiting(lst))
    _journal(
        "inscription_withdrawn",
        meeting,
        user,
        item=lst.item_id,
        turn=turn.pk,
        delegation=_label(turn),
        kind=turn.kind,
        struck=conducts,
    )
    send_regions(meeting, "speakers")
    return turn


@transaction.atomic
def do_set_time_limit(user: Any, meeting: Meeting, seconds: int) -> SpeakersList:
    """The time allowed for each statement on this item (rule 114)."""
    require_conduct(user)
    if not 10 <= seconds <= 3600:
        raise Invalid(_("Time limit: between 10 seconds and one hour, not %(s)d seconds.") % {"s": seconds})
    lst = _list(meeting)
    lst.time_limit = seconds
    lst.save(update_fields=["time_limit"])
    _journal("time_limit", meeting, user, item=lst.item_id, seconds=seconds)
    send_regions(meeting, "speakers")
    return lst


def _end(turn: Turn, now: Any) -> None:
    turn.used_seconds = turn.used_at(now)
    turn.clock_started_at = None
    turn.state, turn.ended_at = TurnState.DONE, now
    turn.save()


@transaction.atomic
def do_give_floor(user: Any, meeting: Meeting, turn_id: int | None = None) -> Turn:
    """The chair gives the floor to the next speaker (or the one named); whoever spoke before is done.

    A pending point of order is ruled on first: the chair may give its author the floor,
    but no one else.
    """
    require_conduct(user)
    lst = _list(meeting)
    waiting = _waiting(lst)
    speaking = lst.turns.filter(state=TurnState.SPEAKING).first()
    order = next((t for t in waiting if t.kind == TurnKind.POINT_OF_ORDER), None)
    if speaking is not None and speaking.kind == TurnKind.POINT_OF_ORDER:
        raise OutOfOrder(_("Rule 113: rule on the point of order before giving the floor to anyone else."))
    if turn_id is None:
        if not waiting:
            raise OutOfOrder(_("No one is waiting on the list of speakers."))
        turn = waiting[0]
    else:
        found = next((t for t in waiting if t.pk == turn_id), None)
        if found is None:
            raise Invalid(_("Speaker: no such speaker waiting on this list."))
        turn = found
    if order is not None and turn.pk != order.pk:
        raise OutOfOrder(_("Rule 113: a point of order is pending; the chair hears it first."))
    now = timezone.now()
    if speaking is not None:
        _end(speaking, now)
    turn.state, turn.given_at = TurnState.SPEAKING, now
    turn.save(update_fields=["state", "given_at"])
    _renumber(_waiting(lst))
    _journal(
        "floor_given", meeting, user, item=lst.item_id, turn=turn.pk, delegation=_label(turn), kind=turn.kind
    )
    send_regions(meeting, "speakers")
    return turn


def _speaking(lst: SpeakersList) -> Turn:
    turn = lst.turns.filter(state=TurnState.SPEAKING).first()
    if turn is None:
        raise OutOfOrder(_("No one has the floor: give the floor first."))
    return turn


@transaction.atomic
def do_start_clock(user: Any, meeting: Meeting) -> Turn:
    """Start (or resume) the speaker's clock; every screen counts down from the stored start."""
    require_conduct(user)
    lst = _list(meeting)
    turn = _speaking(lst)
    if turn.clock_started_at is not None:
        raise OutOfOrder(_("The clock is already running."))
    turn.clock_started_at = timezone.now()
    turn.save(update_fields=["clock_started_at"])
    _journal("clock_started", meeting, user, item=lst.item_id, turn=turn.pk, used=turn.used_seconds)
    send_regions(meeting, "speakers")
    return turn


@transaction.atomic
def do_stop_clock(user: Any, meeting: Meeting) -> Turn:
    require_conduct(user)
    lst = _list(meeting)
    turn = _speaking(lst)
    if turn.clock_started_at is None:
        raise OutOfOrder(_("The clock is not running."))
    turn.used_seconds = turn.used_at()
    turn.clock_started_at = None
    turn.save(update_fields=["clock_started_at", "used_seconds"])
    _journal("clock_stopped", meeting, user, item=lst.item_id, turn=turn.pk, used=turn.used_seconds)
    send_regions(meeting, "speakers")
    return turn


@transaction.atomic
def do_attach_statement(user: Any, meeting: Meeting, turn_id: int, text: str, title: str = "") -> Turn:
    """Attach the statement actually delivered to a turn, saved through the statements parser.

    A joint statement names its parties ("... on behalf of ..."); a text that names none is
    recorded as the delegation's own (its first line says on whose behalf). The speaker's
    delegation or the secretariat attaches it; the chair does not.
    """
    turn = (
        Turn.objects.select_for_update(of=("self",))
        .select_related("delegation__actor", "delegation__participant", "speakers__item")
        .filter(pk=turn_id, speakers__item__session=meeting.session_id)
        .first()
    )
    if turn is None:
        raise Invalid(_("Turn: no such turn at this meeting's session."))
    delegation = delegation_for(
        user, meeting, turn.delegation.actor.key if turn.delegation.actor else turn.delegation.participant.key
    )  # type: ignore[union-attr]
    if delegation.pk != turn.delegation_id:
        raise Forbidden(_("Only the speaker's own delegation or the secretariat attaches the statement."))
    if turn.state == TurnState.WAITING:
        raise OutOfOrder(_("%(name)s has not had the floor yet.") % {"name": turn.delegation.name})
    if turn.state == TurnState.WITHDRAWN:
        raise OutOfOrder(
            _("%(name)s withdrew from the list without speaking.") % {"name": turn.delegation.name}
        )
    if turn.delegation.actor is None:
        raise Invalid(
            _("%(name)s is not in the roster of States and organizations; its statement cannot be parsed.")
            % {"name": turn.delegation.name}
        )
    text = text.strip()
    if not text:
        raise Invalid(_("Statement: paste the text that was delivered."))
    title = title.strip() or _("Statement by %(name)s on %(item)s") % {
        "name": turn.delegation.name,
        "item": turn.speakers.item,
    }
    try:
        statement = do_save_statement(user, title=title, text=text, delivered_on=meeting.date)
    except StatementRejected as exc:
        if "no list of States found" not in str(exc):
            raise Invalid(str(exc)) from None
        header = _("On behalf of %(name)s") % {"name": turn.delegation.actor.name}
        try:
            statement = do_save_statement(
                user, title=title, text=f"{header}\n\n{text}", delivered_on=meeting.date
            )
        except StatementRejected as again:
            raise Invalid(str(again)) from None
    turn.statement = statement
    turn.save(update_fields=["statement"])
    _journal("statement", meeting, user, turn=turn.pk, delegation=_label(turn), statement=statement.pk)
    send_regions(meeting, "speakers")
    return turn


# --- appeals against the chair's ruling (rule 113) ---------------------------------------------


def _pending_appeal(lst: SpeakersList) -> Turn | None:
    """The ruling on this list whose appeal is not yet disposed of (voted on, or withdrawn)."""
    return (
        lst.turns.filter(appeal__isnull=False)
        .exclude(appeal__state__in=APPEAL_DISPOSED)
        .select_related("appeal")
        .first()
    )


@transaction.atomic
def do_appeal_ruling(user: Any, meeting: Meeting, turn_id: int, *, member: str | None = None) -> Question:
    """A Member State appeals against the chair's ruling on a point of order (rule 113).

    "The appeal shall be immediately put to the vote, and the ruling of the Chair shall stand
    unless overruled by a majority of the representatives present and voting" (research/domain.md
    §2.10). The question put is whether to overrule the ruling: adopted = overruled; rejected (a
    tie or more noes) = the ruling stands. A delegate appeals for their own delegation only; an
    observer, who cannot vote, may not appeal. One appeal per ruling, against the latest ruling
    on the list, while no other appeal on the list is pending; a body that cannot vote on it
    (consensus-only) refuses it here and the ruling stands.

    The appeal is drafted and put through the decisions actions (their rules, events and journal
    entries), as the procedure's own steps: the rule puts the appeal to the vote at once, so the
    draft and the put are recorded by the system (``user=None``) once the appellant's right to
    appeal has been checked here, and ``floor.appeal`` journals who appealed. The appeal becomes
    the question before the body, so that the chair's console offers to open the vote.
    """
    lst = _list(meeting)
    if role_of(user) == OBSERVER:
        raise Forbidden(
            _(
                "Rule 113: an appeal against the ruling of the chair is put to the vote, and observers "
                "do not vote: an observer may not appeal."
            )
        )
    delegation = delegation_for(user, meeting, member)
    if delegation.standing != Standing.MEMBER or delegation.actor is None:
        raise Forbidden(
            _("Rule 113: only a Member State, which votes, may appeal; %(name)s does not vote here.")
            % {"name": delegation.name}
        )
    turn = (
        Turn.objects.select_for_update(of=("self",))
        .select_related("delegation__actor", "delegation__participant")
        .filter(pk=turn_id, speakers=lst)
        .first()
    )
    if turn is None or turn.kind != TurnKind.POINT_OF_ORDER:
        raise Invalid(_("Ruling: no such point of order on the list of the item before the meeting."))
    if not turn.ruling:
        raise OutOfOrder(_("Rule 113: the chair has not yet ruled on this point of order."))
    if turn.appeal_id is not None:
        raise OutOfOrder(_("Rule 113: this ruling has already been appealed; it is appealed once."))
    if _pending_appeal(lst) is not None:
        raise OutOfOrder(
            _("Rule 113: another appeal is pending; it is disposed of before this ruling is appealed.")
        )
    if lst.turns.filter(kind=TurnKind.POINT_OF_ORDER, state__in=PENDING).exists():
        raise OutOfOrder(_("Rule 113: another point of order is pending; its ruling has not been given."))
    latest = (
        lst.turns.filter(kind=TurnKind.POINT_OF_ORDER, state=TurnState.DONE)
        .exclude(ruling="")
        .order_by("-ended_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != turn.pk:
        raise OutOfOrder(
            _(
                "Rule 113: the appeal is made against the chair's latest ruling, at once; this ruling is not the latest."
            )
        )
    floor = _floor(meeting)
    if floor.question_id is not None:
        before = Question.objects.filter(pk=floor.question_id).values_list("state", flat=True).first()
        if before in (QState.VOTING, QState.VOTING_CLOSED):
            raise OutOfOrder(
                _(
                    "Rule 128: voting has begun on the question before the body; the appeal is made once "
                    "the result is announced."
                )
            )
    session = meeting.session
    refusal = vote_at_once_refusal(decisions.rulebook_named(session.body.rulebook), QKind.APPEAL.value)
    if refusal is not None:
        raise refusal
    appellant = delegation.actor.key
    subject = _("Appeal against the Chair's ruling on the point of order of %(who)s: %(ruling)s") % {
        "who": turn.delegation.name,
        "ruling": turn.ruling,
    }
    question = decisions.do_draft_question(
        None,
        body=session.body,
        session=session,
        agenda_item=lst.item,
        kind=QKind.APPEAL.value,
        subject=subject,
        sponsors=[appellant],
    )
    engine = decisions.load_question(question)
    if appellant not in engine.electorate.members:
        raise Forbidden(
            _("Rule 113: %(name)s does not vote in this body, so it may not appeal.")
            % {"name": delegation.name}
        )
    decisions.do_put_question(None, question)
    turn.appeal = question
    turn.save(update_fields=["appeal"])
    floor.question = question
    floor.save()
    _journal(
        "appeal",
        meeting,
        user,
        item=lst.item_id,
        turn=turn.pk,
        point_of_order_by=_label(turn),
        delegation=appellant,
        ruling=turn.ruling,
        question=question.pk,
    )
    send_regions(meeting)
    return question


# --- the item and the question before the body ---------------------------------------------------


@transaction.atomic
def do_take_up(
    user: Any, meeting: Meeting, *, item: AgendaItem | None = None, question: Question | None = None
) -> Floor:
    """The chair takes up an agenda item and, if named, the question now before the body."""
    require_conduct(user)
    if item is not None and item.session_id != meeting.session_id:
        raise Invalid(_("Item: %(item)s is not on the agenda of this session.") % {"item": item})
    if question is not None and question.session_id != meeting.session_id:
        raise Invalid(_("Question: it is not before this session."))
    floor = _floor(meeting)
    floor.item = item or (
        question.agenda_item if question is not None and question.agenda_item_id else floor.item
    )
    floor.question = question
    floor.save()
    _journal(
        "taken_up",
        meeting,
        user,
        item=floor.item_id,
        question=question.pk if question is not None else None,
    )
    send_regions(meeting)
    return floor


#: The question's steps a floor screen offers, each one decisions action.
CHAIR_STEPS = ("put", "gavel", "defer", "record_exhausted", "open_voting", "close_voting", "announce")
MEMBER_STEPS = ("object", "withdraw_objection", "request_vote", "cast", "disassociate")


@transaction.atomic
def do_question_step(user: Any, meeting: Meeting, step: str, **data: Any) -> object:
    """Take one step on the question before the body through the decisions action, then
    send the floor's regions. A refusal is the decisions app's (or the engine's) own."""
    floor = floor_of(meeting)
    if floor is None or floor.question_id is None:
        raise OutOfOrder(_("No question is before the body: the chair takes one up first."))
    question = Question.objects.select_related("body", "session").get(pk=floor.question_id)
    member = data.get("member") or None
    if step == "put":
        event = decisions.do_put_question(user, question)
    elif step == "gavel":
        event = decisions.do_gavel(user, question)
    elif step == "defer":
        event = decisions.do_defer(user, question)
    elif step == "record_exhausted":
        event = decisions.do_record_exhausted(user, question)
    elif step == "open_voting":
        event = decisions.do_open_voting(
            user, question, data.get("method") or "recorded", None, data.get("seed")
        )
    elif step == "close_voting":
        event = decisions.do_close_voting(user, question)
    elif step == "announce":
        event = decisions.do_announce(user, question)
    elif step == "object":
        event = decisions.do_object(user, question, member)
    elif step == "withdraw_objection":
        event = decisions.do_withdraw_objection(user, question, member)
    elif step == "request_vote":
        event = decisions.do_request_vote(user, question, member)
    elif step == "cast":
        event = decisions.do_cast_ballot(user, question, data.get("vote") or "", member)
    elif step == "disassociate":
        event = decisions.do_disassociate(user, question, data.get("paragraphs") or [], member)
    else:
        raise Invalid(
            _("Step %(step)r: not a step on the floor (known: %(known)s).")
            % {"step": step, "known": ", ".join(CHAIR_STEPS + MEMBER_STEPS)}
        )
    # The speakers region shows whether a ruling under appeal stands or is overruled.
    regions = (
        ("now", "board", "decided", "speakers")
        if question.kind == QKind.APPEAL
        else ("now", "board", "decided")
    )
    send_regions(meeting, *regions)
    return event


REFUSALS = (Forbidden, Invalid, OutOfOrder, ProcedureError)


def refusal_status(exc: Exception) -> int:
    """403 for who may act, 409 for a step out of order (the floor's or the procedure's), 400 for
    unusable input: the decisions app's mapping, plus the floor's own out-of-order refusals."""
    if isinstance(exc, OutOfOrder):
        return 409
    return decisions_refusal_status(exc)
