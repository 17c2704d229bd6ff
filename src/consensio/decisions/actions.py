"""Writes for decisions: one ``do_*`` function per step of the procedure.

Each action, in one transaction:

1. locks the question row (``select_for_update``; on SQLite every transaction is IMMEDIATE,
   which already serialises writers);
2. replays the question's events through the engine (``consensio.engine.procedure``), first
   recording the end of a silence period that has run out unbroken;
3. applies the step; a refusal raises the engine's typed error (``OutOfOrder``,
   ``NotAllowed``, ``BallotError``, naming the rule), or ``Forbidden``/``Invalid`` from
   here, before anything is written;
4. stores the event (and, for a ballot, the ``Ballot`` row whose unique constraint refuses a
   second ballot even under concurrency), refreshes the listing caches;
5. appends a ``decision.<step>`` journal entry per event;
6. queues the live fragments (the page's own partials) for after the commit.

Signatures are ``do_<step>(user, question, ...)``: ``user`` is the person acting (``None`` is
the system: demo loader, ``consensio procedure close-due``), ``question`` a
``decisions.Question``; a member-side step takes ``member=`` (an actor key), which a delegate
may leave out or set to their own delegation only (``decisions.access``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from consensio.actors.models import Actor
from consensio.core.live import send_on_commit
from consensio.decisions.access import Forbidden, acting_member, require_conduct
from consensio.decisions.models import Ballot, Question, QuestionEvent, State
from consensio.engine.procedure import (
    QUESTION_TYPES,
    BallotError,
    Electorate,
    Event,
    Kind,
    Rulebook,
    RulebookError,
    Vote,
    load_rulebook,
    replay,
)
from consensio.engine.procedure import Question as EngineQuestion
from consensio.engine.procedure.question import CHAIR, DEFAULT_QUESTION_TYPE, parse_utc, utc_text
from consensio.records.journal import append_journal

__all__ = [
    "Forbidden",
    "Invalid",
    "do_announce",
    "do_break_silence",
    "do_cast_ballot",
    "do_circulate_silence",
    "do_close_voting",
    "do_correct_vote",
    "do_defer",
    "do_disassociate",
    "do_draft_question",
    "do_explain",
    "do_gavel",
    "do_object",
    "do_open_voting",
    "do_put_question",
    "do_record_exhausted",
    "do_request_vote",
    "do_reserve",
    "do_settle_due",
    "do_withdraw_objection",
    "load_question",
]


class Invalid(ValueError):
    """Input that cannot be used (unknown rulebook, question type, kind or member); nothing written."""


@lru_cache(maxsize=32)
def rulebook_named(name: str) -> Rulebook:
    """A shipped rulebook, parsed once per process; ``Invalid`` naming the choices if unknown."""
    try:
        return load_rulebook(name)
    except RulebookError as exc:
        raise Invalid(_("Rulebook %(name)s: %(reason)s") % {"name": name, "reason": exc.reason}) from None


def electorate_for(body: Any, session: Any, rulebook: Rulebook) -> Electorate:
    """Who sits in the body for this question.

    The session's accredited delegations when it has any (forum.can_vote says who votes;
    every other State or organization delegation observes); otherwise the body's
    memberships; otherwise every UN Member State, with the non-member observers. A
    regional economic integration organization votes only where the rulebook gives it a
    vote (``voting.reio``), for its member States.
    """
    from consensio.forum.models import BodyMembership, Delegation, Standing, can_vote

    members: set[str] = set()
    observers: set[str] = set()
    if session is not None:
        for d in Delegation.objects.filter(session=session, actor__isnull=False).select_related("actor"):
            (members if can_vote(d) else observers).add(d.actor.key)  # type: ignore[union-attr]
    if not members:
        rows = BodyMembership.objects.filter(body=body, actor__isnull=False).select_related("actor")
        for m in rows:
            voter = m.standing == Standing.MEMBER and m.actor.un_member and m.actor.can_vote  # type: ignore[union-attr]
            (members if voter else observers).add(m.actor.key)  # type: ignore[union-attr]
    if not members:
        for key, un_member, can_vote_, observer in Actor.objects.values_list(
            "key", "un_member", "can_vote", "observer"
        ):
            if un_member and can_vote_:
                members.add(key)
            elif observer:
                observers.add(key)
    reio: dict[str, frozenset[str]] = {}
    if rulebook.reio != "none" and "EU" in observers:
        observers.discard("EU")
        reio["EU"] = frozenset(
            Actor.objects.filter(eu_member=True, key__in=members).values_list("key", flat=True)
        )
    return Electorate(frozenset(members), frozenset(observers - members), reio)


def _now() -> dt.datetime:
    return timezone.now()


def _real(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _username(user: Any) -> str | None:
    return user.get_username() if getattr(user, "is_authenticated", False) else None


def load_question(question: Question, payloads: Sequence[Any] | None = None) -> EngineQuestion:
    """The engine's question, replayed from its stored events (or ``payloads`` already read, in order)."""
    if payloads is None:
        payloads = list(question.events.order_by("seq").values_list("payload", flat=True))
    return replay(payloads, rulebook_named(question.rulebook))


