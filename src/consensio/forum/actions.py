"""Writes for the forum. Every change goes through a do_* function here: one transaction,
every check before the first write, one journal entry.

`user` is the person acting (the secretariat for most of these); None stands for the
system itself (the demo loader), which is never reachable from a view or the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from consensio.core.access import is_secretariat
from consensio.forum.access import may_manage_delegation
from consensio.forum.files import FileRefused, check_document
from consensio.forum.models import (
    LANGUAGES,
    SEARCH_CONFIG,
    AgendaItem,
    Body,
    BodyMembership,
    BureauMember,
    CredentialsStatus,
    Delegate,
    DelegateFunction,
    Delegation,
    Distribution,
    Document,
    DocumentType,
    FigureKind,
    LanguageVersion,
    Meeting,
    MeetingKind,
    Office,
    Participant,
    ParticipantKind,
    Session,
    Standing,
    Venue,
    VenueFigure,
)
from consensio.forum.search import index_version
from consensio.forum.symbols import SymbolError, parse_symbol
from consensio.records.journal import append_journal


class ForumRefused(ValueError):
    """The change was not made; each entry of `errors` names the input and the problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class NotAllowed(PermissionError):
    """The user's role or delegation does not allow this change."""


def _who(user: Any) -> str | None:
    return user.get_username() if getattr(user, "is_authenticated", False) else None


