"""Compilation of the rolling text: base text + live proposals → brackets and attributed options.

This is the Secretariat's "compilation of proposals" (research/domain.md §4.5) done mechanically:
every span that a live proposal touches is put in brackets; proposals whose spans overlap, or that
insert at the same point, are grouped as options of one bracket rather than nested; each option
names its sponsors (sponsor first, then co-sponsors in order of joining, ties by key); identical
wordings from different proposals become one option with both sets of sponsors. Provisions agreed
ad referendum or adopted appear clean and marked; deleted provisions are left out. The output is
deterministic for a given input, whatever the order in which proposals are passed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .proposals import ProposalKind, ProposalLike, ProposalStatus, live_sponsors
from .rolling import Block, Bracket, Option, Plain, RollingText, Segment, renumber
from .status import SHOWN_CLEAN, TAKES_PROPOSALS, Status
from .tree import BODY, PREAMBLE, Instrument, Kind


@dataclass(frozen=True, slots=True)
class Edit:
    """A textual proposal reduced to what compilation needs: replace text[start:end] by `text`."""

    start: int
    end: int
    text: str
    sponsors: tuple[str, ...]


def _merge_codes(into: list[str], codes: Iterable[str]) -> None:
    for code in codes:
        if code not in into:
            into.append(code)


def compile_segments(text: str, edits: Sequence[Edit]) -> tuple[Segment, ...]:
    """Bracket `text` for `edits` (given in proposal order). Edits that overlap, or insert at the
    same point, or insert strictly inside another's span, form one bracket of options."""
    if not edits:
        return (Plain(text),) if text else ()
    ordered = sorted(range(len(edits)), key=lambda i: (edits[i].start, edits[i].end, i))
    clusters: list[tuple[int, int, list[int]]] = []
    for i in ordered:
        edit = edits[i]
        if clusters:
            start, end, members = clusters[-1]
            point = start == end
            joins = (edit.start == start and edit.end == start) if point else edit.start < end
            if joins:
                members.append(i)
                clusters[-1] = (start, max(end, edit.end), members)
                continue
        clusters.append((edit.start, edit.end, [i]))

    segments: list[Segment] = []
    cursor = 0
    for start, end, members in clusters:
        if start > cursor:
            segments.append(Plain(text[cursor:start]))
        members.sort()  # back to proposal order for the options
        wordings: dict[str, list[str]] = {}
        deletion: list[str] = []
        for i in members:
            edit = edits[i]
            wording = text[start : edit.start] + edit.text + text[edit.end : end]
            if not wording:
                _merge_codes(deletion, edit.sponsors)
            else:
                _merge_codes(wordings.setdefault(wording, []), edit.sponsors)
        options = []
        if start < end:
            options.append(Option(text[start:end], (), tuple(deletion)))
        options.extend(Option(w, tuple(codes)) for w, codes in wordings.items())
        segments.append(Bracket(tuple(options)))
        cursor = end
    if cursor < len(text):
        segments.append(Plain(text[cursor:]))
    return tuple(segments)


def is_live(proposal: ProposalLike, statuses: Mapping[str, Status]) -> bool:
    """Tabled, and on a provision that still takes proposals."""
    if proposal.status != ProposalStatus.TABLED:
        return False
    target = proposal.new_parent if proposal.kind == ProposalKind.ADD_PROVISION else proposal.provision
    return target in (BODY, PREAMBLE) or statuses.get(target, Status.OPEN) in TAKES_PROPOSALS


def compile_text(
    instrument: Instrument,
    proposals: Iterable[ProposalLike],
    statuses: Mapping[str, Status] | None = None,
) -> RollingText:
    """The rolling text of `instrument` with the live `proposals`, given provision `statuses`
    (absent: open)."""
    statuses = statuses or {}
    # Proposal order (tabling time, then id) makes the output independent of the input order.
    live = sorted((p for p in proposals if is_live(p, statuses)), key=lambda p: (p.tabled_at, p.id))
    edits: dict[str, list[Edit]] = defaultdict(list)
    deletions: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    additions: dict[tuple[str, bool], list[ProposalLike]] = defaultdict(list)
    for p in live:
        kind = p.kind
        if kind == ProposalKind.ADD_PROVISION:
            additions[(p.provision, p.provision == p.new_parent)].append(p)
        elif kind == ProposalKind.DELETE_PROVISION:
            deletions[p.provision].append(live_sponsors(p))
        else:
            edits[p.provision].append(Edit(p.start, p.end, p.text, live_sponsors(p)))

    def proposed(after: str, first: bool) -> list[Block]:
        out: list[Block] = []
        for p in additions.get((after, first), ()):
            kind = Kind(p.new_kind)
            sponsors = live_sponsors(p)
            content: tuple[Segment, ...] = (Plain(p.text),) if p.text else ()
            children: tuple[Block, ...] = ()
            if kind in (Kind.CHAPTER, Kind.ARTICLE) and content:
                # Words of an article live in its paragraphs.
                children = (Block(f"{p.new_eid}__para_1", Kind.PARAGRAPH, content=content),)
                content = ()
            children = (*proposed(p.new_eid, True), *children)
            out.append(
                Block(
                    p.new_eid,
                    kind,
                    heading=p.heading,
                    content=content,
                    proposed_by=sponsors,
                    children=children,
                )
            )
            out.extend(proposed(p.new_eid, False))
        return out

    def build(parent: str) -> tuple[Block, ...]:
        out: list[Block] = proposed(parent, True)
        for node in instrument.children(parent):
            status = statuses.get(node.eid, Status.OPEN)
            if status is Status.DELETED:
                continue
            if status in SHOWN_CLEAN:
                content: tuple[Segment, ...] = (Plain(node.text),) if node.text else ()
            else:
                content = compile_segments(node.text, edits.get(node.eid, ()))
            deletion_by: list[str] = []
            if status not in SHOWN_CLEAN:
                for codes in deletions.get(node.eid, ()):
                    _merge_codes(deletion_by, codes)
            out.append(
                Block(
                    node.eid,
                    node.kind,
                    heading=node.heading,
                    content=content,
                    status=status,
                    deletion_by=tuple(deletion_by),
                    children=build(node.eid),
                )
            )
            out.extend(proposed(node.eid, False))
        return tuple(out)

    return renumber(instrument.title, build(PREAMBLE), build(BODY))