# --- the one write path -------------------------------------------------------------------------


Step = Callable[[EngineQuestion, str], Event]


def _locked(question: Question) -> Question:
    # of=("self",): lock the question row only (PostgreSQL refuses FOR UPDATE on an outer join's nullable side).
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("body", "session")
        .order_by()
        .get(pk=question.pk)
    )


def _record(user: Any, question: Question, step: Step, *, after: Callable[..., None] | None = None) -> Event:
    """Lock, replay, settle an expired silence, apply ``step``, store, journal, send on commit."""
    row = _locked(question)
    engine = load_question(row)
    now = utc_text(_now())
    base = len(engine.history)
    settled = engine.settle(now)
    event = step(engine, now)  # raises the engine's typed error: nothing has been written yet
    _store(user, row, engine, base, ([settled] if settled is not None else []) + [event], after)
    question.state, question.how, question.tally = row.state, row.how, row.tally
    return event


def _store(
    user: Any,
    row: Question,
    engine: EngineQuestion,
    base: int,
    fresh: list[Event],
    after: Callable[..., None] | None = None,
) -> None:
    """Write the events numbered from ``base + 1``, their journal entries and the caches; queue the live fragments."""
    for offset, e in enumerate(fresh):
        seq = base + offset + 1
        QuestionEvent.objects.create(
            question=row,
            seq=seq,
            trigger=e.trigger,
            payload=e.to_payload(),
            at=parse_utc(e.at or utc_text(_now())),
            member=e.by or "",
            user=_real(user),
        )
        if after is not None and e is fresh[-1]:
            after(row, e, user)
        append_journal(
            f"decision.{e.trigger}",
            {
                "question": row.pk,
                "seq": seq,
                "body": row.body.key,
                "session": row.session_id,
                "event": e.to_payload(),
                "user": _username(user),
            },
        )
    listed = (row.state, row.how, row.tally)
    _refresh(row, engine)
    _send_live(row, engine, row_changed=listed != (row.state, row.how, row.tally))


def _refresh(row: Question, engine: EngineQuestion) -> None:
    row.state = engine.state.value
    row.how = engine.how or "" if engine.decided else ""
    row.without_a_vote = bool(
        engine.state.value == State.ADOPTED
        and engine.how == "consensus"
        and (engine.disassociations or any(e.trigger == "object" for e in engine.history))
    )
    row.tally = None
    if engine.result is not None:
        row.tally = {**engine.result.to_dict(), "method": engine.method}
    elif engine.tally is not None:
        row.tally = {**engine.tally.to_dict(), "method": engine.method}
    row.silence_deadline = parse_utc(engine.silence_deadline) if engine.silence_deadline else None
    row.save(update_fields=["state", "how", "without_a_vote", "tally", "silence_deadline"])


