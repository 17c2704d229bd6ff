"""Named versions of the rolling text (draft, Rev.1, Rev.2) and the redline between two of them.

The comparison is hierarchical, as research/perf-baseline.md ("Text work") recommends: provisions
are matched by eId, so a provision that moved or was renumbered is recognised as the same one;
words are compared (difflib, on word tokens) only inside provisions whose wording changed. The
redline's readable form marks words as GNU wdiff does: [-deleted-] and {+inserted+}.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .notation import serialize_segments
from .rolling import Block, Bracket, RollingText, Segment
from .tree import Kind


@dataclass(frozen=True, slots=True)
class Version:
    """A named snapshot of the rolling text."""

    name: str
    text: RollingText
    taken_at: datetime | None = None


class Change(StrEnum):
    INSERTED = "inserted"
    DELETED = "deleted"
    MOVED = "moved"
    RENUMBERED = "renumbered"
    CHANGED = "changed"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class Words:
    """A run of word tokens that are equal, inserted or deleted."""

    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass(frozen=True, slots=True)
class ProvisionChange:
    eid: str
    kind: Kind
    changes: frozenset[Change]
    old_num: str = ""
    new_num: str = ""
    old_parent: str = ""
    new_parent: str = ""
    old_heading: str = ""
    new_heading: str = ""
    words: tuple[Words, ...] = ()


@dataclass(frozen=True, slots=True)
class Redline:
    old: str
    new: str
    provisions: tuple[ProvisionChange, ...]

    @property
    def changed(self) -> tuple[ProvisionChange, ...]:
        return tuple(p for p in self.provisions if p.changes)


# A word or a punctuation mark with the spaces before it (or trailing spaces): fewer and less
# repetitive tokens than splitting spaces apart, which keeps difflib near-linear.
_TOKEN = re.compile(r"\s*\w+|\s*[^\w\s]|\s+")

# Above this many token pairs, two runs are shown as deleted and inserted whole rather than diffed
# word by word (difflib is quadratic in the worst case).
WORD_DIFF_LIMIT = 60_000


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _words(a: list[str], b: list[str], out: list[Words]) -> None:
    # Common head and tail first: most changed pieces differ in a few words (or an attribution).
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    if head:
        out.append(Words("equal", "".join(a[:head])))
    end: list[Words] = [Words("equal", "".join(a[len(a) - tail :]))] if tail else []
    a, b = a[head : len(a) - tail], b[head : len(b) - tail]
    _middle(a, b, out)
    out.extend(end)


def _middle(a: list[str], b: list[str], out: list[Words]) -> None:
    if not a or not b:
        if a:
            out.append(Words("delete", "".join(a)))
        if b:
            out.append(Words("insert", "".join(b)))
        return
    if len(a) * len(b) > WORD_DIFF_LIMIT:
        out.append(Words("delete", "".join(a)))
        out.append(Words("insert", "".join(b)))
        return
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Words("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Words("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Words("insert", "".join(b[j1:j2])))


def _merge(runs: list[Words]) -> tuple[Words, ...]:
    out: list[Words] = []
    for run in runs:
        if out and out[-1].op == run.op:
            out[-1] = Words(run.op, out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(out)


def word_diff(old: str, new: str) -> tuple[Words, ...]:
    """Word-level difference of two texts (spaces and punctuation stay with their tokens)."""
    out: list[Words] = []
    _words(tokens(old), tokens(new), out)
    return _merge(out)


def _pieces(segments: tuple[Segment, ...]) -> list[str]:
    """The provision in the notation, cut at plain runs, brackets and, inside a bracket of
    alternatives, at each option: the units compared before any word is."""
    out: list[str] = []
    for seg in segments:
        if isinstance(seg, Bracket) and len(seg.options) > 1:
            out.append("[")
            for n, option in enumerate(seg.options):
                if n:
                    out.append(" | ")
                out.append(serialize_segments((Bracket((option,)),)))
            out.append("]")
        else:
            out.append(serialize_segments((seg,)))
    return out


def segment_diff(old: tuple[Segment, ...], new: tuple[Segment, ...]) -> tuple[Words, ...]:
    """Difference of two provisions' contents: first by plain runs, brackets and options (in the
    notation), then word by word only inside the pieces that changed."""
    a = _pieces(old)
    b = _pieces(new)
    out: list[Words] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Words("equal", "".join(a[i1:i2])))
        else:
            _words(tokens("".join(a[i1:i2])), tokens("".join(b[j1:j2])), out)
    return _merge(out)


def _placed(text: RollingText) -> dict[str, tuple[Block, str]]:
    """Each block with its parent's eId."""
    out: dict[str, tuple[Block, str]] = {}

    def walk(blocks: tuple[Block, ...], parent: str) -> None:
        for block in blocks:
            out[block.eid] = (block, parent)
            walk(block.children, block.eid)

    walk(text.preamble, "preamble")
    walk(text.body, "")
    return out


