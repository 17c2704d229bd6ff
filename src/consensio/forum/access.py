"""Fetching forum objects for a user. Documents are guarded by their distribution:

- general: anyone;
- limited: logged-in participants (secretariat, chair, delegates, observers);
- restricted: the secretariat, the chair and Member State delegates, never observers or the public.

`get_document_for_user()` is the only way a view fetches one document; a document the
user may not see is a 404, indistinguishable from one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from consensio.core.access import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, role_of
from consensio.forum.models import (
    AgendaItem,
    Body,
    BureauMember,
    Delegate,
    Delegation,
    Distribution,
    Document,
    LanguageVersion,
    Meeting,
    Session,
)


def visible_distributions(user: Any) -> tuple[str, ...]:
    role = role_of(user)
    if role in (SECRETARIAT, CHAIR, DELEGATE):
        return (Distribution.GENERAL, Distribution.LIMITED, Distribution.RESTRICTED)
    if role == OBSERVER:
        return (Distribution.GENERAL, Distribution.LIMITED)
    return (Distribution.GENERAL,)


def documents_for_user(user: Any) -> QuerySet[Document]:
    versions = LanguageVersion.objects.only("id", "document_id", "language", "file_kind", "size").order_by("language")
    return (
        Document.objects.filter(distribution__in=visible_distributions(user))
        .select_related("body")
        .prefetch_related(Prefetch("versions", queryset=versions))
    )


def get_document_for_user(user: Any, document_id: int) -> Document:
    document = (
        documents_for_user(user)
        .prefetch_related("sessions", "agenda_items__session")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document


def get_version_for_user(user: Any, document_id: int, language: str) -> LanguageVersion:
    version = (
        LanguageVersion.objects.select_related("document")
        .filter(document_id=document_id, language=language,
                document__distribution__in=visible_distributions(user))
        .first()
    )
    if version is None:
        raise Http404("No such document version.")
    return version


def get_body(key: str) -> Body:
    bureau = BureauMember.objects.select_related("state").order_by("position", "id")
    sessions = Session.objects.select_related("venue").order_by("starts_on", "position")
    body = (Body.objects.prefetch_related(Prefetch("bureau", queryset=bureau), Prefetch("sessions", queryset=sessions))
            .filter(key=key).first())
    if body is None:
        raise Http404("No such body.")
    return body


def get_session(session_id: int) -> Session:
    meetings = Meeting.objects.prefetch_related("agenda_items").order_by("date", "starts_at", "id")
    session = (
        Session.objects.select_related("body", "venue")
        .prefetch_related(Prefetch("meetings", queryset=meetings), "agenda_items")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def get_agenda_item(item_id: int) -> AgendaItem:
    item = (AgendaItem.objects.select_related("session__body", "session__venue")
            .prefetch_related("meetings").filter(pk=item_id).first())
    if item is None:
        raise Http404("No such agenda item.")
    return item


def delegations_of(session: Session) -> QuerySet[Delegation]:
    delegates = Delegate.objects.order_by("function", "name")
    return (
        Delegation.objects.filter(session=session)
        .select_related("actor", "participant", "credentials_accepted_by", "credentials_submitted_by")
        .prefetch_related(Prefetch("delegates", queryset=delegates))
        .order_by("standing", "actor__name", "participant__name")
    )


def get_delegation(delegation_id: int) -> Delegation:
    delegation = (
        Delegation.objects.select_related("session__body", "actor", "participant", "credentials_accepted_by",
                                          "credentials_submitted_by")
        .prefetch_related(Prefetch("delegates", queryset=Delegate.objects.select_related("user")))
        .filter(pk=delegation_id).first()
    )
    if delegation is None:
        raise Http404("No such delegation.")
    return delegation


def may_manage_delegation(user: Any, delegation: Delegation) -> bool:
    """The secretariat, or a delegate/observer acting for this very delegation's actor."""
    role = role_of(user)
    if role == SECRETARIAT:
        return True
    if role in (DELEGATE, OBSERVER, CHAIR):
        actor_id = getattr(getattr(user, "profile", None), "actor_id", None)
        return actor_id is not None and delegation.actor_id == actor_id
    return False