def _send_live(row: Question, engine: EngineQuestion, *, row_changed: bool = True) -> None:
    """The status block of the decision page, and the list row when what it shows changed."""
    from consensio.decisions.views import row_context, status_context

    send_on_commit(
        "decisions",
        f"question-{row.pk}-status",
        render_to_string("decisions/_status.html", status_context(row, engine)),
    )
    if row_changed:
        send_on_commit(
            "decisions", f"decision-row-{row.pk}", render_to_string("decisions/_row.html", row_context(row))
        )


def _transactional(fn: Callable[..., Event]) -> Callable[..., Event]:
    atomic = transaction.atomic(fn)

    def run(*args: Any, **kwargs: Any) -> Event:
        try:
            return atomic(*args, **kwargs)
        except IntegrityError:
            # Only the ballot and event-sequence constraints can fire here: another request
            # recorded the same step first. Nothing of this one was kept.
            raise BallotError(
                "Rule 124", _("this ballot was already recorded; a member votes once")
            ) from None

    run.__doc__, run.__name__, run.__wrapped__ = fn.__doc__, fn.__name__, fn  # type: ignore[attr-defined]
    return run


# --- drafting -----------------------------------------------------------------------------------


@transaction.atomic
def do_draft_question(
    user: Any,
    *,
    body: Any,
    kind: str,
    subject: str,
    session: Any = None,
    agenda_item: Any = None,
    question_type: str | None = None,
    sponsors: Iterable[str] = (),
    rulebook: str | None = None,
) -> Question:
    """Draft a question before ``body``; the rulebook defaults to the body's.

    The electorate (members and observers) is fixed in the draft event, so that a later
    accreditation does not change a question already before the body.
    """
    require_conduct(user)
    subject = subject.strip()
    if not subject:
        raise Invalid(_("Subject: say what the body is asked to decide."))
    try:
        kind_value = Kind(kind)
    except ValueError:
        raise Invalid(
            _("Kind %(kind)r is not a kind of question (known: %(known)s).")
            % {"kind": kind, "known": ", ".join(k.value for k in Kind)}
        ) from None
    name = rulebook or body.rulebook
    book = rulebook_named(name)
    if question_type is not None and question_type not in QUESTION_TYPES:
        raise Invalid(
            _("Rulebook %(name)s: unknown question type %(type)r (known: %(known)s).")
            % {"name": name, "type": question_type, "known": ", ".join(QUESTION_TYPES)}
        )
    sponsor_keys = sorted({s.strip().upper() for s in sponsors if s.strip()})
    known = set(Actor.objects.filter(key__in=sponsor_keys).values_list("key", flat=True))
    unknown = [s for s in sponsor_keys if s not in known]
    if unknown:
        raise Invalid(
            _("Sponsors: %(keys)s is not a known State or organization.") % {"keys": ", ".join(unknown)}
        )
    if session is not None and session.body_id != body.pk:
        raise Invalid(
            _("Session: %(session)s is not a session of %(body)s.") % {"session": session, "body": body}
        )
    question_type = question_type or DEFAULT_QUESTION_TYPE[kind_value]
    electorate = electorate_for(body, session, book)
    row = Question.objects.create(
        body=body,
        session=session,
        agenda_item=agenda_item,
        kind=kind_value.value,
        subject=subject,
        rulebook=book.name,
        sponsors=sponsor_keys,
        question_type=question_type,
        state=State.DRAFTED,
        created_by=_real(user),
    )
    engine = EngineQuestion.draft(
        str(row.pk),
        kind_value,
        book,
        electorate,
        subject=subject,
        sponsors=sponsor_keys,
        question_type=question_type,
        at=_now(),
    )
    draft = engine.history[0]
    QuestionEvent.objects.create(
        question=row,
        seq=1,
        trigger="draft",
        payload=draft.to_payload(),
        at=parse_utc(draft.at or utc_text(_now())),
        member=CHAIR,
        user=_real(user),
    )
    append_journal(
        "decision.draft",
        {
            "question": row.pk,
            "seq": 1,
            "body": body.key,
            "session": row.session_id,
            "event": draft.to_payload(),
            "user": _username(user),
        },
    )
    _send_live(row, engine)
    return row


