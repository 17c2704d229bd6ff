"""The instrument tree: a draft convention's provisions with stable Akoma Ntoso identifiers.

An instrument has a title, preamble paragraphs and a body of chapters, articles, paragraphs and
subparagraphs. Each provision receives an identifier in the style of the Akoma Ntoso naming
convention (OASIS LegalDocML AKN-NC 1.0, §"eId"), e.g. ``preamble__p_3`` or
``chp_2__art_7__para_1__subpara_b``, once, when it is created; renumbering never changes it, so
proposals, statuses and links keep pointing at the same provision after articles move.

Display numbers (Chapter II, Article 7, paragraph 1, subparagraph (b)) are computed from position,
following treaty practice: articles are numbered consecutively through the whole instrument,
paragraphs within their article (a sole paragraph is not numbered), subparagraphs by letter within
their paragraph.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from .errors import StructureError, UnknownProvisionError

BODY = ""
"""The parent of chapters (and of articles in an instrument without chapters)."""

PREAMBLE = "preamble"
"""The parent of preamble paragraphs; also the eId of the preamble itself."""


class Kind(StrEnum):
    PREAMBLE_PARAGRAPH = "preamble_paragraph"
    CHAPTER = "chapter"
    ARTICLE = "article"
    PARAGRAPH = "paragraph"
    SUBPARAGRAPH = "subparagraph"


EID_PREFIX: dict[Kind, str] = {
    Kind.PREAMBLE_PARAGRAPH: "p",
    Kind.CHAPTER: "chp",
    Kind.ARTICLE: "art",
    Kind.PARAGRAPH: "para",
    Kind.SUBPARAGRAPH: "subpara",
}

# Which kind of parent each kind may hang from (None: the body; PREAMBLE handled apart).
PARENT_KINDS: dict[Kind, frozenset[Kind | None]] = {
    Kind.PREAMBLE_PARAGRAPH: frozenset(),
    Kind.CHAPTER: frozenset({None}),
    Kind.ARTICLE: frozenset({None, Kind.CHAPTER}),
    Kind.PARAGRAPH: frozenset({Kind.ARTICLE}),
    Kind.SUBPARAGRAPH: frozenset({Kind.PARAGRAPH}),
}


class ProvisionLike(Protocol):
    """What the engine reads from a provision; a Django model row satisfies it as it is."""

    @property
    def eid(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def parent(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Provision:
    """One node of the instrument. `parent` is an eId, BODY or PREAMBLE."""

    eid: str
    kind: Kind
    parent: str
    heading: str = ""
    text: str = ""


def roman(n: int) -> str:
    """Upper-case Roman numeral for a positive integer (chapter numbers)."""
    if n <= 0:
        raise ValueError(f"no Roman numeral for {n}")
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letter(n: int) -> str:
    """Subparagraph letter for position n (1 → a, 26 → z, 27 → aa, 28 → bb), as UN texts letter them."""
    if n <= 0:
        raise ValueError(f"no letter for {n}")
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def default_eid(kind: Kind, parent: str, position: int) -> str:
    """The eId a provision gets when it is created at `position` (1-based display position)."""
    token = letter(position) if kind is Kind.SUBPARAGRAPH else str(position)
    own = f"{EID_PREFIX[kind]}_{token}"
    if kind is Kind.PREAMBLE_PARAGRAPH:
        return f"{PREAMBLE}__{own}"
    return own if parent == BODY else f"{parent}__{own}"


def _a(kind: Kind) -> str:
    word = kind.value.replace("_", " ")
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _check_words(kind: Kind, text: str) -> None:
    if text and kind in (Kind.CHAPTER, Kind.ARTICLE):
        raise StructureError(f"the words of {_a(kind)} go in its paragraphs (only its heading is its own)")


class Instrument:
    """A mutable tree of provisions with O(1) lookup by eId and computed display numbers."""

    def __init__(self, title: str = "") -> None:
        self.title = title
        self._nodes: dict[str, Provision] = {}
        self._children: dict[str, list[str]] = {BODY: [], PREAMBLE: []}
        self._numbers: dict[str, str] | None = None

    # -- reading -----------------------------------------------------------------------------

    def __contains__(self, eid: object) -> bool:
        return eid in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Provision]:
        """Every provision in document order: preamble first, then the body depth first."""
        for root in (PREAMBLE, BODY):
            yield from self._walk(root)

    def _walk(self, parent: str) -> Iterator[Provision]:
        for eid in self._children.get(parent, ()):
            yield self._nodes[eid]
            yield from self._walk(eid)

    def get(self, eid: str) -> Provision:
        try:
            return self._nodes[eid]
        except KeyError:
            raise UnknownProvisionError(eid) from None

    def children(self, parent: str) -> tuple[Provision, ...]:
        if parent not in self._children:
            raise UnknownProvisionError(parent)
        return tuple(self._nodes[e] for e in self._children[parent])

    def number(self, eid: str) -> str:
        """Display number: 'II', '7', '1' ('' for a sole paragraph), 'b', or the preamble position."""
        self.get(eid)
        if self._numbers is None:
            self._numbers = self._compute_numbers()
        return self._numbers[eid]

    def label(self, eid: str) -> str:
        """A citation a delegate would say: 'article 7, paragraph 1, subparagraph (b)'."""
        parts = []
        node: Provision | None = self.get(eid)
        while node is not None:
            num = self.number(node.eid)
            if node.kind is Kind.SUBPARAGRAPH:
                parts.append(f"subparagraph ({num})")
            elif node.kind is Kind.PARAGRAPH:
                if num:
                    parts.append(f"paragraph {num}")
            elif node.kind is Kind.ARTICLE:
                parts.append(f"article {num}")
                break
            elif node.kind is Kind.CHAPTER:
                parts.append(f"chapter {num}")
            else:
                parts.append(f"preambular paragraph {num}")
            node = self._nodes.get(node.parent)
        return ", ".join(reversed(parts))

    def _compute_numbers(self) -> dict[str, str]:
        numbers: dict[str, str] = {}
        for i, eid in enumerate(self._children[PREAMBLE], 1):
            numbers[eid] = str(i)
        chapters = 0
        articles = 0
        for node in self._walk(BODY):
            if node.kind is Kind.CHAPTER:
                chapters += 1
                numbers[node.eid] = roman(chapters)
            elif node.kind is Kind.ARTICLE:
                articles += 1
                numbers[node.eid] = str(articles)
                paras = self._children[node.eid]
                for i, para in enumerate(paras, 1):
                    numbers[para] = str(i) if len(paras) > 1 else ""
                    for j, sub in enumerate(self._children[para], 1):
                        numbers[sub] = letter(j)
        return numbers

    # -- changing ----------------------------------------------------------------------------

    def add(
        self,
        kind: Kind,
        text: str = "",
        *,
        heading: str = "",
        parent: str | None = None,
        after: str | None = None,
        first: bool = False,
        eid: str | None = None,
    ) -> Provision:
        """Create a provision under `parent` (default: the preamble or the body), placed after the
        sibling `after`, first, or last; it receives its eId now and keeps it."""
        if parent is None:
            parent = PREAMBLE if kind is Kind.PREAMBLE_PARAGRAPH else BODY
        self.check_parent(kind, parent)
        _check_words(kind, text)
        siblings = self._children[parent]
        index = self._insert_index(siblings, after, first)
        if eid is None:
            eid = self.free_eid(kind, parent, index + 1)
        elif eid in self._nodes or eid in (BODY, PREAMBLE):
            raise StructureError(f"eId {eid!r} is already used in this instrument")
        node = Provision(eid=eid, kind=kind, parent=parent, heading=heading, text=text)
        self._nodes[eid] = node
        self._children[eid] = []
        siblings.insert(index, eid)
        self._numbers = None
        return node

    def free_eid(self, kind: Kind, parent: str, position: int, reserved: Container[str] = ()) -> str:
        """The default eId for a new provision at `position`, made unique with a suffix (`_2`, `_3`…)
        when an earlier provision already holds it (it was created there before a renumbering) or
        it is `reserved` (by a pending proposal)."""
        if kind is Kind.ARTICLE:
            # Articles are numbered through the whole instrument, so their eId uses that number.
            position = 1 + sum(1 for n in self._nodes.values() if n.kind is Kind.ARTICLE)
        candidate = default_eid(kind, parent, position)
        suffix = 1
        while candidate in self._nodes or candidate in reserved:
            suffix += 1
            candidate = f"{default_eid(kind, parent, position)}_{suffix}"
        return candidate

    def check_parent(self, kind: Kind, parent: str) -> None:
        if kind is Kind.PREAMBLE_PARAGRAPH:
            if parent != PREAMBLE:
                raise StructureError("a preamble paragraph belongs in the preamble")
            return
        if parent == PREAMBLE:
            raise StructureError(f"{_a(kind)} cannot stand in the preamble")
        parent_kind = None if parent == BODY else self.get(parent).kind
        if parent_kind not in PARENT_KINDS[kind]:
            where = "the body" if parent_kind is None else f"{_a(parent_kind)} ({parent})"
            raise StructureError(f"{_a(kind)} cannot stand in {where}")

    def _insert_index(self, siblings: list[str], after: str | None, first: bool) -> int:
        if first:
            return 0
        if after is None:
            return len(siblings)
        try:
            return siblings.index(after) + 1
        except ValueError:
            raise StructureError(f"{after} is not a sibling at that place") from None

    def replace(self, eid: str, *, text: str | None = None, heading: str | None = None) -> Provision:
        node = self.get(eid)
        if text is not None:
            _check_words(node.kind, text)
        node = replace(
            node,
            text=node.text if text is None else text,
            heading=node.heading if heading is None else heading,
        )
        self._nodes[eid] = node
        return node

    def remove(self, eid: str) -> None:
        """Take a provision and everything under it out of the tree."""
        node = self.get(eid)
        self._children[node.parent].remove(eid)
        for sub in list(self._walk(eid)):
            del self._nodes[sub.eid]
            del self._children[sub.eid]
        del self._nodes[eid]
        del self._children[eid]
        self._numbers = None

    def move(self, eid: str, parent: str, *, after: str | None = None, first: bool = False) -> Provision:
        """Move a provision (with its subtree); its eId stays what it was."""
        node = self.get(eid)
        self.check_parent(node.kind, parent)
        # The kind rules already forbid moving a provision under its own descendant: every kind
        # hangs from a strictly higher kind.
        self._children[node.parent].remove(eid)
        siblings = self._children[parent]
        siblings.insert(self._insert_index(siblings, after, first), eid)
        node = replace(node, parent=parent)
        self._nodes[eid] = node
        self._numbers = None
        return node

    @classmethod
    def from_rows(cls, title: str, rows: Iterable[ProvisionLike]) -> Instrument:
        """Build from rows in document order (a parent before its children, siblings in order)."""
        instrument = cls(title)
        for row in rows:
            instrument.add(Kind(row.kind), row.text, heading=row.heading, parent=row.parent, eid=row.eid)
        return instrument
