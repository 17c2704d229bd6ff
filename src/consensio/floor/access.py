"""Fetching the floor of a meeting, and on whose behalf a user may take the floor.

What is on the floor is public (the public screen). Acting is guarded here and in the
decisions app, whose rules the floor never repeats:

- the chair and the secretariat conduct the meeting (``decisions.access.require_conduct``):
  take up an item and a question, give the floor, keep the time, close the list, rule on
  points of order;
- a delegate or an observer inscribes only their own delegation, which must be accredited
  to the meeting's session; the secretariat may inscribe any accredited delegation by key
  (a State's key or a participating organization's key);
- steps on the question (objection, vote ...) go through ``decisions.access.acting_member``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from consensio.core.access import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, role_of
from consensio.decisions.access import Forbidden, own_delegation, require_conduct
from consensio.forum.models import Delegation, Meeting

__all__ = ["Forbidden", "delegation_for", "get_meeting_for_user", "may_conduct", "require_conduct"]


def get_meeting_for_user(user: Any, meeting_id: int) -> Meeting:
    """The meeting with its session and body; what is on the floor is public."""
    meeting = (
        Meeting.objects.select_related("session__body", "floor").filter(pk=meeting_id).order_by().first()
    )
    if meeting is None:
        raise Http404(_("No such meeting."))
    return meeting


def may_conduct(user: Any) -> bool:
    return role_of(user) in (CHAIR, SECRETARIAT)


def delegation_for(user: Any, meeting: Meeting, member: str | None = None) -> Delegation:
    """The accredited delegation on whose behalf ``user`` takes the floor; ``Forbidden`` otherwise."""
    role = None if user is None else role_of(user)
    if user is None or role == SECRETARIAT:
        if not member:
            raise Forbidden(_("Name the delegation to inscribe (a State's key or an organization's key)."))
        key = member.strip()
        found = (
            Delegation.objects.select_related("actor", "participant")
            .filter(Q(actor__key=key.upper()) | Q(participant__key=key.lower()), session=meeting.session_id)
            .first()
        )
        if found is None:
            raise Forbidden(
                _("%(key)s has no delegation accredited to %(session)s.")
                % {"key": key, "session": meeting.session.label}
            )
        return found
    if role not in (DELEGATE, OBSERVER):
        raise Forbidden(_("Only a delegation takes the floor; the chair gives it."))
    own = own_delegation(user)
    if own is None:
        raise Forbidden(_("Your account acts for no delegation."))
    if member and member.strip().upper() != own:
        raise Forbidden(
            _("You act for %(own)s only: a delegate inscribes only their own delegation, not %(other)s.")
            % {"own": own, "other": member.strip().upper()}
        )
    found = (
        Delegation.objects.select_related("actor", "participant")
        .filter(session=meeting.session_id, actor__key=own)
        .first()
    )
    if found is None:
        raise Forbidden(
            _("%(own)s is not accredited to %(session)s: only accredited delegations take the floor.")
            % {"own": own, "session": meeting.session.label}
        )
    return found