def _moved_within_parent(old: dict[str, tuple[Block, str]], new: dict[str, tuple[Block, str]]) -> set[str]:
    """Provisions that kept their parent but changed their order relative to their siblings
    (outside the longest common order)."""
    old_siblings: dict[str, list[str]] = defaultdict(list)
    new_siblings: dict[str, list[str]] = defaultdict(list)
    for eid, (_, parent) in old.items():
        if eid in new and new[eid][1] == parent:
            old_siblings[parent].append(eid)
    for eid, (_, parent) in new.items():
        if eid in old and old[eid][1] == parent:
            new_siblings[parent].append(eid)
    moved: set[str] = set()
    for parent, before in old_siblings.items():
        after = new_siblings[parent]
        if before == after:
            continue
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        kept = {e for m in matcher.get_matching_blocks() for e in before[m.a : m.a + m.size]}
        moved.update(e for e in after if e not in kept)
    return moved


def _line(block: Block) -> str:
    return serialize_segments(block.content)


def compare(old: Version | RollingText, new: Version | RollingText) -> Redline:
    """The redline from `old` to `new`, in the new text's order with deletions at their old place."""
    old_name = old.name if isinstance(old, Version) else "old"
    new_name = new.name if isinstance(new, Version) else "new"
    old_text = old.text if isinstance(old, Version) else old
    new_text = new.text if isinstance(new, Version) else new
    before = _placed(old_text)
    after = _placed(new_text)
    moved = _moved_within_parent(before, after)

    # Deleted provisions are listed after the nearest earlier provision that survives.
    anchored: dict[str, list[str]] = defaultdict(list)
    last = ""
    for block in old_text.blocks():
        if block.eid in after:
            last = block.eid
        else:
            anchored[last].append(block.eid)

    out: list[ProvisionChange] = []

    def deleted(anchor: str) -> None:
        for eid in anchored.get(anchor, ()):
            block, parent = before[eid]
            out.append(
                ProvisionChange(
                    eid,
                    block.kind,
                    frozenset({Change.DELETED}),
                    old_num=block.num,
                    old_parent=parent,
                    old_heading=block.heading,
                    words=(Words("delete", _line(block)),) if block.content else (),
                )
            )

    deleted("")
    for block in new_text.blocks():
        eid = block.eid
        parent = after[eid][1]
        if eid not in before:
            out.append(
                ProvisionChange(
                    eid,
                    block.kind,
                    frozenset({Change.INSERTED}),
                    new_num=block.num,
                    new_parent=parent,
                    new_heading=block.heading,
                    words=(Words("insert", _line(block)),) if block.content else (),
                )
            )
            continue
        prior, prior_parent = before[eid]
        changes: set[Change] = set()
        if prior_parent != parent or eid in moved:
            changes.add(Change.MOVED)
        if prior.num != block.num:
            changes.add(Change.RENUMBERED)
        if (prior.status, prior.proposed_by, prior.deletion_by) != (
            block.status,
            block.proposed_by,
            block.deletion_by,
        ):
            changes.add(Change.STATUS)
        words: tuple[Words, ...] = ()
        if prior.content != block.content or prior.heading != block.heading:
            changes.add(Change.CHANGED)
            if prior.content != block.content:
                words = segment_diff(prior.content, block.content)
        out.append(
            ProvisionChange(
                eid,
                block.kind,
                frozenset(changes),
                old_num=prior.num,
                new_num=block.num,
                old_parent=prior_parent,
                new_parent=parent,
                old_heading=prior.heading,
                new_heading=block.heading,
                words=words,
            )
        )
        deleted(eid)
    return Redline(old_name, new_name, tuple(out))


_KIND_WORD = {
    Kind.PREAMBLE_PARAGRAPH: "Preambular paragraph",
    Kind.CHAPTER: "Chapter",
    Kind.ARTICLE: "Article",
    Kind.PARAGRAPH: "Paragraph",
    Kind.SUBPARAGRAPH: "Subparagraph",
}


def format_redline(redline: Redline) -> str:
    """A readable redline: one entry per changed provision, words marked [-old-] {+new+}."""
    lines = [f"Comparison of {redline.old} with {redline.new}"]
    changed = redline.changed
    if not changed:
        lines.append("No differences.")
    for change in changed:
        num = change.new_num or change.old_num
        head = f"{_KIND_WORD[change.kind]} {num}".rstrip() + f" ({change.eid})"
        notes = []
        if Change.INSERTED in change.changes:
            notes.append("inserted")
        if Change.DELETED in change.changes:
            notes.append("deleted")
        if Change.MOVED in change.changes:
            notes.append(
                "moved"
                + (
                    f" from {change.old_parent or 'the body'}"
                    if change.old_parent != change.new_parent
                    else ""
                )
            )
        if Change.RENUMBERED in change.changes:
            notes.append(
                f"renumbered {change.old_num or '(unnumbered)'} → {change.new_num or '(unnumbered)'}"
            )
        if Change.STATUS in change.changes:
            notes.append("status or attribution changed")
        if change.old_heading != change.new_heading and not change.changes & {
            Change.INSERTED,
            Change.DELETED,
        }:
            notes.append(f"heading [-{change.old_heading}-] {{+{change.new_heading}+}}")
        lines.append(f"{head}: {', '.join(notes) or 'wording changed'}")
        if change.words:
            rendered = "".join(
                w.text if w.op == "equal" else (f"[-{w.text}-]" if w.op == "delete" else f"{{+{w.text}+}}")
                for w in change.words
            )
            lines.append(f"    {rendered}")
    return "\n".join(lines) + "\n"
