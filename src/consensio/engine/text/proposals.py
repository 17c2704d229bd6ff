"""Proposals: textual amendments tabled by a delegation on one provision of the negotiating text.

A proposal inserts, deletes or replaces words in a provision, offers a complete alternative
wording, adds a provision after another, or deletes a provision. It has a sponsor and co-sponsors
who join and withdraw at given times; the list is frozen once the provision is adopted. The six
operations mirror the textual modifications of Akoma Ntoso's amendment analysis (`textualMod`
types insertion, substitution, repeal) and the way UN compilations of proposals are tabled.

Proposals are immutable values; every change returns a new value with `version + 1`, and a change
that quotes an older version raises ConflictError (optimistic concurrency for the database layer).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from .errors import (
    ConflictError,
    ProposalStateError,
    ProvisionClosedError,
    SpanError,
    SponsorsFrozenError,
    SponsorshipError,
    StructureError,
)
from .status import TAKES_PROPOSALS, Status
from .tree import BODY, PREAMBLE, Instrument, Kind


class ProposalKind(StrEnum):
    INSERT = "insert"
    DELETE = "delete"
    REPLACE = "replace"
    ALTERNATIVE = "alternative"
    ADD_PROVISION = "add_provision"
    DELETE_PROVISION = "delete_provision"


TEXTUAL = frozenset(
    {ProposalKind.INSERT, ProposalKind.DELETE, ProposalKind.REPLACE, ProposalKind.ALTERNATIVE}
)


class ProposalStatus(StrEnum):
    TABLED = "tabled"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"
    NOT_RETAINED = "not_retained"
    SUPERSEDED = "superseded"


class CoSponsorshipLike(Protocol):
    @property
    def delegation(self) -> str: ...
    @property
    def joined_at(self) -> datetime: ...
    @property
    def withdrawn_at(self) -> datetime | None: ...


class ProposalLike(Protocol):
    """What compilation reads from a proposal; a Django row with these attributes will do."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def provision(self) -> str: ...
    @property
    def sponsor(self) -> str: ...
    @property
    def tabled_at(self) -> datetime: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def new_eid(self) -> str: ...
    @property
    def new_kind(self) -> str: ...
    @property
    def new_parent(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def cosponsors(self) -> Sequence[CoSponsorshipLike]: ...


@dataclass(frozen=True, slots=True)
class CoSponsorship:
    delegation: str
    joined_at: datetime
    withdrawn_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposal. For ADD_PROVISION, `provision` is the provision after which the new one goes
    (or its parent, when it goes first) and `new_eid`/`new_kind`/`new_parent` describe it."""

    id: str
    kind: ProposalKind
    provision: str
    sponsor: str
    tabled_at: datetime
    start: int = 0
    end: int = 0
    text: str = ""
    quoted: str = ""
    heading: str = ""
    new_eid: str = ""
    new_kind: str = ""
    new_parent: str = ""
    justification: str = ""
    cosponsors: tuple[CoSponsorship, ...] = ()
    status: ProposalStatus = ProposalStatus.TABLED
    version: int = 1


def live_sponsors(proposal: ProposalLike) -> tuple[str, ...]:
    """Sponsor first, then co-sponsors still on board in order of joining (ties by key)."""
    sponsor = proposal.sponsor
    # Sorting plain tuples (joined_at, code) is the hot path of compilation: no key function.
    active = sorted([(c.joined_at, c.delegation) for c in proposal.cosponsors if c.withdrawn_at is None])
    out = [sponsor]
    for _, code in active:
        if code not in out:
            out.append(code)
    return tuple(out)


def status_of(statuses: Mapping[str, Status], eid: str) -> Status:
    return statuses.get(eid, Status.OPEN)


def _check_open(statuses: Mapping[str, Status], eid: str) -> None:
    status = status_of(statuses, eid)
    if status not in TAKES_PROPOSALS:
        raise ProvisionClosedError(eid, status.value)


def resolve_span(
    eid: str, text: str, span: str | tuple[int, int], occurrence: int | None = None
) -> tuple[int, int]:
    """Offsets of a span given as offsets or as quoted words (which must occur once, or pick
    `occurrence`, 1-based)."""
    if isinstance(span, tuple):
        start, end = span
        if not 0 <= start < end <= len(text):
            raise SpanError(eid, f"{start}:{end}", f"offsets outside the text (length {len(text)})")
        return start, end
    if not span:
        raise SpanError(eid, span, "an empty span")
    hits = []
    at = text.find(span)
    while at != -1:
        hits.append(at)
        at = text.find(span, at + 1)
    if not hits:
        raise SpanError(eid, span, "not in the current text")
    if occurrence is None:
        if len(hits) > 1:
            raise SpanError(eid, span, f"occurs {len(hits)} times; say which occurrence")
        occurrence = 1
    if not 1 <= occurrence <= len(hits):
        raise SpanError(eid, span, f"occurrence {occurrence} of {len(hits)}")
    start = hits[occurrence - 1]
    return start, start + len(span)


def _textual(
    instrument: Instrument,
    statuses: Mapping[str, Status],
    kind: ProposalKind,
    *,
    id: str,
    provision: str,
    sponsor: str,
    at: datetime,
    start: int,
    end: int,
    text: str,
    justification: str,
) -> Proposal:
    node = instrument.get(provision)
    if node.kind in (Kind.CHAPTER, Kind.ARTICLE):
        raise StructureError(
            f"proposal {id}: the words of {node.kind.value} {provision} are in its paragraphs"
        )
    return Proposal(
        id=id,
        kind=kind,
        provision=provision,
        sponsor=sponsor,
        tabled_at=at,
        start=start,
        end=end,
        text=text,
        quoted=node.text[start:end],
        justification=justification,
    )


def table_insert(
    instrument: Instrument,
    statuses: Mapping[str, Status],
    *,
    id: str,
    provision: str,
    sponsor: str,
    at: datetime,
    text: str,
    offset: int | None = None,
    after: str | None = None,
    occurrence: int | None = None,
    justification: str = "",
) -> Proposal:
    """Insert `text` at a character `offset` or right after the quoted `after` anchor."""
    current = instrument.get(provision).text
    _check_open(statuses, provision)
    if not text:
        raise SpanError(provision, text, "nothing to insert")
    if (offset is None) == (after is None):
        raise SpanError(provision, str(after), "give either an offset or an anchor to insert after")
    if after is not None:
        point = resolve_span(provision, current, after, occurrence)[1]
    else:
        assert offset is not None
        if not 0 <= offset <= len(current):
            raise SpanError(provision, str(offset), f"offset outside the text (length {len(current)})")
        point = offset
    return _textual(
        instrument,
        statuses,
        ProposalKind.INSERT,
        id=id,
        provision=provision,
        sponsor=sponsor,
        at=at,
        start=point,
        end=point,
        text=text,
        justification=justification,
    )


def table_delete(
    instrument: Instrument,
    statuses: Mapping[str, Status],
    *,
    id: str,
    provision: str,
    sponsor: str,
    at: datetime,
    span: str | tuple[int, int],
    occurrence: int | None = None,
    justification: str = "",
) -> Proposal:
    """Delete a span of the provision's current text."""
    current = instrument.get(provision).text
    _check_open(statuses, provision)
    start, end = resolve_span(provision, current, span, occurrence)
    return _textual(
        instrument,
        statuses,
        ProposalKind.DELETE,
        id=id,
        provision=provision,
        sponsor=sponsor,
        at=at,
        start=start,
        end=end,
        text="",
        justification=justification,
    )


def table_replace(
    instrument: Instrument,
    statuses: Mapping[str, Status],
    *,
    id: str,
    provision: str,
    sponsor: str,
    at: datetime,
    span: str | tuple[int, int],
    text: str,
    occurrence: int | None = None,
    justification: str = "",
) -> Proposal:
    """Replace a span of the provision's current text with `text`."""
    current = instrument.get(provision).text
    _check_open(statuses, provision)
    start, end = resolve_span(provision, current, span, occurrence)
    if not text:
        raise SpanError(provision, current[start:end], "a replacement needs text (or propose a deletion)")
    return _textual(
        instrument,
        statuses,
        ProposalKind.REPLACE,
        id=id,
        provision=provision,
        sponsor=sponsor,
        at=at,
        start=start,
        end=end,
        text=text,
        justification=justification,
    )


def table_alternative(
    instrument: Instrument,
    statuses: Mapping[str, Status],
    *,
    id: str,
    provision: str,
    sponsor: str,
    at: datetime,
    text: str,
    justification: str = "",
) -> Proposal:
    """Offer a complete alternative wording of the provision."""
    current = instrument.get(provision).text
    _check_open(statuses, provision)
    if not text:
        raise SpanError(provision, text, "an alternative needs text (or propose deleting the provision)")
    return _textual(
        instrument,
        statuses,
        ProposalKind.ALTERNATIVE,
        id=id,
        provision=provision,
        sponsor=sponsor,
        at=at,
        start=0,
        end=len(current),
        text=text,
        justification=justification,
    )


def table_new_provision(
    instrument: Instrument,
    statuses: Mapping[str, Status],
    *,
    id: str,
    after: str,
    sponsor: str,
    at: datetime,
    kind: Kind,
    text: str,
    heading: str = "",
    first_in: bool = False,
    new_eid: str | None = None,
    reserved: Container[str] = (),
    justification: str = "",
) -> Proposal:
    """Propose a new provision of `kind` right after the provision `after` — or, with
    `first_in=True`, as the first child of `after`. It gets its eId now, avoiding the eIds in
    `reserved` (those of other pending proposals)."""
    if first_in:
        parent = after
        position = 1
    else:
        parent = instrument.get(after).parent
        position = len(instrument.children(parent)) + 1
    if parent not in (BODY, PREAMBLE):
        _check_open(statuses, parent)
    try:
        instrument.check_parent(kind, parent)
    except StructureError as exc:
        raise StructureError(f"proposal {id}: {exc}") from None
    if new_eid is None:
        new_eid = instrument.free_eid(kind, parent, position, reserved)
    elif new_eid in instrument or new_eid in reserved:
        raise StructureError(f"proposal {id}: eId {new_eid!r} is already used")
    return Proposal(
        id=id,
        kind=ProposalKind.ADD_PROVISION,
        provision=after,
        sponsor=sponsor,
        tabled_at=at,
        text=text,
        heading=heading,
        new_eid=new_eid,
        new_kind=kind.value,
        new_parent=parent,
        justification=justification,
    )


def table_provision_deletion(
    instrument: Instrument,
    statuses: Mapping[str, Status],
    *,
    id: str,
    provision: str,
    sponsor: str,
    at: datetime,
    justification: str = "",
) -> Proposal:
    """Propose deleting a whole provision."""
    instrument.get(provision)
    _check_open(statuses, provision)
    return Proposal(
        id=id,
        kind=ProposalKind.DELETE_PROVISION,
        provision=provision,
        sponsor=sponsor,
        tabled_at=at,
        justification=justification,
    )


def validate(proposal: Proposal, instrument: Instrument, statuses: Mapping[str, Status]) -> None:
    """Check a stored proposal against the current text: the provision exists and takes proposals,
    and the span it quotes is still where it was."""
    if proposal.kind is ProposalKind.ADD_PROVISION:
        parent = proposal.new_parent
        if parent not in (BODY, PREAMBLE):
            instrument.get(parent)
            _check_open(statuses, parent)
        return
    current = instrument.get(proposal.provision).text
    _check_open(statuses, proposal.provision)
    if proposal.kind in TEXTUAL and current[proposal.start : proposal.end] != proposal.quoted:
        raise SpanError(proposal.provision, proposal.quoted, "no longer at the place the proposal quotes")
    if proposal.kind is ProposalKind.ALTERNATIVE and proposal.end != len(current):
        raise SpanError(proposal.provision, proposal.quoted, "the provision's text changed since tabling")


def _check_version(proposal: Proposal, expected_version: int) -> None:
    if expected_version != proposal.version:
        raise ConflictError(f"proposal {proposal.id}", expected_version, proposal.version)


def _check_sponsorship_open(proposal: Proposal, provision_status: Status) -> None:
    if provision_status is Status.ADOPTED:
        raise SponsorsFrozenError(proposal.id, proposal.provision)
    if proposal.status is not ProposalStatus.TABLED:
        raise ProposalStateError(f"proposal {proposal.id} is {proposal.status.value}; sponsors are closed")


def join(
    proposal: Proposal,
    delegation: str,
    at: datetime,
    *,
    expected_version: int,
    provision_status: Status = Status.OPEN,
) -> Proposal:
    """`delegation` co-sponsors the proposal from `at`."""
    _check_version(proposal, expected_version)
    _check_sponsorship_open(proposal, provision_status)
    if delegation == proposal.sponsor:
        raise SponsorshipError(f"{delegation} is the sponsor of proposal {proposal.id}")
    if any(c.delegation == delegation and c.withdrawn_at is None for c in proposal.cosponsors):
        raise SponsorshipError(f"{delegation} already co-sponsors proposal {proposal.id}")
    return replace(
        proposal,
        cosponsors=(*proposal.cosponsors, CoSponsorship(delegation, at)),
        version=proposal.version + 1,
    )


def withdraw_sponsorship(
    proposal: Proposal,
    delegation: str,
    at: datetime,
    *,
    expected_version: int,
    provision_status: Status = Status.OPEN,
) -> Proposal:
    """`delegation` stops co-sponsoring from `at` (the record stays, with its dates)."""
    _check_version(proposal, expected_version)
    _check_sponsorship_open(proposal, provision_status)
    if delegation == proposal.sponsor:
        raise SponsorshipError(
            f"{delegation} is the sponsor of proposal {proposal.id}: withdraw the proposal"
        )
    records = list(proposal.cosponsors)
    for i, c in enumerate(records):
        if c.delegation == delegation and c.withdrawn_at is None:
            records[i] = replace(c, withdrawn_at=at)
            return replace(proposal, cosponsors=tuple(records), version=proposal.version + 1)
    raise SponsorshipError(f"{delegation} does not co-sponsor proposal {proposal.id}")


def set_status(proposal: Proposal, status: ProposalStatus, *, expected_version: int) -> Proposal:
    """Close a tabled proposal: withdrawn by its sponsor, merged, not retained, superseded."""
    _check_version(proposal, expected_version)
    if proposal.status is not ProposalStatus.TABLED:
        raise ProposalStateError(f"proposal {proposal.id} is already {proposal.status.value}")
    if status is ProposalStatus.TABLED:
        raise ProposalStateError(f"proposal {proposal.id} is already tabled")
    return replace(proposal, status=status, version=proposal.version + 1)
