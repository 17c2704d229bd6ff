"""Proposals: tabling and validation, co-sponsors, optimistic concurrency."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from consensio.engine.text import proposals as P
from consensio.engine.text.errors import (
    ConflictError,
    ProposalStateError,
    ProvisionClosedError,
    SpanError,
    SponsorsFrozenError,
    SponsorshipError,
    StructureError,
    UnknownProvisionError,
)
from consensio.engine.text.status import Status
from consensio.engine.text.tree import BODY, PREAMBLE, Instrument, Kind

T = datetime(2024, 7, 30, 10, 0)
PARA = "chp_1__art_1__para_1"
TEXT = "Each State Party shall adopt such measures as may be necessary to establish such offences."


def inst() -> Instrument:
    i = Instrument("Draft")
    i.add(Kind.PREAMBLE_PARAGRAPH, "The States Parties,")
    c = i.add(Kind.CHAPTER, heading="Criminalization")
    a = i.add(Kind.ARTICLE, parent=c.eid, heading="Illegal access")
    i.add(Kind.PARAGRAPH, TEXT, parent=a.eid)
    return i


def test_insert_at_offset_or_after_an_anchor() -> None:
    by_anchor = P.table_insert(
        inst(), {}, id="1", provision=PARA, sponsor="EU", at=T, after="adopt", text=" all"
    )
    assert (by_anchor.start, by_anchor.end, by_anchor.text) == (28, 28, " all")
    by_offset = P.table_insert(inst(), {}, id="2", provision=PARA, sponsor="EU", at=T, offset=0, text="1. ")
    assert by_offset.start == 0
    assert by_anchor.kind is P.ProposalKind.INSERT and by_anchor.version == 1


def test_span_by_quote_or_offsets() -> None:
    p = P.table_replace(inst(), {}, id="1", provision=PARA, sponsor="RUS", at=T, span="shall", text="may")
    assert (p.start, p.end, p.quoted) == (17, 22, "shall")
    p = P.table_delete(inst(), {}, id="2", provision=PARA, sponsor="USA", at=T, span=(0, 5))
    assert p.quoted == "Each "
    p = P.table_delete(inst(), {}, id="3", provision=PARA, sponsor="USA", at=T, span="such", occurrence=2)
    assert TEXT[p.start :].startswith("such offences")


@pytest.mark.parametrize(
    ("span", "problem"),
    [
        ("should", "not in the current text"),
        ("such", "occurs 2 times"),
        ((5, 500), "offsets outside the text"),
        ((5, 5), "offsets outside the text"),
        ("", "an empty span"),
    ],
)
def test_span_errors_name_the_provision_and_the_span(span: str | tuple[int, int], problem: str) -> None:
    with pytest.raises(SpanError, match=problem) as info:
        P.table_delete(inst(), {}, id="1", provision=PARA, sponsor="EU", at=T, span=span)
    assert info.value.eid == PARA
    assert PARA in str(info.value)


def test_other_span_errors() -> None:
    i = inst()
    with pytest.raises(SpanError, match="occurrence 3 of 2"):
        P.table_delete(i, {}, id="1", provision=PARA, sponsor="EU", at=T, span="such", occurrence=3)
    with pytest.raises(SpanError, match="either an offset or an anchor"):
        P.table_insert(i, {}, id="1", provision=PARA, sponsor="EU", at=T, text="x")
    with pytest.raises(SpanError, match="offset outside"):
        P.table_insert(i, {}, id="1", provision=PARA, sponsor="EU", at=T, text="x", offset=999)
    with pytest.raises(SpanError, match="nothing to insert"):
        P.table_insert(i, {}, id="1", provision=PARA, sponsor="EU", at=T, text="", offset=0)
    with pytest.raises(SpanError, match="needs text"):
        P.table_replace(i, {}, id="1", provision=PARA, sponsor="EU", at=T, span="shall", text="")
    with pytest.raises(SpanError, match="needs text"):
        P.table_alternative(i, {}, id="1", provision=PARA, sponsor="EU", at=T, text="")
    with pytest.raises(StructureError, match="in its paragraphs"):
        P.table_alternative(i, {}, id="1", provision="chp_1__art_1", sponsor="EU", at=T, text="x")
    with pytest.raises(UnknownProvisionError):
        P.table_delete(i, {}, id="1", provision="chp_9", sponsor="EU", at=T, span="x")


@pytest.mark.parametrize("status", [Status.ADOPTED, Status.DELETED, Status.AGREED_AD_REF])
def test_closed_provisions_take_no_proposals(status: Status) -> None:
    statuses = {PARA: status}
    with pytest.raises(ProvisionClosedError, match=f"{PARA} is {status.value}"):
        P.table_insert(inst(), statuses, id="1", provision=PARA, sponsor="EU", at=T, offset=0, text="x")
    with pytest.raises(ProvisionClosedError):
        P.table_provision_deletion(inst(), statuses, id="1", provision=PARA, sponsor="EU", at=T)
    with pytest.raises(ProvisionClosedError):
        P.table_new_provision(
            inst(),
            statuses,
            id="1",
            after=PARA,
            first_in=True,
            sponsor="EU",
            at=T,
            kind=Kind.SUBPARAGRAPH,
            text="x",
        )


def test_new_provisions_get_their_eid_at_tabling() -> None:
    i = inst()
    p = P.table_new_provision(
        i, {}, id="1", after=PARA, sponsor="JPN", at=T, kind=Kind.PARAGRAPH, text="New."
    )
    assert (p.new_eid, p.new_parent, p.provision) == ("chp_1__art_1__para_2", "chp_1__art_1", PARA)
    first = P.table_new_provision(
        i,
        {},
        id="2",
        after=PREAMBLE,
        first_in=True,
        sponsor="JPN",
        at=T,
        kind=Kind.PREAMBLE_PARAGRAPH,
        text="R",
    )
    assert first.new_eid == "preamble__p_1_2" and first.new_parent == PREAMBLE
    art = P.table_new_provision(
        i, {}, id="3", after="chp_1__art_1", sponsor="CHN", at=T, kind=Kind.ARTICLE, text="x", new_eid="art_x"
    )
    assert art.new_eid == "art_x"
    with pytest.raises(StructureError, match="already used"):
        P.table_new_provision(
            i, {}, id="4", after=PARA, sponsor="C", at=T, kind=Kind.PARAGRAPH, text="", new_eid=PARA
        )
    with pytest.raises(StructureError, match="proposal 5: a chapter cannot stand in an article"):
        P.table_new_provision(i, {}, id="5", after=PARA, sponsor="C", at=T, kind=Kind.CHAPTER, text="")
    body = P.table_new_provision(
        i, {}, id="6", after=BODY, first_in=True, sponsor="C", at=T, kind=Kind.CHAPTER, text=""
    )
    assert body.new_parent == BODY


def test_cosponsors_join_and_withdraw_in_order() -> None:
    p = P.table_delete(inst(), {}, id="7", provision=PARA, sponsor="EU", at=T, span="such", occurrence=1)
    p = P.join(p, "NOR", T + timedelta(minutes=2), expected_version=1)
    p = P.join(p, "JPN", T + timedelta(minutes=1), expected_version=2)
    p = P.join(p, "AUS", T + timedelta(minutes=1), expected_version=3)
    assert P.live_sponsors(p) == ("EU", "AUS", "JPN", "NOR")  # by joining time, ties by key
    p = P.withdraw_sponsorship(p, "JPN", T + timedelta(hours=1), expected_version=4)
    assert P.live_sponsors(p) == ("EU", "AUS", "NOR")
    p = P.join(p, "JPN", T + timedelta(hours=2), expected_version=5)
    assert P.live_sponsors(p) == ("EU", "AUS", "NOR", "JPN")
    assert [c.delegation for c in p.cosponsors] == ["NOR", "JPN", "AUS", "JPN"]
    assert p.version == 6


def test_sponsorship_refusals() -> None:
    p = P.table_delete(inst(), {}, id="7", provision=PARA, sponsor="EU", at=T, span="shall")
    with pytest.raises(ConflictError, match="you had version 3, it is now at 1"):
        P.join(p, "JPN", T, expected_version=3)
    with pytest.raises(SponsorshipError, match="is the sponsor"):
        P.join(p, "EU", T, expected_version=1)
    with pytest.raises(SponsorshipError, match="is the sponsor"):
        P.withdraw_sponsorship(p, "EU", T, expected_version=1)
    with pytest.raises(SponsorshipError, match="does not co-sponsor"):
        P.withdraw_sponsorship(p, "JPN", T, expected_version=1)
    p = P.join(p, "JPN", T, expected_version=1)
    with pytest.raises(SponsorshipError, match="already co-sponsors"):
        P.join(p, "JPN", T, expected_version=2)
    with pytest.raises(SponsorsFrozenError, match=f"{PARA} is adopted"):
        P.join(p, "NOR", T, expected_version=2, provision_status=Status.ADOPTED)
    with pytest.raises(SponsorsFrozenError):
        P.withdraw_sponsorship(p, "JPN", T, expected_version=2, provision_status=Status.ADOPTED)
    closed = P.set_status(p, P.ProposalStatus.MERGED, expected_version=2)
    with pytest.raises(ProposalStateError, match="merged"):
        P.join(closed, "NOR", T, expected_version=3)
    with pytest.raises(ProposalStateError, match="already merged"):
        P.set_status(closed, P.ProposalStatus.WITHDRAWN, expected_version=3)
    with pytest.raises(ProposalStateError, match="already tabled"):
        P.set_status(p, P.ProposalStatus.TABLED, expected_version=2)
    with pytest.raises(ConflictError):
        P.set_status(p, P.ProposalStatus.WITHDRAWN, expected_version=1)


def test_validate_against_the_current_text() -> None:
    i = inst()
    p = P.table_replace(i, {}, id="1", provision=PARA, sponsor="RUS", at=T, span="shall", text="may")
    alt = P.table_alternative(i, {}, id="2", provision=PARA, sponsor="CHN", at=T, text="Other.")
    new = P.table_new_provision(i, {}, id="3", after=PARA, sponsor="JPN", at=T, kind=Kind.PARAGRAPH, text="N")
    top = P.table_new_provision(
        i, {}, id="4", after=BODY, first_in=True, sponsor="C", at=T, kind=Kind.CHAPTER, text=""
    )
    for proposal in (p, alt, new, top):
        P.validate(proposal, i, {})
    with pytest.raises(ProvisionClosedError):
        P.validate(new, i, {"chp_1__art_1": Status.ADOPTED})
    i.replace(PARA, text="Each State Party may adopt such measures.")
    with pytest.raises(SpanError, match="no longer at the place"):
        P.validate(p, i, {})
    i.replace(PARA, text=TEXT + " More.")
    with pytest.raises(SpanError, match="changed since tabling"):
        P.validate(alt, i, {})
    with pytest.raises(ProvisionClosedError, match="adopted"):
        P.validate(p, i, {PARA: Status.ADOPTED})
