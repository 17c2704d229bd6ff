"""The one place where database rows become text-engine values, and the rolling text is compiled.

Rows are read in a fixed number of queries whatever their number: the provisions of an
instrument (one query), its tabled proposals (one) and their co-sponsorships (one, joined on
the instrument rather than an IN list of proposal ids).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from consensio.drafting.models import CoSponsorship, Instrument, Proposal, ProposalStatus, Provision
from consensio.engine.text import proposals as P
from consensio.engine.text.compile import compile_text
from consensio.engine.text.rolling import Block, Bracket, RollingText
from consensio.engine.text.status import Status
from consensio.engine.text.tree import Instrument as Tree
from consensio.engine.text.tree import Kind


@dataclass
class Loaded:
    """An instrument's base text as the engine sees it, with the rows it came from."""

    tree: Tree
    statuses: dict[str, Status]
    rows: dict[str, Provision]


def load_text(instrument: Instrument) -> Loaded:
    rows = list(Provision.objects.filter(instrument=instrument).order_by("position"))
    tree = Tree.from_rows(instrument.title, rows)
    statuses = {r.eid: Status(r.status) for r in rows if r.status != Status.OPEN}
    return Loaded(tree, statuses, {r.eid: r for r in rows})


def engine_proposal(row: Proposal, cosponsorships: Iterable[CoSponsorship] = ()) -> P.Proposal:
    return P.Proposal(
        id=str(row.pk),
        kind=P.ProposalKind(row.kind),
        provision=row.eid,
        sponsor=row.sponsor_id,
        tabled_at=row.tabled_at,
        start=row.start,
        end=row.end,
        text=row.text,
        quoted=row.quoted,
        heading=row.heading,
        new_eid=row.new_eid,
        new_kind=row.new_kind,
        new_parent=row.new_parent,
        justification=row.justification,
        cosponsors=tuple(
            P.CoSponsorship(c.delegation_id, c.joined_at, c.withdrawn_at) for c in cosponsorships
        ),
        status=P.ProposalStatus(row.status),
        version=row.version,
    )


def tabled_proposals(instrument: Instrument) -> list[P.Proposal]:
    """Every tabled proposal of the instrument with its live co-sponsors, as engine values (two queries).
    Rows are read as tuples: at convention scale (5,000 proposals, 20,000 co-sponsorships) building
    model instances would cost more than compiling the text."""
    cos: dict[int, list[P.CoSponsorship]] = defaultdict(list)
    # Only live co-sponsorships: a withdrawn one never shows in the compiled text.
    for proposal_id, delegation, joined in (
        CoSponsorship.objects.filter(
            proposal__instrument=instrument, proposal__status=ProposalStatus.TABLED, withdrawn_at__isnull=True
        )
        .order_by("joined_at", "id")
        .values_list("proposal_id", "delegation_id", "joined_at")
    ):
        cos[proposal_id].append(P.CoSponsorship(delegation, joined, None))
    rows = (
        Proposal.objects.filter(instrument=instrument, status=ProposalStatus.TABLED)
        .order_by("tabled_at", "id")
        .values_list(*_PROPOSAL_FIELDS)
    )
    return [
        P.Proposal(
            id=str(pk),
            kind=P.ProposalKind(kind),
            provision=eid,
            sponsor=sponsor,
            tabled_at=tabled_at,
            start=start,
            end=end,
            text=text,
            quoted=quoted,
            heading=heading,
            new_eid=new_eid,
            new_kind=new_kind,
            new_parent=new_parent,
            justification=justification,
            cosponsors=tuple(cos.get(pk, ())),
            status=P.ProposalStatus(status),
            version=version,
        )
        for (
            pk,
            kind,
            eid,
            sponsor,
            tabled_at,
            start,
            end,
            text,
            quoted,
            heading,
            new_eid,
            new_kind,
            new_parent,
            justification,
            status,
            version,
        ) in rows
    ]


_PROPOSAL_FIELDS = (
    "id",
    "kind",
    "eid",
    "sponsor_id",
    "tabled_at",
    "start",
    "end",
    "text",
    "quoted",
    "heading",
    "new_eid",
    "new_kind",
    "new_parent",
    "justification",
    "status",
    "version",
)


def rolling_text(instrument: Instrument, loaded: Loaded | None = None) -> RollingText:
    """The current rolling text: base text + tabled proposals, compiled by the engine."""
    loaded = loaded or load_text(instrument)
    return compile_text(loaded.tree, tabled_proposals(instrument), loaded.statuses)


# -- filtering the compiled text ----------------------------------------------------------------


def block_sponsors(block: Block) -> set[str]:
    codes = set(block.proposed_by) | set(block.deletion_by)
    for seg in block.content:
        if isinstance(seg, Bracket):
            codes.update(seg.sponsors)
    return codes


def prune(blocks: tuple[Block, ...], keep: Callable[[Block], bool]) -> tuple[Block, ...]:
    """The blocks that satisfy `keep`, with their ancestors for context (chapters and articles are
    kept only when something inside them is)."""
    out = []
    for block in blocks:
        children = prune(block.children, keep)
        if children or (block.kind not in (Kind.CHAPTER, Kind.ARTICLE) and keep(block)):
            out.append(
                Block(
                    block.eid,
                    block.kind,
                    block.num,
                    block.heading,
                    block.content,
                    block.status,
                    block.proposed_by,
                    block.deletion_by,
                    children,
                )
            )
    return tuple(out)


def filtered(text: RollingText, *, chapter: str = "", sponsor: str = "", status: str = "") -> RollingText:
    preamble, body = text.preamble, text.body
    if chapter:
        preamble = ()
        body = tuple(b for b in body if b.eid == chapter)
    if sponsor:
        preamble = prune(preamble, lambda b: sponsor in block_sponsors(b))
        body = prune(body, lambda b: sponsor in block_sponsors(b))
    if status:
        preamble = prune(preamble, lambda b: b.status.value == status)
        body = prune(body, lambda b: b.status.value == status)
    return RollingText(text.title, preamble, body)


def find_block(text: RollingText, eid: str) -> Block | None:
    for block in text.blocks():
        if block.eid == eid:
            return block
    return None


def unit_of(loaded: Loaded, eid: str) -> str:
    """The provision whose block a page re-renders when `eid` changes: its article (or the
    preambular paragraph, or the chapter for a chapter heading)."""
    node = loaded.rows.get(eid)
    while node is not None:
        if node.kind in (Kind.ARTICLE, Kind.PREAMBLE_PARAGRAPH, Kind.CHAPTER):
            return node.eid
        node = loaded.rows.get(node.parent)
    return ""
