"""What a joint statement's header says: who delivers it, on whose behalf, who aligns.

A joint statement at a UN body is delivered by one actor on behalf of several
("Statement by Canada on behalf of Australia, New Zealand and Canada"); the
European Union speaks "on behalf of the European Union and its 27 Member
States", listed or not; candidate countries "align themselves" with an EU
statement without being among its authors. These classes hold the result of
reading such a header, with the position of every name in the input so that a
user can find and fix what did not resolve.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from consensio.engine.roster import Actor, Group

__all__ = [
    "MAX_STATEMENT_BYTES",
    "Entry",
    "EntryKind",
    "Problem",
    "StatementError",
    "StatementParse",
    "Unresolved",
    "decode_statement_bytes",
]

# A statement header is a page at most; a megabyte is far beyond any real
# statement and keeps a mistaken upload (a PDF, an archive) from being scanned.
MAX_STATEMENT_BYTES = 1_000_000

EntryKind = Literal["state", "organization", "group"]
Section = Literal["on_behalf_of", "aligned", "delivered_by"]


class StatementError(ValueError):
    """The input cannot be read as a joint statement at all (not merely with unknown names)."""


def decode_statement_bytes(data: bytes) -> str:
    """Decode a statement file: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Raises StatementError for anything else (other encodings, binary files) and
    for input larger than MAX_STATEMENT_BYTES.
    """
    if len(data) > MAX_STATEMENT_BYTES:
        raise StatementError(
            f"the statement is {len(data):,} bytes; the limit is {MAX_STATEMENT_BYTES:,} bytes"
        )
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise StatementError("the file is UTF-32 encoded; save it as UTF-8")
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise StatementError(
            f"the file is not UTF-8 or UTF-16 text (undecodable byte at offset {exc.start}); "
            "save the statement as UTF-8 text"
        ) from None
    if "\x00" in text:
        raise StatementError("the file contains NUL bytes: it is binary, not a text statement")
    return text


@dataclass(frozen=True)
class Position:
    """Start and end offsets (characters) in the input, with the 1-based line and column of the start."""

    start: int
    end: int
    line: int
    column: int


class LineIndex:
    """Converts character offsets into 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, start: int, end: int) -> Position:
        line = bisect.bisect_right(self._starts, start)
        return Position(start, end, line, start - self._starts[line - 1] + 1)


@dataclass(frozen=True)
class Entry:
    """One actor or group a statement names, where it names it.

    `listed_under` is "EU" for a State named in the list that follows "the
    European Union and its Member States: …". A group named without its
    members ("the African Group") is one entry whose `members` are the keys
    the roster knows; `members_known` is False when the roster has no list.
    """

    key: str
    name: str
    kind: EntryKind
    iso3: str | None
    position: Position
    listed_under: str | None = None
    members: tuple[str, ...] = ()
    members_known: bool = True
    actor: Actor | None = field(default=None, compare=False, repr=False)
    group: Group | None = field(default=None, compare=False, repr=False)

    @property
    def start(self) -> int:
        return self.position.start

    @property
    def end(self) -> int:
        return self.position.end

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name, "kind": self.kind, "iso3": self.iso3}
        if self.listed_under is not None:
            data["listed_under"] = self.listed_under
        if self.kind == "group":
            data["key"] = self.key
            data["members"] = list(self.members)
            data["members_known"] = self.members_known
        return data


@dataclass(frozen=True)
class Unresolved:
    """A name that did not resolve, where it is, why, and what it might have meant."""

    text: str
    position: Position
    section: Section
    reason: str
    candidates: tuple[Actor | Group, ...] = ()

    @property
    def start(self) -> int:
        return self.position.start

    @property
    def end(self) -> int:
        return self.position.end

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.position.start,
            "end": self.position.end,
            "line": self.position.line,
            "column": self.position.column,
            "section": self.section,
            "reason": self.reason,
            "candidates": [_candidate_json(candidate) for candidate in self.candidates],
        }


def _candidate_json(candidate: Actor | Group) -> dict[str, object]:
    if isinstance(candidate, Group):
        return {"name": candidate.name, "key": candidate.key, "kind": "group"}
    return {"name": candidate.name, "key": candidate.key, "kind": candidate.kind}


@dataclass(frozen=True)
class Problem:
    """Something inconsistent in a statement that resolved (a count that does not match, a duplicate)."""

    message: str
    position: Position

    def to_json(self) -> dict[str, object]:
        return {
            "message": self.message,
            "start": self.position.start,
            "end": self.position.end,
            "line": self.position.line,
            "column": self.position.column,
        }


@dataclass
class StatementParse:
    """The reading of a joint statement: deliverer, authors in order, aligned States, what failed."""

    delivered_by: Actor | None = None
    on_behalf_of: list[Entry] = field(default_factory=list)
    aligned: list[Entry] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every name resolved (problems are reported separately)."""
        return not self.unresolved

    def to_json(self) -> dict[str, object]:
        deliverer = self.delivered_by
        return {
            "delivered_by": None
            if deliverer is None
            else {"name": deliverer.name, "kind": deliverer.kind, "iso3": deliverer.iso3},
            "on_behalf_of": [entry.to_json() for entry in self.on_behalf_of],
            "aligned": [entry.to_json() for entry in self.aligned],
            "unresolved": [item.to_json() for item in self.unresolved],
            "problems": [problem.to_json() for problem in self.problems],
        }
