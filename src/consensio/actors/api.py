"""JSON API for actors, groups and statements: public reads, secretariat writes."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from consensio.actors.access import get_statement, statements_with_parties
from consensio.actors.actions import StatementRejected, do_save_statement
from consensio.actors.models import Actor, Group, GroupMembership, Statement, StatementParty
from consensio.actors.resolution import Resolution, resolve_statement
from consensio.engine.roster import UnresolvedName, load_roster
from consensio.engine.statements import MAX_STATEMENT_BYTES

router = Router(tags=["actors"])


class ActorOut(Schema):
    key: str
    name: str
    kind: str
    iso3: str | None
    un_member: bool
    observer: bool
    can_vote: bool
    regional_group: str
    special_case: str
    eu_member: bool
    aliases: list[str]


class GroupOut(Schema):
    key: str
    name: str
    kind: str
    members_known: bool
    members: list[str] = Field(description="Keys (ISO 3166 alpha-3, or EU) of the current members")


class PartyOut(Schema):
    name: str
    kind: str = Field(description="state, organization or group")
    key: str
    iso3: str | None
    listed_under: str | None = None
    members: list[str] | None = None


class StatementOut(Schema):
    id: int
    title: str
    source: str
    delivered_on: dt.date | None
    delivered_by: PartyOut | None
    on_behalf_of: list[PartyOut]
    aligned: list[PartyOut]
    problems: list[str]
    text: str


class StatementIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=MAX_STATEMENT_BYTES)
    source: str = Field("", max_length=300)
    delivered_on: dt.date | None = None
    picks: dict[int, str] = Field(
        default_factory=dict,
        description="For each unresolved name (by its start offset in the text): the key chosen, or '' to leave it out",
    )


class ParseIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_STATEMENT_BYTES)
    picks: dict[int, str] = Field(default_factory=dict)


class UnresolvedOut(Schema):
    name: str
    start: int
    end: int
    line: int
    column: int
    candidates: list[dict[str, str]]


class ParseOut(Schema):
    delivered_by: str | None
    on_behalf_of: list[PartyOut]
    aligned: list[PartyOut]
    unresolved: list[UnresolvedOut]
    problems: list[str]
    errors: list[str]


def _actor_ref(actor: Actor, listed_under: Actor | None = None) -> PartyOut:
    return PartyOut(name=actor.name, kind=actor.kind, key=actor.key, iso3=actor.iso3,
                    listed_under=listed_under.key if listed_under else None)


def _party_out(p: StatementParty) -> PartyOut:
    if p.actor is not None:
        return _actor_ref(p.actor, p.listed_under)
    assert p.group is not None
    return PartyOut(name=p.group.name, kind="group", key=p.group.key, iso3=None)


def _statement_out(s: Statement) -> StatementOut:
    parties = list(s.parties.all())
    return StatementOut(
        id=s.pk, title=s.title, source=s.source, delivered_on=s.delivered_on,
        delivered_by=_actor_ref(s.delivered_by) if s.delivered_by else None,
        on_behalf_of=[_party_out(p) for p in parties if p.role == "on_behalf_of"],
        aligned=[_party_out(p) for p in parties if p.role == "aligned"],
        problems=list(s.problems), text=s.text,
    )


@router.get("/actors", response=list[ActorOut], summary="All States and organizations")
def list_actors(request: HttpRequest, regional_group: str | None = None, un_member: bool | None = None) -> list[Actor]:
    qs = Actor.objects.all()
    if regional_group is not None:
        qs = qs.filter(regional_group=regional_group)
    if un_member is not None:
        qs = qs.filter(un_member=un_member)
    return list(qs)


@router.get("/actors/resolve", response=ActorOut, summary="Resolve a name as the roster does, never guessing")
def resolve_actor(request: HttpRequest, name: str) -> Actor:
    from consensio.api import ApiError

    try:
        found = load_roster().resolve(name)
    except UnresolvedName as exc:
        raise ApiError(404, "unresolved", str(exc),
                       [{"key": c.key, "name": c.name} for c in exc.candidates]) from None
    return get_object_or_404(Actor, key=found.key)


@router.get("/actors/{key}", response=ActorOut)
def get_actor(request: HttpRequest, key: str) -> Actor:
    return get_object_or_404(Actor, key=key.upper())


@router.get("/groups", response=list[GroupOut])
def list_groups(request: HttpRequest) -> list[GroupOut]:
    current = GroupMembership.objects.filter(until__isnull=True).select_related("actor")
    groups = Group.objects.prefetch_related(Prefetch("memberships", queryset=current))
    return [
        GroupOut(key=g.key, name=g.name, kind=g.kind, members_known=g.members_known,
                 members=[m.actor.key for m in g.memberships.all()])
        for g in groups
    ]


@router.get("/statements", response=list[StatementOut])
def list_statements(request: HttpRequest) -> list[StatementOut]:
    return [_statement_out(s) for s in statements_with_parties()]


@router.get("/statements/{int:statement_id}", response=StatementOut)
def statement_detail(request: HttpRequest, statement_id: int) -> StatementOut:
    return _statement_out(get_statement(statement_id))


@router.post("/statements/parse", response=ParseOut, summary="Read a statement's lists without saving anything")
def parse(request: HttpRequest, payload: ParseIn) -> ParseOut:
    return _parse_out(resolve_statement(payload.text, payload.picks))


@router.post("/statements", response={201: StatementOut}, auth=django_auth,
             summary="Save a statement (secretariat); every name must be resolved or picked")
def create_statement(request: HttpRequest, payload: StatementIn) -> Status:
    from consensio.api import ApiError, require_role

    require_role(request, "secretariat")
    try:
        statement = do_save_statement(request.user, title=payload.title, text=payload.text, source=payload.source,
                                      delivered_on=payload.delivered_on, picks=payload.picks)
    except StatementRejected as exc:
        details: list[object] = [{"message": e} for e in exc.errors]
        if exc.resolution is not None:
            details += [u.model_dump() for u in _parse_out(exc.resolution).unresolved]
        raise ApiError(400, "statement_rejected", "The statement was not saved: " + exc.errors[0], details) from None
    return Status(201, _statement_out(get_statement(statement.pk)))


def _parse_out(r: Resolution) -> ParseOut:
    def party(p: object) -> PartyOut:
        key = getattr(p, "actor_key", None) or getattr(p, "group_key", "")
        kind = str(p.kind)
        members = list(getattr(p, "members", ())) if kind == "group" else None
        return PartyOut(name=str(p.name), kind=kind, key=str(key),
                        iso3=key if kind == "state" else None, listed_under=getattr(p, "listed_under", None),
                        members=members)

    return ParseOut(
        delivered_by=r.delivered_by,
        on_behalf_of=[party(p) for p in r.parties if p.role == "on_behalf_of"],
        aligned=[party(p) for p in r.parties if p.role == "aligned"],
        unresolved=[UnresolvedOut(name=u.name, start=u.start, end=u.end, line=u.line, column=u.column,
                                  candidates=[{"key": k, "name": n} for k, n in u.candidates]) for u in r.pending],
        problems=r.problems,
        errors=r.errors,
    )
