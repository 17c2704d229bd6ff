"""Fetching questions for a user, and who may take which step.

The record of decisions is public (DESIGN.md, "Record"): anyone may read a question, its
steps and its votes. Acting is guarded here, before any engine step runs:

- the chair (role ``chair``) and the secretariat conduct the question: put it, gavel,
  defer, record that consensus is exhausted, open and close voting, announce, circulate
  under silence;
- a delegate acts only for their own delegation (``user.profile.actor``);
- an observer never votes (GA rule 124; the engine refuses observers' objections too);
- the secretariat may record a step for a named member (a roll-call read out, an
  objection from the floor); ``user=None`` is the system itself (demo loader, cron) and
  is never reachable from a view.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from consensio.core.access import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, role_of
from consensio.decisions.models import Question
from consensio.engine.procedure import ProcedureError


class Forbidden(PermissionError):
    """The user's role or delegation does not allow the step; nothing was recorded."""


def questions() -> QuerySet[Question]:
    return Question.objects.select_related("body", "session", "agenda_item")


def get_question_for_user(user: Any, question_id: int) -> Question:
    """The question with its body and session; every question is on the public record."""
    question = questions().filter(pk=question_id).order_by().first()
    if question is None:
        raise Http404(_("No such question."))
    return question


def may_conduct(user: Any) -> bool:
    return user is None or role_of(user) in (CHAIR, SECRETARIAT)


def require_conduct(user: Any) -> None:
    if not may_conduct(user):
        raise Forbidden(_("Rules 106-107: only the chair or the secretariat conducts the question."))


def own_delegation(user: Any) -> str | None:
    profile = getattr(user, "profile", None)
    actor = getattr(profile, "actor", None)
    return actor.key if actor is not None else None


def acting_member(user: Any, member: str | None, *, voting: bool = False, rule: str = "Rule 124") -> str:
    """The member on whose behalf ``user`` acts; raise ``Forbidden`` if they may not act for it."""
    role = None if user is None else role_of(user)
    if user is None or role == SECRETARIAT:
        if not member:
            raise Forbidden(_("Name the member for whom the step is recorded."))
        return member.upper()
    own = own_delegation(user)
    if role == OBSERVER:
        if voting:
            raise Forbidden(_("%(rule)s: observers take part in the debate but never vote.") % {"rule": rule})
        return own or ""
    if role != DELEGATE or own is None:
        raise Forbidden(_("Only a delegate acts for a delegation; the chair conducts the question."))
    if member and member.upper() != own:
        raise Forbidden(
            _("You act for %(own)s only: a delegate acts only for their own delegation, not for %(other)s.")
            % {"own": own, "other": member.upper()}
        )
    return own


def refusal_status(exc: Exception) -> int:
    """The HTTP status of a refused step: 403 for who may act, 409 for a step the rules of
    procedure refuse at this point, 400 for unusable input. The floor's refusals use it too."""
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, ProcedureError):
        return 409
    return 400
