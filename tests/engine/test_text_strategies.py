"""Hypothesis strategies for the text engine's property tests (rolling texts, instruments,
proposals), shared by the other test_text_* modules, plus a check that they produce what they claim."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from consensio.engine.text import proposals as P
from consensio.engine.text.rolling import Block, Bracket, Option, Plain, RollingText, normalize, renumber
from consensio.engine.text.status import Status
from consensio.engine.text.tree import PREAMBLE, Instrument, Kind, default_eid

CODES = ["EU", "JPN", "RUS", "CHN", "USA", "BRA", "AUT", "G77", "ZAF", "IND"]
T0 = datetime(2024, 7, 29, 10, 0)

# Any character a line can hold and XML can carry: no control, surrogate, unassigned or line/paragraph
# separator characters (a line break ends a provision in the notation).
chars = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp", "Co"))
# Bias towards the characters that carry structure, so escaping is exercised hard.
tricky = st.sampled_from(list("[]{}|\\ .()—-:#;,1a") + ["Article 1", "Chapter I", "(a) ", "1. ", "Title: "])
words = st.lists(st.one_of(st.text(chars, min_size=1, max_size=6), tricky), min_size=1, max_size=6).map(
    "".join
)
codes = st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True).map(tuple)


@st.composite
def options(draw: Any) -> Option:
    if draw(st.booleans()):
        return Option(draw(words), draw(codes))
    return Option(draw(words), (), draw(st.one_of(st.just(()), codes)))


segments = st.lists(
    st.one_of(words.map(Plain), st.lists(options(), min_size=1, max_size=3).map(lambda o: Bracket(tuple(o)))),
    max_size=5,
).map(normalize)


@st.composite
def block(draw: Any, kind: Kind, children: list[Block] | None = None) -> Block:
    proposed: tuple[str, ...] = ()
    deletion: tuple[str, ...] = ()
    which = draw(st.integers(0, 3))
    if which == 1:
        proposed = draw(codes)
    elif which == 2:
        deletion = draw(codes)
    heading = draw(st.one_of(st.just(""), words)) if kind in (Kind.CHAPTER, Kind.ARTICLE) else ""
    content = draw(segments) if kind not in (Kind.CHAPTER, Kind.ARTICLE) else ()
    return Block(
        "",
        kind,
        heading=heading,
        content=content,
        status=draw(st.sampled_from(list(Status))),
        proposed_by=proposed,
        deletion_by=deletion,
        children=tuple(children or ()),
    )


@st.composite
def articles(draw: Any) -> Block:
    paragraphs = []
    for _ in range(draw(st.integers(0, 3))):
        subs = [draw(block(Kind.SUBPARAGRAPH)) for _ in range(draw(st.integers(0, 2)))]
        paragraphs.append(draw(block(Kind.PARAGRAPH, subs)))
    article: Block = draw(block(Kind.ARTICLE, paragraphs))
    return article


def _with_eids(
    draw: Any, blocks: tuple[Block, ...], parent: str, articles_seen: list[int]
) -> tuple[Block, ...]:
    """Default eIds as the notation assigns them, some replaced by custom unique ones."""
    out = []
    chapters = 0
    for position, b in enumerate(blocks, 1):
        if b.kind is Kind.CHAPTER:
            chapters += 1
            eid = default_eid(b.kind, parent, chapters)
        elif b.kind is Kind.ARTICLE:
            articles_seen[0] += 1
            eid = default_eid(b.kind, parent, articles_seen[0])
        else:
            eid = default_eid(b.kind, parent, position)
        if draw(st.integers(0, 5)) == 0:
            articles_seen[1] += 1
            eid = f"x{articles_seen[1]}_{eid}"
        out.append(
            Block(
                eid,
                b.kind,
                heading=b.heading,
                content=b.content,
                status=b.status,
                proposed_by=b.proposed_by,
                deletion_by=b.deletion_by,
                children=_with_eids(draw, b.children, eid, articles_seen),
            )
        )
    return tuple(out)


@st.composite
def rolling_texts(draw: Any) -> RollingText:
    title = draw(st.one_of(st.just(""), words))
    preamble = tuple(draw(block(Kind.PREAMBLE_PARAGRAPH)) for _ in range(draw(st.integers(0, 3))))
    if draw(st.booleans()):
        body = tuple(
            draw(block(Kind.CHAPTER, [draw(articles()) for _ in range(draw(st.integers(0, 3)))]))
            for _ in range(draw(st.integers(0, 3)))
        )
    else:
        body = tuple(draw(articles()) for _ in range(draw(st.integers(0, 3))))
    counters = [0, 0]
    preamble_ids = tuple(
        Block(
            f"x{i}_custom" if draw(st.integers(0, 5)) == 0 else default_eid(b.kind, PREAMBLE, i),
            b.kind,
            content=b.content,
            status=b.status,
            proposed_by=b.proposed_by,
            deletion_by=b.deletion_by,
        )
        for i, b in enumerate(preamble, 1)
    )
    return renumber(title, preamble_ids, _with_eids(draw, body, "", counters))


# -- instruments with proposals, for compilation properties -------------------------------------

sentence_words = st.sampled_from(
    ["Each", "State", "Party", "shall", "adopt", "such", "measures", "as", "may", "be"]
)
sentences = st.lists(sentence_words, min_size=1, max_size=10).map(" ".join)


@st.composite
def negotiations(draw: Any) -> tuple[Instrument, list[P.Proposal], dict[str, Status]]:
    instrument = Instrument("Draft convention")
    instrument.add(Kind.PREAMBLE_PARAGRAPH, draw(sentences))
    chapter = instrument.add(Kind.CHAPTER, heading="General provisions")
    paragraphs = []
    for _ in range(draw(st.integers(1, 3))):
        article = instrument.add(Kind.ARTICLE, parent=chapter.eid, heading="Article")
        for _ in range(draw(st.integers(1, 3))):
            para = instrument.add(Kind.PARAGRAPH, draw(sentences), parent=article.eid)
            paragraphs.append(para.eid)
    statuses = {
        eid: draw(st.sampled_from([Status.OPEN, Status.OPEN, Status.INFORMALLY_AGREED, Status.AGREED_AD_REF]))
        for eid in paragraphs
    }
    open_paras = [e for e in paragraphs if statuses[e] in (Status.OPEN, Status.INFORMALLY_AGREED)]
    proposals: list[P.Proposal] = []
    if not open_paras:
        return instrument, proposals, statuses
    for n in range(draw(st.integers(0, 12))):
        eid = draw(st.sampled_from(open_paras))
        text = instrument.get(eid).text
        sponsor = draw(st.sampled_from(CODES))
        at = T0 + timedelta(minutes=draw(st.integers(0, 30)))
        kind = draw(st.sampled_from(list(P.ProposalKind)))
        common = {"id": f"P{n:03d}", "sponsor": sponsor, "at": at}
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        if kind is P.ProposalKind.INSERT:
            p = P.table_insert(
                instrument, statuses, provision=eid, text=draw(sentences), offset=start, **common
            )
        elif kind is P.ProposalKind.DELETE:
            p = P.table_delete(instrument, statuses, provision=eid, span=(start, end), **common)
        elif kind is P.ProposalKind.REPLACE:
            p = P.table_replace(
                instrument, statuses, provision=eid, span=(start, end), text=draw(sentences), **common
            )
        elif kind is P.ProposalKind.ALTERNATIVE:
            p = P.table_alternative(instrument, statuses, provision=eid, text=draw(sentences), **common)
        elif kind is P.ProposalKind.ADD_PROVISION:
            reserved = {q.new_eid for q in proposals}
            p = P.table_new_provision(
                instrument,
                statuses,
                after=eid,
                kind=Kind.PARAGRAPH,
                text=draw(sentences),
                reserved=reserved,
                **common,
            )
        else:
            p = P.table_provision_deletion(instrument, statuses, provision=eid, **common)
        for code in draw(st.lists(st.sampled_from(CODES), max_size=4, unique=True)):
            if code == sponsor:
                continue
            p = P.join(p, code, at + timedelta(minutes=draw(st.integers(0, 5))), expected_version=p.version)
            if draw(st.integers(0, 3)) == 0:
                p = P.withdraw_sponsorship(p, code, at + timedelta(hours=1), expected_version=p.version)
        if draw(st.integers(0, 4)) == 0:
            p = P.set_status(p, P.ProposalStatus.WITHDRAWN, expected_version=p.version)
        proposals.append(p)
    return instrument, proposals, statuses


@settings(max_examples=50, deadline=None)
@given(rolling_texts())
def test_rolling_texts_are_canonical(text: RollingText) -> None:
    assert renumber(text.title, text.preamble, text.body) == text
    eids = [b.eid for b in text.blocks()]
    assert len(eids) == len(set(eids))
    for b in text.blocks():
        assert normalize(b.content) == b.content
        assert not (b.proposed_by and b.deletion_by)
