"""The rolling text: a compiled negotiating text as a tree of blocks whose words are segments.

A segment is plain agreed-so-far wording or a bracket. A bracket holds one or more options; each
option is a wording with the delegations that sponsor it. An option without sponsors is the base
wording, which some delegations may propose to delete (its `deletion` sponsors). With two or more
options a bracket reads as alternatives (Alt 1, Alt 2, ...). This is the structure that every
renderer (bracket notation, Akoma Ntoso, DOCX, HTML) and the comparison consume; it follows the
conventions of UN negotiating texts (research/domain.md §4.5): brackets mark contested language,
attributions name the proposing States, "ad ref" marks provisions agreed ad referendum.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .status import Status
from .tree import Kind, letter, roman


@dataclass(frozen=True, slots=True)
class Plain:
    text: str


@dataclass(frozen=True, slots=True)
class Option:
    """A wording inside a bracket. Empty `sponsors`: the base wording; `deletion` lists who proposes
    to delete it."""

    text: str
    sponsors: tuple[str, ...] = ()
    deletion: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Bracket:
    options: tuple[Option, ...]

    @property
    def sponsors(self) -> tuple[str, ...]:
        """Everyone attributed in this bracket, in order of first mention."""
        seen: dict[str, None] = {}
        for option in self.options:
            for code in (*option.sponsors, *option.deletion):
                seen.setdefault(code, None)
        return tuple(seen)


Segment = Plain | Bracket


@dataclass(frozen=True, slots=True)
class Block:
    """One provision of the rolling text. `proposed_by` is set on a provision that a proposal adds;
    `deletion_by` on one that delegations propose to delete."""

    eid: str
    kind: Kind
    num: str = ""
    heading: str = ""
    content: tuple[Segment, ...] = ()
    status: Status = Status.OPEN
    proposed_by: tuple[str, ...] = ()
    deletion_by: tuple[str, ...] = ()
    children: tuple[Block, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class RollingText:
    title: str
    preamble: tuple[Block, ...] = ()
    body: tuple[Block, ...] = ()

    def blocks(self) -> Iterator[Block]:
        """Every block in document order."""
        yield from iter_blocks(self.preamble)
        yield from iter_blocks(self.body)

    def index(self) -> dict[str, Block]:
        return {b.eid: b for b in self.blocks()}


def iter_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    for block in blocks:
        yield block
        yield from iter_blocks(block.children)


def normalize(segments: Iterable[Segment]) -> tuple[Segment, ...]:
    """Canonical segments: adjacent plain text joined, empty plain text dropped."""
    out: list[Segment] = []
    for seg in segments:
        if isinstance(seg, Plain):
            if not seg.text:
                continue
            if out and isinstance(out[-1], Plain):
                out[-1] = Plain(out[-1].text + seg.text)
                continue
        out.append(seg)
    return tuple(out)


def clean_text(segments: Iterable[Segment]) -> str:
    """The words with every bracket resolved to its first option (the base text where there is one)."""
    parts = []
    for seg in segments:
        if isinstance(seg, Plain):
            parts.append(seg.text)
        elif seg.options[0].sponsors == ():
            parts.append(seg.options[0].text)
    return "".join(parts)


def renumber(title: str, preamble: Iterable[Block], body: Iterable[Block]) -> RollingText:
    """Give every block its display number from its position (the rules of tree.Instrument)."""
    counters = {"chapters": 0, "articles": 0}

    def number(blocks: Iterable[Block]) -> tuple[Block, ...]:
        blocks = tuple(blocks)
        paragraphs = sum(1 for b in blocks if b.kind is Kind.PARAGRAPH)
        out = []
        for position, block in enumerate(blocks, 1):
            if block.kind is Kind.CHAPTER:
                counters["chapters"] += 1
                num = roman(counters["chapters"])
            elif block.kind is Kind.ARTICLE:
                counters["articles"] += 1
                num = str(counters["articles"])
            elif block.kind is Kind.PARAGRAPH:
                num = str(position) if paragraphs > 1 else ""
            elif block.kind is Kind.SUBPARAGRAPH:
                num = letter(position)
            else:
                num = str(position)
            children = number(block.children) if block.children else ()
            out.append(
                Block(
                    block.eid,
                    block.kind,
                    num,
                    block.heading,
                    block.content,
                    block.status,
                    block.proposed_by,
                    block.deletion_by,
                    children,
                )
            )
        return tuple(out)

    return RollingText(title, number(preamble), number(body))
