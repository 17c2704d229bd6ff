"""JSON API of the forum (mounted under /api/ by consensio.api): bodies, sessions, meetings,
agenda items, documents (as the caller's access allows), search, venues and the session
cost comparison. Reads are public except where a document's distribution says otherwise;
a document the caller may not see answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from consensio.forum import access, costs
from consensio.forum.actions import ForumRefused, NotAllowed, do_accept_credentials
from consensio.forum.models import (
    Body,
    Document,
    Meeting,
    Session,
    Venue,
    VenueFigure,
    can_vote,
)
from consensio.forum.search import SearchError, search
from consensio.forum.symbols import SymbolError, parse_symbol

router = Router(tags=["forum"])


class BureauOut(Schema):
    office: str
    person: str
    state: str
    regional_group: str
    since: dt.date
    until: dt.date | None


class SessionRef(Schema):
    id: int
    label: str
    number: int | None
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    room: str


class BodyOut(Schema):
    key: str
    name: str
    short_name: str
    mandate: str
    rulebook: str
    secretariat: str
    document_prefix: str
    bureau: list[BureauOut]
    sessions: list[SessionRef]


class AgendaItemOut(Schema):
    id: int
    session: int
    number: str
    title: str


class MeetingOut(Schema):
    id: int
    kind: str
    number: int | None
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    room: str
    title: str
    agenda_items: list[str]


class SessionOut(SessionRef):
    body: str
    source: str
    agenda: list[AgendaItemOut]
    meetings: list[MeetingOut]


class VersionOut(Schema):
    language: str
    file_kind: str
    size: int
    url: str


class DocumentOut(Schema):
    id: int
    symbol: str
    title: str
    doc_type: str
    distribution: str
    issued_on: dt.date | None
    body: str | None
    versions: list[VersionOut]


class HitOut(Schema):
    document_id: int
    symbol: str
    title: str
    doc_type: str
    distribution: str
    language: str
    rank: float
    snippet: str = Field(description="HTML: the matching passage, terms in <mark>")


class SymbolOut(Schema):
    symbol: str
    series: str
    body: list[str]
    number: int
    special: str | None
    revision: int | None
    addendum: int | None
    corrigendum: int | None
    base: str


class FigureOut(Schema):
    kind: str
    amount: Decimal
    currency: str
    source: str
    as_of: dt.date
    illustrative: bool


class VenueOut(Schema):
    key: str
    name: str
    city: str
    country: str
    figures: list[FigureOut]


class LineOut(Schema):
    kind: str
    quantity: int
    unit: Decimal
    subtotal: Decimal
    source: str
    as_of: str
    illustrative: bool


class EstimateOut(Schema):
    venue: str
    city: str
    total: Decimal
    complete: bool
    missing: list[str]
    illustrative: bool
    lines: list[LineOut]


class DelegationOut(Schema):
    id: int
    name: str
    standing: str
    can_vote: bool
    credentials: str


def _session_ref(s: Session) -> SessionRef:
    return SessionRef(id=s.pk, label=s.label, number=s.number, starts_on=s.starts_on, ends_on=s.ends_on,
                      venue=s.venue.key, room=s.room)


def _body_out(body: Body) -> BodyOut:
    return BodyOut(
        key=body.key, name=body.name, short_name=body.short_name, mandate=body.mandate, rulebook=body.rulebook,
        secretariat=body.secretariat, document_prefix=body.document_prefix,
        bureau=[BureauOut(office=m.office, person=m.person, state=m.state.key, regional_group=m.regional_group,
                          since=m.since, until=m.until) for m in body.bureau.all()],
        sessions=[_session_ref(s) for s in body.sessions.all()],
    )


def _meeting_out(m: Meeting) -> MeetingOut:
    return MeetingOut(id=m.pk, kind=m.kind, number=m.number, date=m.date, starts_at=m.starts_at, ends_at=m.ends_at,
                      room=m.room, title=m.title, agenda_items=[a.number for a in m.agenda_items.all()])


def _document_out(d: Document) -> DocumentOut:
    return DocumentOut(
        id=d.pk, symbol=d.symbol, title=d.title, doc_type=d.doc_type, distribution=d.distribution,
        issued_on=d.issued_on, body=d.body.key if d.body else None,
        versions=[VersionOut(language=v.language, file_kind=v.file_kind, size=v.size,
                             url=f"/documents/{d.pk}/{v.language}/file/") for v in d.versions.all()],
    )


@router.get("/bodies", response=list[BodyOut], summary="Negotiating bodies with their bureau and sessions")
def list_bodies(request: HttpRequest) -> list[BodyOut]:
    keys = list(Body.objects.values_list("key", flat=True))
    return [_body_out(access.get_body(k)) for k in keys]


@router.get("/bodies/{key}", response=BodyOut)
def get_body(request: HttpRequest, key: str) -> BodyOut:
    return _body_out(access.get_body(key))


@router.get("/sessions/{session_id}", response=SessionOut, summary="A session with its agenda and meetings")
def get_session(request: HttpRequest, session_id: int) -> SessionOut:
    s = access.get_session(session_id)
    return SessionOut(
        **_session_ref(s).model_dump(), body=s.body.key, source=s.source,
        agenda=[AgendaItemOut(id=a.pk, session=s.pk, number=a.number, title=a.title) for a in s.agenda_items.all()],
        meetings=[_meeting_out(m) for m in s.meetings.all()],
    )


@router.get("/sessions/{session_id}/meetings", response=list[MeetingOut])
def list_meetings(request: HttpRequest, session_id: int, date: dt.date | None = None) -> list[MeetingOut]:
    meetings = [_meeting_out(m) for m in access.get_session(session_id).meetings.all()]
    return [m for m in meetings if date is None or m.date == date]


@router.get("/sessions/{session_id}/delegations", response=list[DelegationOut])
def list_delegations(request: HttpRequest, session_id: int) -> list[DelegationOut]:
    session = access.get_session(session_id)
    return [DelegationOut(id=d.pk, name=d.name, standing=d.standing, can_vote=can_vote(d), credentials=d.credentials)
            for d in access.delegations_of(session)]


@router.post("/delegations/{delegation_id}/credentials/accept", response=DelegationOut, auth=django_auth,
             summary="Accept submitted credentials (secretariat)")
def accept_credentials(request: HttpRequest, delegation_id: int) -> DelegationOut:
    from consensio.api import ApiError, require_role

    require_role(request, "secretariat")
    delegation = access.get_delegation(delegation_id)
    try:
        d = do_accept_credentials(request.user, delegation)
    except NotAllowed as exc:
        raise ApiError(403, "forbidden", str(exc)) from None
    except ForumRefused as exc:
        raise ApiError(400, "refused", exc.errors[0], [{"message": e} for e in exc.errors]) from None
    return DelegationOut(id=d.pk, name=d.name, standing=d.standing, can_vote=can_vote(d), credentials=d.credentials)


@router.get("/agenda-items/{item_id}", response=AgendaItemOut)
def get_agenda_item(request: HttpRequest, item_id: int) -> AgendaItemOut:
    a = access.get_agenda_item(item_id)
    return AgendaItemOut(id=a.pk, session=a.session_id, number=a.number, title=a.title)


@router.get("/documents", response=list[DocumentOut], summary="Documents the caller may see")
def list_documents(request: HttpRequest, session: int | None = None, agenda_item: int | None = None,
                   doc_type: str | None = None) -> list[DocumentOut]:
    qs = access.documents_for_user(request.user).order_by("symbol")
    if session is not None:
        qs = qs.filter(sessions=session)
    if agenda_item is not None:
        qs = qs.filter(agenda_items=agenda_item)
    if doc_type is not None:
        qs = qs.filter(doc_type=doc_type)
    return [_document_out(d) for d in qs]


@router.get("/documents/{document_id}", response=DocumentOut)
def get_document(request: HttpRequest, document_id: int) -> DocumentOut:
    return _document_out(access.get_document_for_user(request.user, document_id))


@router.get("/symbols/parse", response=SymbolOut, summary="Check and normalise a UN document symbol")
def parse_symbol_api(request: HttpRequest, symbol: str) -> SymbolOut:
    from consensio.api import ApiError

    try:
        s = parse_symbol(symbol)
    except SymbolError as exc:
        raise ApiError(400, "malformed_symbol", str(exc), [{"field": "symbol", "message": str(exc)}]) from None
    return SymbolOut(symbol=str(s), series=s.series, body=list(s.body), number=s.number, special=s.special,
                     revision=s.revision, addendum=s.addendum, corrigendum=s.corrigendum, base=s.base)


@router.get("/search", response=list[HitOut], summary="Full-text search, ranked, within the caller's access")
def search_documents(request: HttpRequest, q: str, limit: int = 20) -> list[HitOut]:
    from consensio.api import ApiError

    if not 1 <= limit <= 100:
        raise ApiError(400, "invalid", "limit: give a number from 1 to 100.", [{"field": "limit"}])
    try:
        hits = search(request.user, q, limit)
    except SearchError as exc:
        raise ApiError(400, "invalid_query", str(exc), [{"field": "q", "message": str(exc)}]) from None
    return [HitOut(document_id=h.document_id, symbol=h.symbol, title=h.title, doc_type=h.doc_type,
                   distribution=h.distribution, language=h.language, rank=h.rank, snippet=str(h.snippet))
            for h in hits]


def _venues() -> list[Venue]:
    return list(Venue.objects.prefetch_related(
        Prefetch("figures", queryset=VenueFigure.objects.order_by("kind"))).order_by("city"))


@router.get("/venues", response=list[VenueOut])
def list_venues(request: HttpRequest) -> list[VenueOut]:
    return [VenueOut(key=v.key, name=v.name, city=v.city, country=v.country,
                     figures=[FigureOut(kind=f.kind, amount=f.amount, currency=f.currency, source=f.source,
                                        as_of=f.as_of, illustrative=f.illustrative) for f in v.figures.all()])
            for v in _venues()]


@router.get("/venues/compare", response=list[EstimateOut],
            summary="Estimated cost of a session at each venue, cheapest complete estimate first")
def compare_venues(request: HttpRequest, days: int, delegations: int = 0, pages: int = 0) -> list[EstimateOut]:
    from consensio.api import ApiError

    errors = costs.check_inputs(days, delegations, pages)
    if errors:
        raise ApiError(400, "invalid", errors[0], [{"message": e} for e in errors])
    return [EstimateOut(venue=e.venue.key, city=e.venue.city, total=e.total, complete=e.complete, missing=e.missing,
                        illustrative=e.illustrative,
                        lines=[LineOut(kind=line.kind, quantity=line.quantity, unit=line.unit,
                                       subtotal=line.subtotal, source=line.source, as_of=line.as_of,
                                       illustrative=line.illustrative) for line in e.lines])
            for e in costs.compare(_venues(), days, delegations, pages)]