# --- the chair's steps --------------------------------------------------------------------------


@_transactional
def do_put_question(user: Any, question: Question) -> Event:
    """The chair puts the question: "May I take it that the committee wishes to adopt ...?"."""
    require_conduct(user)
    return _record(user, question, lambda q, now: q.put(at=now))


@_transactional
def do_gavel(user: Any, question: Question) -> Event:
    """ "Hearing no objection, it is so decided": refused while any objection stands."""
    require_conduct(user)
    return _record(user, question, lambda q, now: q.gavel(at=now))


@_transactional
def do_defer(user: Any, question: Question) -> Event:
    """Further consultations: the question is set aside and may be put again."""
    require_conduct(user)
    return _record(user, question, lambda q, now: q.defer(at=now))


@_transactional
def do_record_exhausted(user: Any, question: Question) -> Event:
    """The chair records that all efforts at consensus are exhausted (where the rulebook asks it)."""
    require_conduct(user)
    return _record(user, question, lambda q, now: q.record_exhausted(at=now))


@_transactional
def do_open_voting(
    user: Any,
    question: Question,
    method: str = "recorded",
    present: Iterable[str] | None = None,
    seed: str | None = None,
) -> Event:
    """Voting begins (rule 128). ``present`` defaults to every member; ``seed`` draws the roll-call lot."""
    require_conduct(user)

    def step(q: EngineQuestion, now: str) -> Event:
        listed = sorted(q.electorate.members) if present is None else sorted({p.upper() for p in present})
        return q.open_voting(method, listed, seed=seed, at=now)

    return _record(user, question, step)


@_transactional
def do_close_voting(
    user: Any,
    question: Question,
    *,
    yes: int | None = None,
    no: int | None = None,
    abstain: int | None = None,
) -> Event:
    """Voting closes and the ballots are counted; a show of hands gives its counts here."""
    require_conduct(user)
    return _record(user, question, lambda q, now: q.close_voting(yes=yes, no=no, abstain=abstain, at=now))


@_transactional
def do_announce(user: Any, question: Question) -> Event:
    """The chair announces the result, computed by the rulebook's majority for the question's type."""
    require_conduct(user)
    return _record(user, question, lambda q, now: q.announce(at=now))


@_transactional
def do_circulate_silence(user: Any, question: Question, deadline: dt.datetime | str) -> Event:
    """Circulate the text under the silence procedure until ``deadline`` (decision 74/544)."""
    require_conduct(user)
    try:
        when = parse_utc(deadline)
    except ValueError as exc:
        raise Invalid(_("Deadline: %(reason)s") % {"reason": exc}) from None
    return _record(user, question, lambda q, now: q.circulate(when, at=now))


def do_settle_due(user: Any = None, *, now: dt.datetime | None = None) -> list[Question]:
    """Record the end of every silence period that ran out unbroken; returns the questions settled.

    Idempotent: a settled question is no longer under silence, so a second run finds nothing.
    Each question is settled in its own transaction (a refusal on one leaves the others).
    """
    require_conduct(user)
    moment = now or _now()
    due = list(Question.objects.filter(state=State.SILENCE, silence_deadline__lte=moment).order_by("pk"))
    settled = []
    for question in due:
        with transaction.atomic():
            row = _locked(question)
            engine = load_question(row)
            base = len(engine.history)
            event = engine.settle(utc_text(moment))
            if event is None:
                continue
            _store(user, row, engine, base, [event])
            settled.append(row)
    return settled


# --- the members' steps -------------------------------------------------------------------------


@_transactional
def do_object(user: Any, question: Question, member: str | None = None) -> Event:
    """A member objects: consensus is blocked while the objection stands."""
    who = acting_member(user, member)
    return _record(user, question, lambda q, now: q.object(who, at=now))


