"""Compilation of the rolling text: the case table and the required properties."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from test_text_strategies import negotiations

from consensio.engine.text import proposals as P
from consensio.engine.text.compile import Edit, compile_segments, compile_text, is_live
from consensio.engine.text.errors import StructureError
from consensio.engine.text.notation import serialize_segments
from consensio.engine.text.rolling import Bracket, Plain, RollingText
from consensio.engine.text.status import Status
from consensio.engine.text.tree import PREAMBLE, Instrument, Kind

CASES = json.loads((Path(__file__).parent / "cases" / "text_compile.json").read_text())["cases"]
T = datetime(2024, 7, 30, 10, 0)
PARA = "chp_1__art_1__para_1"


def one_paragraph(text: str) -> Instrument:
    i = Instrument("Draft")
    c = i.add(Kind.CHAPTER)
    a = i.add(Kind.ARTICLE, parent=c.eid)
    i.add(Kind.PARAGRAPH, text, parent=a.eid)
    return i


def table(instrument: Instrument, n: int, spec: dict[str, Any]) -> P.Proposal:
    common: dict[str, Any] = {
        "id": f"P{n}",
        "provision": PARA,
        "sponsor": spec["sponsor"],
        "at": T + timedelta(n),
    }
    kind = spec["kind"]
    if kind == "insert":
        p = P.table_insert(instrument, {}, after=spec["after"], text=spec["text"], **common)
    elif kind == "delete":
        p = P.table_delete(instrument, {}, span=spec["span"], **common)
    elif kind == "replace":
        p = P.table_replace(instrument, {}, span=spec["span"], text=spec["text"], **common)
    else:
        p = P.table_alternative(instrument, {}, text=spec["text"], **common)
    for k, code in enumerate(spec.get("cosponsors", ())):
        p = P.join(p, code, T + timedelta(n, minutes=k), expected_version=p.version)
    for code in spec.get("withdrawn", ()):
        p = P.withdraw_sponsorship(p, code, T + timedelta(n, hours=1), expected_version=p.version)
    if spec.get("status"):
        p = P.set_status(p, P.ProposalStatus(spec["status"]), expected_version=p.version)
    return p


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_compile_table(case: dict[str, Any]) -> None:
    instrument = one_paragraph(case["base"])
    proposals = [table(instrument, n, spec) for n, spec in enumerate(case["proposals"])]
    compiled = compile_text(instrument, proposals)
    paragraph = compiled.index()[PARA]
    assert serialize_segments(paragraph.content) == case["expect"]
    # Deterministic whatever the order the proposals arrive in.
    assert compile_text(instrument, list(reversed(proposals))) == compiled


def test_statuses_shape_the_compiled_text() -> None:
    i = one_paragraph("Each State Party shall adopt such measures.")
    art = "chp_1__art_1"
    second = i.add(Kind.PARAGRAPH, "Second.", parent=art)
    third = i.add(Kind.PARAGRAPH, "Third.", parent=art)
    p = P.table_replace(i, {}, id="1", provision=PARA, sponsor="EU", at=T, span="shall", text="may")
    d = P.table_provision_deletion(i, {}, id="2", provision=third.eid, sponsor="RUS", at=T)
    compiled = compile_text(i, [p, d], {PARA: Status.AGREED_AD_REF, second.eid: Status.DELETED})
    paras = compiled.index()[art].children
    assert [b.eid for b in paras] == [PARA, third.eid]  # the deleted provision is left out
    assert paras[0].content == (Plain("Each State Party shall adopt such measures."),)  # ad ref: clean
    assert paras[0].status is Status.AGREED_AD_REF
    assert [b.num for b in paras] == ["1", "2"]
    assert paras[1].deletion_by == ("RUS",)
    assert not is_live(p, {PARA: Status.AGREED_AD_REF})


def test_new_provisions_are_placed_and_attributed() -> None:
    i = one_paragraph("First.")
    new = P.table_new_provision(
        i, {}, id="1", after=PARA, sponsor="EU", at=T, kind=Kind.PARAGRAPH, text="Second."
    )
    # A proposal may add a provision after (or inside) one that another proposal adds.
    chained = replace(new, id="2", provision=new.new_eid, sponsor="JPN", text="Third.", new_eid="x3")
    sub = replace(
        new,
        id="3",
        provision=new.new_eid,
        new_parent=new.new_eid,
        sponsor="BRA",
        new_kind="subparagraph",
        new_eid="s",
    )
    with pytest.raises(StructureError, match="already used"):
        P.table_new_provision(
            i,
            {},
            id="9",
            after=PARA,
            sponsor="EU",
            at=T,
            kind=Kind.PARAGRAPH,
            text="",
            new_eid="x3",
            reserved={"x3"},
        )
    assert (
        P.table_new_provision(
            i,
            {},
            id="9",
            after=PARA,
            sponsor="EU",
            at=T,
            kind=Kind.PARAGRAPH,
            text="",
            reserved={new.new_eid},
        ).new_eid
        == new.new_eid + "_2"
    )
    article = P.table_new_provision(
        i,
        {},
        id="4",
        after="chp_1__art_1",
        sponsor="CHN",
        at=T,
        kind=Kind.ARTICLE,
        text="Words.",
        heading="New",
    )
    preamble = P.table_new_provision(
        i,
        {},
        id="5",
        after=PREAMBLE,
        first_in=True,
        sponsor="IND",
        at=T,
        kind=Kind.PREAMBLE_PARAGRAPH,
        text="R",
    )
    compiled = compile_text(i, [article, chained, new, sub, preamble])
    paras = compiled.index()["chp_1__art_1"].children
    assert [(b.eid, b.num, b.proposed_by) for b in paras] == [
        (PARA, "1", ()),
        (new.new_eid, "2", ("EU",)),
        ("x3", "3", ("JPN",)),
    ]
    assert paras[1].children[0].proposed_by == ("BRA",)
    art = compiled.body[0].children[1]
    assert (art.eid, art.num, art.heading, art.proposed_by) == (article.new_eid, "2", "New", ("CHN",))
    assert art.children[0].content == (Plain("Words."),)
    assert compiled.preamble[0].proposed_by == ("IND",)


def test_compile_segments_edge_cases() -> None:
    assert compile_segments("", []) == ()
    assert compile_segments("abc", [Edit(3, 3, "d", ("EU",))]) == (
        Plain("abc"),
        Bracket(((_opt("d", "EU")),)),
    )
    # An insertion at the start of a span goes before it, in its own bracket.
    segs = compile_segments("abc", [Edit(0, 0, "x", ("EU",)), Edit(0, 2, "", ("RUS",))])
    assert serialize_segments(segs) == "[x]{EU}[ab]{delete: RUS}c"


def _opt(text: str, *codes: str) -> Any:
    from consensio.engine.text.rolling import Option

    return Option(text, codes)


@settings(max_examples=150, deadline=None)
@given(negotiations())
def test_all_withdrawn_gives_back_the_base_text(negotiation: Any) -> None:
    instrument, proposals, statuses = negotiation
    withdrawn = [replace(p, status=P.ProposalStatus.WITHDRAWN) for p in proposals]
    compiled = compile_text(instrument, withdrawn, statuses)
    assert compiled == compile_text(instrument, [], statuses)
    index = compiled.index()
    for node in instrument:
        block = index[node.eid]
        if node.kind not in (Kind.CHAPTER, Kind.ARTICLE):
            assert block.content == ((Plain(node.text),) if node.text else ())
        assert not block.proposed_by and not block.deletion_by
    assert len(index) == len(instrument)


def _brackets(text: RollingText, eid: str) -> list[Bracket]:
    return [s for s in text.index()[eid].content if isinstance(s, Bracket)]


@settings(max_examples=150, deadline=None)
@given(negotiations())
def test_every_live_proposal_appears_with_all_its_live_sponsors(negotiation: Any) -> None:
    instrument, proposals, statuses = negotiation
    compiled = compile_text(instrument, proposals, statuses)
    index = compiled.index()
    for p in proposals:
        if not is_live(p, statuses):
            continue
        sponsors = set(P.live_sponsors(p))
        if p.kind is P.ProposalKind.ADD_PROVISION:
            assert set(index[p.new_eid].proposed_by) == sponsors
        elif p.kind is P.ProposalKind.DELETE_PROVISION:
            assert sponsors <= set(index[p.provision].deletion_by)
        else:
            found = [
                o
                for b in _brackets(compiled, p.provision)
                for o in b.options
                if (p.text and p.text in o.text and sponsors <= set(o.sponsors))
                or (not p.text and (sponsors <= set(o.sponsors) or sponsors <= set(o.deletion)))
            ]
            assert found, (p, index[p.provision].content)


@settings(max_examples=100, deadline=None)
@given(negotiations())
def test_importing_a_compiled_text_compiles_back_to_it(negotiation: Any) -> None:
    from consensio.engine.text.files import to_negotiation

    compiled = compile_text(*negotiation)
    imported = to_negotiation(compiled, at=T)
    assert compile_text(imported.instrument, imported.proposals, imported.statuses) == compiled
