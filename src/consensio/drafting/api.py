"""JSON API of the drafting app (mounted under /api/ by consensio.api): instruments, provisions,
the rolling text as structured JSON, proposals, co-sponsorships, statuses, versions, the redline
and the exports. Reads are public; writes need a logged-in user (`django_auth`) of the right
role, and every refusal has the one error shape of consensio.api."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from consensio.drafting import access
from consensio.drafting.actions import (
    do_cosponsor,
    do_edit_proposal,
    do_set_provision_status,
    do_table_proposal,
    do_take_version,
    do_withdraw_cosponsorship,
    do_withdraw_proposal,
    explain,
)
from consensio.drafting.models import Instrument, Proposal, Provision, Version
from consensio.drafting.text import rolling_text
from consensio.engine.text.compare import compare
from consensio.engine.text.errors import TextError
from consensio.engine.text.rolling import Block, Plain, RollingText

router = Router(tags=["drafting"])
WRITERS = ("delegate", "secretariat")


def _refused(exc: Exception) -> Exception:
    from consensio.api import ApiError

    status, code, message, details = explain(exc)
    return ApiError(status, code, message, details)


def _guard(request: HttpRequest, *roles: str) -> None:
    from consensio.api import require_role

    require_role(request, *roles)


class InstrumentOut(Schema):
    id: int
    title: str
    body: str | None
    created_at: dt.datetime


class ProvisionOut(Schema):
    eid: str
    kind: str
    parent: str
    heading: str
    text: str
    status: str


class StatusRecordOut(Schema):
    status: str
    trigger: str
    set_by: str | None
    set_at: dt.datetime
    decision_ref: str


class ProvisionDetailOut(ProvisionOut):
    history: list[StatusRecordOut]


class CoSponsorshipOut(Schema):
    delegation: str
    joined_at: dt.datetime
    withdrawn_at: dt.datetime | None


class ProposalOut(Schema):
    id: int
    instrument: int
    eid: str
    kind: str
    sponsor: str
    tabled_at: dt.datetime
    start: int
    end: int
    quoted: str
    text: str
    heading: str
    new_eid: str
    new_kind: str
    justification: str
    status: str
    version: int = Field(description="Quote it as expected_version when you change the proposal")
    cosponsors: list[CoSponsorshipOut]


class ProposalIn(Schema):
    kind: str = Field(description="insert, delete, replace, alternative, add_provision or delete_provision")
    eid: str = Field(description="The provision (for add_provision: the one the new provision follows)")
    sponsor: str | None = Field(
        None, description="Secretariat only: the delegation on whose behalf it records"
    )
    span: str = Field("", max_length=5000, description="Quoted words of the current text")
    occurrence: int | None = Field(None, ge=1)
    offset: int | None = Field(None, ge=0)
    text: str = Field("", max_length=20000)
    heading: str = Field("", max_length=500)
    new_kind: str = ""
    first_in: bool = False
    justification: str = Field("", max_length=5000)


class ProposalEditIn(Schema):
    expected_version: int = Field(ge=1)
    text: str | None = Field(None, max_length=20000)
    heading: str | None = Field(None, max_length=500)
    justification: str | None = Field(None, max_length=5000)


class WithdrawIn(Schema):
    expected_version: int | None = Field(None, ge=1)


class CoSponsorIn(Schema):
    delegation: str | None = Field(None, description="Secretariat only; a delegate co-sponsors for their own")


class StatusIn(Schema):
    trigger: str = Field(description="agree_informally, agree_ad_ref, adopt, delete or reopen")
    decision_ref: str = Field("", max_length=200)


class VersionIn(Schema):
    name: str = Field(min_length=1, max_length=80)


class VersionOut(Schema):
    id: int
    name: str
    taken_at: dt.datetime
    taken_by: str | None


class OptionOut(Schema):
    text: str
    sponsors: list[str]
    deletion: list[str]


class SegmentOut(Schema):
    text: str | None = None
    options: list[OptionOut] | None = None


class BlockOut(Schema):
    eid: str
    kind: str
    num: str
    heading: str
    status: str
    proposed_by: list[str]
    deletion_by: list[str]
    content: list[SegmentOut]
    children: list[BlockOut]


class RollingTextOut(Schema):
    title: str
    preamble: list[BlockOut]
    body: list[BlockOut]


class WordsOut(Schema):
    op: str
    text: str


class ChangeOut(Schema):
    eid: str
    kind: str
    changes: list[str]
    old_num: str
    new_num: str
    old_heading: str
    new_heading: str
    words: list[WordsOut]


class RedlineOut(Schema):
    old: str
    new: str
    changes: list[ChangeOut]


def _instrument_out(i: Instrument) -> InstrumentOut:
    return InstrumentOut(id=i.pk, title=i.title, body=i.body.key if i.body else None, created_at=i.created_at)


def _provision_out(p: Provision) -> dict[str, Any]:
    return {
        "eid": p.eid,
        "kind": p.kind,
        "parent": p.parent,
        "heading": p.heading,
        "text": p.text,
        "status": p.status,
    }


def _proposal_out(p: Proposal) -> ProposalOut:
    return ProposalOut(
        id=p.pk,
        instrument=p.instrument_id,
        eid=p.eid,
        kind=p.kind,
        sponsor=p.sponsor_id,
        tabled_at=p.tabled_at,
        start=p.start,
        end=p.end,
        quoted=p.quoted,
        text=p.text,
        heading=p.heading,
        new_eid=p.new_eid,
        new_kind=p.new_kind,
        justification=p.justification,
        status=p.status,
        version=p.version,
        cosponsors=[
            CoSponsorshipOut(delegation=c.delegation_id, joined_at=c.joined_at, withdrawn_at=c.withdrawn_at)
            for c in p.cosponsorships.all()
        ],
    )


def _fresh(pk: int) -> Proposal:
    return Proposal.objects.prefetch_related("cosponsorships").get(pk=pk)


def _block_out(b: Block) -> BlockOut:
    content = [
        SegmentOut(text=s.text)
        if isinstance(s, Plain)
        else SegmentOut(
            options=[
                OptionOut(text=o.text, sponsors=list(o.sponsors), deletion=list(o.deletion))
                for o in s.options
            ]
        )
        for s in b.content
    ]
    return BlockOut(
        eid=b.eid,
        kind=b.kind.value,
        num=b.num,
        heading=b.heading,
        status=b.status.value,
        proposed_by=list(b.proposed_by),
        deletion_by=list(b.deletion_by),
        content=content,
        children=[_block_out(c) for c in b.children],
    )


def _text_of(instrument: Instrument, ref: str) -> tuple[str, RollingText]:
    from consensio.drafting.views import _version_text

    return _version_text(instrument, ref)


@router.get("/instruments", response=list[InstrumentOut], summary="Negotiating texts")
def list_instruments(request: HttpRequest) -> list[InstrumentOut]:
    return [_instrument_out(i) for i in Instrument.objects.select_related("body")]


@router.get("/instruments/{int:pk}", response=InstrumentOut)
def get_instrument(request: HttpRequest, pk: int) -> InstrumentOut:
    return _instrument_out(access.get_instrument(pk))


@router.get(
    "/instruments/{int:pk}/provisions",
    response=list[ProvisionOut],
    summary="The base text, in document order",
)
def list_provisions(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    instrument = access.get_instrument(pk)
    return [_provision_out(p) for p in Provision.objects.filter(instrument=instrument).order_by("position")]


@router.get(
    "/instruments/{int:pk}/provisions/{eid}",
    response=ProvisionDetailOut,
    summary="One provision with its status history",
)
def get_provision(request: HttpRequest, pk: int, eid: str) -> dict[str, Any]:
    provision = access.get_provision(access.get_instrument(pk), eid)
    history = [
        StatusRecordOut(
            status=h.status,
            trigger=h.trigger,
            set_by=h.set_by.get_username() if h.set_by else None,
            set_at=h.set_at,
            decision_ref=h.decision_ref,
        )
        for h in provision.history.select_related("set_by")
    ]
    return {**_provision_out(provision), "history": history}


@router.post(
    "/instruments/{int:pk}/provisions/{eid}/status",
    response=ProvisionDetailOut,
    auth=django_auth,
    summary="Change a provision's status (secretariat)",
)
def set_status(request: HttpRequest, pk: int, eid: str, payload: StatusIn) -> dict[str, Any]:
    _guard(request, "secretariat")
    provision = access.get_provision(access.get_instrument(pk), eid)
    try:
        do_set_provision_status(
            request.user, provision, trigger=payload.trigger, decision_ref=payload.decision_ref
        )
    except (TextError, PermissionError, ValueError) as exc:
        raise _refused(exc) from None
    return get_provision(request, pk, eid)


@router.get(
    "/instruments/{int:pk}/rolling-text",
    response=RollingTextOut,
    summary="The rolling text: base text with every tabled proposal as attributed brackets",
)
def get_rolling_text(request: HttpRequest, pk: int) -> RollingTextOut:
    text = rolling_text(access.get_instrument(pk))
    return RollingTextOut(
        title=text.title,
        preamble=[_block_out(b) for b in text.preamble],
        body=[_block_out(b) for b in text.body],
    )


@router.get("/instruments/{int:pk}/proposals", response=list[ProposalOut])
def list_proposals(
    request: HttpRequest,
    pk: int,
    eid: str | None = None,
    sponsor: str | None = None,
    status: str | None = None,
) -> list[ProposalOut]:
    qs = Proposal.objects.filter(instrument=access.get_instrument(pk)).prefetch_related("cosponsorships")
    if eid:
        qs = qs.filter(eid=eid)
    if sponsor:
        qs = qs.filter(sponsor_id=sponsor.upper())
    if status:
        qs = qs.filter(status=status)
    return [_proposal_out(p) for p in qs]


@router.post(
    "/instruments/{int:pk}/proposals",
    response={201: ProposalOut},
    auth=django_auth,
    summary="Table a proposal (a delegate for their delegation; the secretariat on a delegation's behalf)",
)
def table_proposal(request: HttpRequest, pk: int, payload: ProposalIn) -> Status:
    _guard(request, *WRITERS)
    instrument = access.get_instrument(pk)
    try:
        row = do_table_proposal(request.user, instrument, **payload.model_dump())
    except (TextError, PermissionError, ValueError) as exc:
        raise _refused(exc) from None
    return Status(201, _proposal_out(_fresh(row.pk)))


@router.get("/proposals/{int:proposal_id}", response=ProposalOut)
def get_proposal(request: HttpRequest, proposal_id: int) -> ProposalOut:
    access.get_proposal(proposal_id)
    return _proposal_out(_fresh(proposal_id))


@router.patch(
    "/proposals/{int:proposal_id}",
    response=ProposalOut,
    auth=django_auth,
    summary="Change a proposal's words (its sponsor); 409 when expected_version is not the current one",
)
def edit_proposal(request: HttpRequest, proposal_id: int, payload: ProposalEditIn) -> ProposalOut:
    _guard(request, "delegate")
    proposal = access.get_proposal(proposal_id)
    try:
        do_edit_proposal(
            request.user,
            proposal,
            expected_version=payload.expected_version,
            text=payload.text,
            heading=payload.heading,
            justification=payload.justification,
        )
    except (TextError, PermissionError, ValueError) as exc:
        raise _refused(exc) from None
    return _proposal_out(_fresh(proposal_id))


@router.post(
    "/proposals/{int:proposal_id}/withdraw",
    response=ProposalOut,
    auth=django_auth,
    summary="Withdraw a proposal (its sponsor)",
)
def withdraw_proposal(request: HttpRequest, proposal_id: int, payload: WithdrawIn) -> ProposalOut:
    _guard(request, "delegate")
    proposal = access.get_proposal(proposal_id)
    try:
        do_withdraw_proposal(request.user, proposal, expected_version=payload.expected_version)
    except (TextError, PermissionError, ValueError) as exc:
        raise _refused(exc) from None
    return _proposal_out(_fresh(proposal_id))


@router.post(
    "/proposals/{int:proposal_id}/cosponsors",
    response={201: ProposalOut},
    auth=django_auth,
    summary="Join a proposal as co-sponsor",
)
def cosponsor(request: HttpRequest, proposal_id: int, payload: CoSponsorIn) -> Status:
    _guard(request, *WRITERS)
    proposal = access.get_proposal(proposal_id)
    try:
        do_cosponsor(request.user, proposal, delegation=payload.delegation)
    except (TextError, PermissionError, ValueError) as exc:
        raise _refused(exc) from None
    return Status(201, _proposal_out(_fresh(proposal_id)))


@router.delete(
    "/proposals/{int:proposal_id}/cosponsors/{key}",
    response=ProposalOut,
    auth=django_auth,
    summary="Withdraw a co-sponsorship",
)
def withdraw_cosponsorship(request: HttpRequest, proposal_id: int, key: str) -> ProposalOut:
    _guard(request, *WRITERS)
    proposal = access.get_proposal(proposal_id)
    try:
        do_withdraw_cosponsorship(request.user, proposal, delegation=key)
    except (TextError, PermissionError, ValueError) as exc:
        raise _refused(exc) from None
    return _proposal_out(_fresh(proposal_id))


@router.get("/instruments/{int:pk}/versions", response=list[VersionOut])
def list_versions(request: HttpRequest, pk: int) -> list[VersionOut]:
    versions = Version.objects.filter(instrument=access.get_instrument(pk)).select_related("taken_by")
    return [
        VersionOut(
            id=v.pk,
            name=v.name,
            taken_at=v.taken_at,
            taken_by=v.taken_by.get_username() if v.taken_by else None,
        )
        for v in versions
    ]


@router.post(
    "/instruments/{int:pk}/versions",
    response={201: VersionOut},
    auth=django_auth,
    summary="Take a named version of the current rolling text (secretariat)",
)
def take_version(request: HttpRequest, pk: int, payload: VersionIn) -> Status:
    _guard(request, "secretariat")
    try:
        v = do_take_version(request.user, access.get_instrument(pk), name=payload.name)
    except (TextError, PermissionError, ValueError) as exc:
        raise _refused(exc) from None
    return Status(
        201, VersionOut(id=v.pk, name=v.name, taken_at=v.taken_at, taken_by=request.user.get_username())
    )


@router.get(
    "/instruments/{int:pk}/compare",
    response=RedlineOut,
    summary="Redline between two versions (ids, or 'current'), provisions matched by eId",
)
def compare_versions(request: HttpRequest, pk: int, old: str, new: str = "current") -> RedlineOut:
    instrument = access.get_instrument(pk)
    old_name, old_text = _text_of(instrument, old)
    new_name, new_text = _text_of(instrument, new)
    redline = compare(old_text, new_text)
    return RedlineOut(
        old=old_name,
        new=new_name,
        changes=[
            ChangeOut(
                eid=c.eid,
                kind=c.kind.value,
                changes=sorted(x.value for x in c.changes),
                old_num=c.old_num,
                new_num=c.new_num,
                old_heading=c.old_heading,
                new_heading=c.new_heading,
                words=[WordsOut(op=w.op, text=w.text) for w in c.words],
            )
            for c in redline.changed
        ],
    )


@router.get("/instruments/{int:pk}/export/{fmt}", summary="Download as akn, docx, html or md (?version=id)")
def export(request: HttpRequest, pk: int, fmt: str, version: str = "current") -> HttpResponse:
    from consensio.api import ApiError
    from consensio.drafting.views import EXPORTS, export_text

    if fmt not in EXPORTS:
        raise ApiError(
            404, "unknown_format", f"Unknown export format {fmt!r}; use one of {', '.join(EXPORTS)}."
        )
    return export_text(request, pk, fmt)