@_transactional
def do_withdraw_objection(user: Any, question: Question, member: str | None = None) -> Event:
    who = acting_member(user, member)
    return _record(user, question, lambda q, now: q.withdraw_objection(who, at=now))


@_transactional
def do_request_vote(user: Any, question: Question, member: str | None = None) -> Event:
    """A member asks that the question be put to the vote (where the rulebook allows a vote)."""
    who = acting_member(user, member)
    return _record(user, question, lambda q, now: q.request_vote(who, at=now))


def _cast_ballot(row: Question, event: Event, user: Any) -> None:
    actor = Actor.objects.filter(key=event.by).only("pk").first()
    if actor is None:
        raise Invalid(_("Member %(key)s is not a known State or organization.") % {"key": event.by})
    Ballot.objects.create(
        question=row,
        actor=actor,
        vote=str(event.data["vote"]),
        cast_at=parse_utc(event.at or utc_text(_now())),
        user=_real(user),
    )


@_transactional
def do_cast_ballot(user: Any, question: Question, vote: str, member: str | None = None) -> Event:
    """Cast the ballot of ``member`` (a delegate: their own delegation) while voting is open.

    A second ballot, a ballot after voting closed, an observer's ballot and a ballot for
    another delegation are refused; the unique (question, member) constraint refuses a
    second ballot that raced past the engine's check.
    """
    who = acting_member(user, member, voting=True)
    try:
        choice = Vote.parse(vote)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    return _record(user, question, lambda q, now: q.cast(who, choice, at=now), after=_cast_ballot)


@_transactional
def do_correct_vote(user: Any, question: Question, vote: str, member: str | None = None) -> Event:
    """A statement of intended vote after the vote: recorded; the result does not change."""
    who = acting_member(user, member, voting=True)
    try:
        choice = Vote.parse(vote)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    return _record(user, question, lambda q, now: q.correct_vote(who, choice, at=now))


@_transactional
def do_break_silence(user: Any, question: Question, member: str | None = None) -> Event:
    """A member breaks silence before the deadline: the text is not adopted under the procedure."""
    who = acting_member(user, member)
    return _record(user, question, lambda q, now: q.break_silence(who, at=now))


def _items(values: Sequence[str], what: str) -> list[str]:
    items = [v.strip() for v in values if v and v.strip()]
    if not items:
        raise Invalid(_("%(what)s: name at least one.") % {"what": what})
    return items


@_transactional
def do_disassociate(
    user: Any, question: Question, paragraphs: Sequence[str], member: str | None = None
) -> Event:
    """Join consensus but disassociate from the named paragraphs."""
    who = acting_member(user, member)
    items = _items(paragraphs, _("Paragraphs"))
    return _record(user, question, lambda q, now: q.disassociate(who, items, at=now))


EXPLANATIONS = ("position", "vote_before", "vote_after")


@_transactional
def do_explain(
    user: Any,
    question: Question,
    kind: str = "position",
    minutes: int | None = None,
    member: str | None = None,
) -> Event:
    """An explanation of position (consensus) or of vote (``vote_before``/``vote_after``).

    The sponsor may not explain its vote on its own proposal (the engine's rule).
    """
    who = acting_member(user, member)
    if kind not in EXPLANATIONS:
        raise Invalid(
            _("Explanation %(kind)r: one of %(known)s.") % {"kind": kind, "known": ", ".join(EXPLANATIONS)}
        )
    if kind == "position":
        return _record(user, question, lambda q, now: q.explain_position(who, minutes=minutes, at=now))
    when = kind.removeprefix("vote_")
    return _record(user, question, lambda q, now: q.explain_vote(who, when, minutes=minutes, at=now))


@_transactional
def do_reserve(
    user: Any, question: Question, provisions: Sequence[str], text: str = "", member: str | None = None
) -> Event:
    """A reservation on named provisions, with its text."""
    who = acting_member(user, member)
    items = _items(provisions, _("Provisions"))
    return _record(user, question, lambda q, now: q.reserve(who, items, text.strip(), at=now))