def _real(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _require_secretariat(user: Any, what: str) -> None:
    if user is not None and not is_secretariat(user):
        raise NotAllowed(f"Only the secretariat may {what}.")


def _refuse_if(errors: list[str]) -> None:
    if errors:
        raise ForumRefused(errors)


# --- bodies, bureau, sessions, agenda, meetings -------------------------------------------

@transaction.atomic
def do_create_body(user: Any, *, key: str, name: str, short_name: str, mandate: str, rulebook: str,
                   secretariat: str = "", document_prefix: str = "", mandate_adopted_on: dt.date | None = None,
                   source: str = "") -> Body:
    _require_secretariat(user, "create a body")
    errors = []
    if Body.objects.filter(key=key).exists():
        errors.append(f"Key: a body {key!r} already exists.")
    try:
        mandate = str(parse_symbol(mandate))
    except SymbolError as exc:
        errors.append(f"Mandate: {exc}")
    _refuse_if(errors)
    body = Body.objects.create(key=key, name=name, short_name=short_name, mandate=mandate, rulebook=rulebook,
                               secretariat=secretariat, document_prefix=document_prefix,
                               mandate_adopted_on=mandate_adopted_on, source=source)
    append_journal("forum.body.created", {"body": key, "name": name, "mandate": mandate, "rulebook": rulebook,
                                          "by": _who(user)})
    return body


@transaction.atomic
def do_elect_bureau_member(user: Any, body: Body, *, office: str, person: str, state: Any, regional_group: str,
                           since: dt.date, until: dt.date | None = None, source: str = "") -> BureauMember:
    _require_secretariat(user, "record the bureau")
    errors = []
    if office not in Office.values:
        errors.append(f"Office: {office!r} is not one of {', '.join(Office.values)}.")
    if office == Office.CHAIR and BureauMember.objects.filter(body=body, office=Office.CHAIR, until__isnull=True).exists():
        errors.append("Office: the body already has a serving Chair; record the end of that term first.")
    if until is not None and until < since:
        errors.append("Until: the term cannot end before it starts.")
    _refuse_if(errors)
    position = BureauMember.objects.filter(body=body).count()
    member = BureauMember.objects.create(body=body, office=office, person=person, state=state,
                                         regional_group=regional_group, since=since, until=until,
                                         position=position, source=source)
    append_journal("forum.bureau.elected", {"body": body.key, "office": office, "person": person,
                                            "state": state.key, "since": since.isoformat(), "by": _who(user)})
    return member


@transaction.atomic
def do_set_membership(user: Any, body: Body, *, standing: str, actor: Any = None,
                      participant: Participant | None = None) -> BodyMembership:
    _require_secretariat(user, "record a body's members and observers")
    _refuse_if(_standing_errors(standing, actor, participant))
    membership, _ = BodyMembership.objects.update_or_create(body=body, actor=actor, participant=participant,
                                                            defaults={"standing": standing})
    append_journal("forum.body.membership", {"body": body.key, "standing": standing,
                                             "actor": actor.key if actor else None,
                                             "participant": participant.key if participant else None,
                                             "by": _who(user)})
    return membership


def _standing_errors(standing: str, actor: Any, participant: Participant | None) -> list[str]:
    errors = []
    if (actor is None) == (participant is None):
        errors.append("Give either a State or organization from the roster, or a registered participant.")
    if standing not in Standing.values:
        errors.append(f"Standing: {standing!r} is not member or observer.")
    if standing == Standing.MEMBER and (participant is not None or (actor is not None and not actor.un_member)):
        errors.append("Standing: only a Member State can be a member; record this participant as an observer.")
    return errors


@transaction.atomic
def do_create_session(user: Any, body: Body, *, label: str, starts_on: dt.date, ends_on: dt.date, venue: Venue,
                      number: int | None = None, room: str = "", source: str = "") -> Session:
    _require_secretariat(user, "schedule a session")
    errors = []
    if ends_on < starts_on:
        errors.append("Dates: a session cannot end before it starts.")
    if Session.objects.filter(body=body, label=label).exists():
        errors.append(f"Label: {body.short_name} already has a session called {label!r}.")
    _refuse_if(errors)
    session = Session.objects.create(body=body, label=label, number=number, starts_on=starts_on, ends_on=ends_on,
                                     venue=venue, room=room, source=source,
                                     position=Session.objects.filter(body=body).count())
    append_journal("forum.session.created", {"body": body.key, "session": session.pk, "label": label,
                                             "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
                                             "venue": venue.key, "by": _who(user)})
    return session


@transaction.atomic
def do_set_agenda(user: Any, session: Session, items: Iterable[tuple[str, str]]) -> list[AgendaItem]:
    """Adopt the agenda of a session: (number, title) pairs in order; items already there are kept."""
    _require_secretariat(user, "set the agenda")
    items = list(items)
    numbers = [n for n, _ in items]
    errors = [f"Agenda: item {n!r} appears twice." for n in sorted(set(numbers)) if numbers.count(n) > 1]
    errors += [f"Agenda: item {n!r} has no title." for n, t in items if not t.strip()]
    _refuse_if(errors)
    existing = {a.number: a for a in AgendaItem.objects.filter(session=session)}
    result = []
    for position, (number, title) in enumerate(items):
        item = existing.get(number)
        if item is None:
            item = AgendaItem.objects.create(session=session, number=number, title=title, position=position)
        elif item.title != title or item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(title=title, position=position)
        result.append(item)
    append_journal("forum.agenda.set", {"session": session.pk, "items": [[n, t] for n, t in items],
                                        "by": _who(user)})
    return result


@transaction.atomic
def do_schedule_meetings(user: Any, session: Session, meetings: Iterable[dict[str, Any]]) -> list[Meeting]:
    """Add meetings to a session's programme of work. Each dict: kind, date, starts_at, ends_at,
    and optionally number, room, title and agenda (a list of agenda item numbers)."""
    _require_secretariat(user, "schedule meetings")
    meetings = list(meetings)
    agenda = {a.number: a for a in AgendaItem.objects.filter(session=session)}
    errors = []
    for i, m in enumerate(meetings, start=1):
        if m.get("kind", MeetingKind.FORMAL) not in MeetingKind.values:
            errors.append(f"Meeting {i}: kind must be formal or informal.")
        if not session.starts_on <= m["date"] <= session.ends_on:
            errors.append(f"Meeting {i}: {m['date']} is outside the session ({session.starts_on} to {session.ends_on}).")
        if m["ends_at"] <= m["starts_at"]:
            errors.append(f"Meeting {i}: it must end after it starts.")
        errors += [f"Meeting {i}: agenda item {n!r} is not on this session's agenda."
                   for n in m.get("agenda", []) if n not in agenda]
    _refuse_if(errors)
    created = []
    for m in meetings:
        meeting = Meeting.objects.create(session=session, kind=m.get("kind", MeetingKind.FORMAL),
                                         number=m.get("number"), date=m["date"], starts_at=m["starts_at"],
                                         ends_at=m["ends_at"], room=m.get("room", session.room),
                                         title=m.get("title", ""))
        if m.get("agenda"):
            meeting.agenda_items.set([agenda[n] for n in m["agenda"]])
        created.append(meeting)
    append_journal("forum.meetings.scheduled", {"session": session.pk, "count": len(created),
                                                "meetings": [c.pk for c in created], "by": _who(user)})
    return created


# --- participants, delegations, credentials -----------------------------------------------

@transaction.atomic
def do_register_participant(user: Any, *, key: str, name: str, kind: str, basis: str = "") -> Participant:
    _require_secretariat(user, "register a participating organization")
    errors = []
    if kind not in ParticipantKind.values:
        errors.append(f"Kind: {kind!r} is not one of {', '.join(ParticipantKind.values)}.")
    if Participant.objects.filter(key=key).exists():
        errors.append(f"Key: a participant {key!r} is already registered.")
    _refuse_if(errors)
    participant = Participant.objects.create(key=key, name=name, kind=kind, basis=basis)
    append_journal("forum.participant.registered", {"participant": key, "name": name, "kind": kind,
                                                    "basis": basis, "by": _who(user)})
    return participant


@transaction.atomic
def do_accredit(user: Any, session: Session, *, actor: Any = None, participant: Participant | None = None) -> Delegation:
    """Open a delegation for a session. Its standing follows from who it is: a Member State is a
    member; observer States, the EU and every registered organization are observers."""
    _require_secretariat(user, "accredit a delegation")
    standing = Standing.MEMBER if actor is not None and actor.un_member else Standing.OBSERVER
    errors = _standing_errors(standing, actor, participant)
    if actor is not None and Delegation.objects.filter(session=session, actor=actor).exists():
        errors.append(f"{actor.name} already has a delegation at {session.label}.")
    if participant is not None and Delegation.objects.filter(session=session, participant=participant).exists():
        errors.append(f"{participant.name} already has a delegation at {session.label}.")
    _refuse_if(errors)
    delegation = Delegation.objects.create(session=session, actor=actor, participant=participant, standing=standing)
    append_journal("forum.delegation.accredited", {"session": session.pk, "delegation": delegation.pk,
                                                   "actor": actor.key if actor else None,
                                                   "participant": participant.key if participant else None,
                                                   "standing": standing, "by": _who(user)})
    return delegation


def _require_manager(user: Any, delegation: Delegation) -> None:
    if user is not None and not may_manage_delegation(user, delegation):
        raise NotAllowed(f"You do not act for {delegation.name}: only its own delegates or the secretariat "
                         "may change its list of delegates and credentials.")


@transaction.atomic
def do_add_delegate(user: Any, delegation: Delegation, *, name: str, function: str,
                    linked_user: Any = None) -> Delegate:
    _require_manager(user, delegation)
    errors = []
    name = name.strip()
    if not name:
        errors.append("Name: give the delegate's name.")
    if function not in DelegateFunction.values:
        errors.append(f"Function: {function!r} is not one of head, alternate, adviser.")
    if function == DelegateFunction.HEAD and delegation.delegates.filter(function=DelegateFunction.HEAD).exists():
        errors.append("Function: the delegation already has a head; add this person as an alternate or adviser.")
    if delegation.credentials == CredentialsStatus.ACCEPTED and user is not None and not is_secretariat(user):
        errors.append("Credentials have been accepted; ask the secretariat to change the list of delegates.")
    _refuse_if(errors)
    delegate = Delegate.objects.create(delegation=delegation, name=name, function=function, user=linked_user)
    append_journal("forum.delegate.added", {"delegation": delegation.pk, "name": name, "function": function,
                                            "user": linked_user.get_username() if linked_user else None,
                                            "by": _who(user)})
    return delegate


@transaction.atomic
def do_submit_credentials(user: Any, delegation: Delegation) -> Delegation:
    _require_manager(user, delegation)
    errors = []
    if delegation.credentials == CredentialsStatus.ACCEPTED:
        errors.append(f"The credentials of {delegation.name} have already been accepted.")
    if not delegation.delegates.filter(function=DelegateFunction.HEAD).exists():
        errors.append("Credentials name a head of delegation: add the head first.")
    _refuse_if(errors)
    delegation.credentials = CredentialsStatus.SUBMITTED
    delegation.credentials_submitted_at = timezone.now()
    delegation.credentials_submitted_by = _real(user)
    delegation.save(update_fields=["credentials", "credentials_submitted_at", "credentials_submitted_by"])
    append_journal("forum.credentials.submitted", {"delegation": delegation.pk, "name": delegation.name,
                                                   "by": _who(user)})
    return delegation


@transaction.atomic
def do_accept_credentials(user: Any, delegation: Delegation) -> Delegation:
    _require_secretariat(user, "accept credentials")
    if delegation.credentials != CredentialsStatus.SUBMITTED:
        raise ForumRefused([f"The credentials of {delegation.name} are "
                            f"{CredentialsStatus(delegation.credentials).label.lower()}: only submitted credentials "
                            "can be accepted."])
    delegation.credentials = CredentialsStatus.ACCEPTED
    delegation.credentials_accepted_at = timezone.now()
    delegation.credentials_accepted_by = _real(user)
    delegation.save(update_fields=["credentials", "credentials_accepted_at", "credentials_accepted_by"])
    append_journal("forum.credentials.accepted", {"delegation": delegation.pk, "name": delegation.name,
                                                  "by": _who(user)})
    return delegation


# --- documents ----------------------------------------------------------------------------

def _store_version(user: Any, document: Document, language: str, filename: str, data: bytes, text: str,
                   kind: str) -> LanguageVersion:
    digest = hashlib.sha256(data).hexdigest()
    version = LanguageVersion(document=document, language=language, file_kind=kind, size=len(data), sha256=digest,
                              text=text, search_config=SEARCH_CONFIG[language], uploaded_by=_real(user))
    version.file.save(f"{digest[:24]}-{language}.{kind}", ContentFile(data), save=False)
    version.save()
    index_version(version, document.title)
    return version


def _version_errors(document: Document | None, language: str) -> list[str]:
    codes = [c for c, _ in LANGUAGES]
    if language not in codes:
        return [f"Language: {language!r} is not one of the six official languages ({', '.join(codes)})."]
    if document is not None and document.versions.filter(language=language).exists():
        return [f"Language: {document.symbol} already has a {language} version."]
    return []


@transaction.atomic
def do_issue_document(user: Any, *, symbol: str, title: str, doc_type: str, distribution: str, language: str,
                      filename: str, data: bytes, body: Body | None = None, sessions: Iterable[Session] = (),
                      agenda_items: Iterable[AgendaItem] = (), issued_on: dt.date | None = None) -> Document:
    """Issue a document with its first language version. The symbol is parsed and normalised;
    the file is checked (kind, size) and its text extracted before anything is written."""
    _require_secretariat(user, "issue documents")
    errors = []
    parsed = None
    try:
        parsed = parse_symbol(symbol)
    except SymbolError as exc:
        errors.append(f"Symbol: {exc}")
    if parsed and Document.objects.filter(symbol=str(parsed)).exists():
        errors.append(f"Symbol: a document {parsed} already exists; issue a revision (/Rev.n) or add a language.")
    if not title.strip():
        errors.append("Title: give the document a title.")
    if doc_type not in DocumentType.values:
        errors.append(f"Type: {doc_type!r} is not one of {', '.join(DocumentType.values)}.")
    if distribution not in Distribution.values:
        errors.append(f"Distribution: {distribution!r} is not general, limited or restricted.")
    errors += _version_errors(None, language)
    checked = None
    try:
        checked = check_document(filename, data)
    except FileRefused as exc:
        errors.append(f"File: {exc}")
    _refuse_if(errors)
    assert parsed is not None and checked is not None
    agenda_items = list(agenda_items)
    sessions = set(sessions) | {a.session for a in agenda_items}
    document = Document.objects.create(symbol=str(parsed), base_symbol=parsed.base, title=title.strip(),
                                       doc_type=doc_type, distribution=distribution, body=body, issued_on=issued_on)
    document.sessions.set(sessions)
    document.agenda_items.set(agenda_items)
    version = _store_version(user, document, language, filename, data, checked.text, checked.kind)
    append_journal("forum.document.issued", {
        "document": document.pk, "symbol": document.symbol, "title": document.title, "type": doc_type,
        "distribution": distribution, "language": language, "sha256": version.sha256,
        "sessions": sorted(s.pk for s in sessions), "agenda_items": sorted(a.pk for a in agenda_items),
        "by": _who(user),
    })
    return document


@transaction.atomic
def do_add_language_version(user: Any, document: Document, *, language: str, filename: str,
                            data: bytes) -> LanguageVersion:
    _require_secretariat(user, "issue documents")
    errors = _version_errors(document, language)
    checked = None
    try:
        checked = check_document(filename, data)
    except FileRefused as exc:
        errors.append(f"File: {exc}")
    _refuse_if(errors)
    assert checked is not None
    version = _store_version(user, document, language, filename, data, checked.text, checked.kind)
    append_journal("forum.document.language_added", {"document": document.pk, "symbol": document.symbol,
                                                     "language": language, "sha256": version.sha256,
                                                     "by": _who(user)})
    return version


# --- venues -------------------------------------------------------------------------------

@transaction.atomic
def do_save_venue(user: Any, *, key: str, name: str, city: str, country: str = "") -> Venue:
    _require_secretariat(user, "maintain venues")
    venue, created = Venue.objects.update_or_create(key=key, defaults={"name": name, "city": city, "country": country})
    append_journal("forum.venue.saved", {"venue": key, "name": name, "city": city, "created": created,
                                         "by": _who(user)})
    return venue


@transaction.atomic
def do_set_venue_figure(user: Any, venue: Venue, *, kind: str, amount: Any, source: str, as_of: dt.date,
                        currency: str = "USD", illustrative: bool = False) -> VenueFigure:
    _require_secretariat(user, "maintain venue figures")
    errors = []
    if kind not in FigureKind.values:
        errors.append(f"Figure: {kind!r} is not one of {', '.join(FigureKind.values)}.")
    try:
        value = Decimal(str(amount))
        if value < 0 or not value.is_finite():
            errors.append("Amount: give a positive amount.")
    except InvalidOperation:
        errors.append(f"Amount: {amount!r} is not a number.")
    if not source.strip():
        errors.append("Source: say where the figure comes from (a document, a page, or 'illustrative demo value').")
    _refuse_if(errors)
    figure, _ = VenueFigure.objects.update_or_create(
        venue=venue, kind=kind, defaults={"amount": value, "currency": currency, "source": source.strip(),
                                          "as_of": as_of, "illustrative": illustrative})
    append_journal("forum.venue.figure", {"venue": venue.key, "kind": kind, "amount": str(value),
                                          "currency": currency, "source": source.strip(),
                                          "as_of": as_of.isoformat(), "illustrative": illustrative,
                                          "by": _who(user)})
    return figure
