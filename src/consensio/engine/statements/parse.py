"""Reading the header of a joint statement: "delivered by X on behalf of A, B and C".

UN practice (General Assembly and its subsidiary bodies, the Ad Hoc Committee
on cybercrime, treaty conferences) is for one delegation to deliver a statement
on behalf of several States, organizations or groups, and for others to "align
themselves" with it. Headers come in every layout: semicolon or comma lists,
one name per line, bullets, markdown emphasis, inline sentences. The parser:

1. finds the list after "on behalf of" and where it ends (a full stop, the end
   of the paragraph, a salutation, or an "align themselves" sentence);
2. cuts it into pieces at separators (";", ",", "and", "as well as", line
   breaks) and joins neighbouring pieces back only when the joined text is a
   known name, preferring the longest, so that "Korea, Republic of" and
   "Bosnia and Herzegovina" survive;
3. reads "the European Union and its N Member States: …" as the EU followed by
   the States listed under it, and checks N against the names listed;
4. reads the deliverer from "Statement by X", "delivered by X on behalf of",
   "… by the Permanent Representative of X" after the list, or "and my own
   country, X";
5. reports every piece that resolves to nothing, with its offsets and the
   closest candidates, and never picks a candidate itself.

Known limits, by design: a list ends at "by", "at", "during" or "to the"
(no State or standard group name contains them, so an ad hoc group whose name
does would be cut); a group followed by a colon other than the EU's ("the
African Group: Algeria, …") is read as the group followed by separate States.

Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from consensio.engine.roster import Actor, Group, Roster, load_roster, normalize_name
from consensio.engine.statements.model import (
    MAX_STATEMENT_BYTES,
    Entry,
    LineIndex,
    Problem,
    StatementError,
    StatementParse,
    Unresolved,
)

__all__ = ["MAX_ALIGN_SENTENCES", "MAX_LIST_NAMES", "parse_statement"]

# --- the patterns of the header ---------------------------------------------------------

_ON_BEHALF = re.compile(r"\bon\s+behalf\s+of\b", re.IGNORECASE)
_ALIGN = re.compile(
    r"\b(?:align|associate)s?\s+(?:itself|themselves)\s+with\s+(?:this|the\s+present|the)\s+statement\b"
    r"(?P<colon>\s*:)?",
    re.IGNORECASE,
)
# Words that may stand between the aligned States and the verb.
_ALIGN_TAIL = re.compile(
    r"(?:\s+(?:also|hereby|fully|wish(?:es)?\s+to|would\s+like\s+to|want\s+to|too))+\s*$", re.IGNORECASE
)
_EU_HEADER = re.compile(
    r"(?<![\w])(?P<org>(?:the\s+)?(?:european\s+union|eu))\s+and\s+(?:its|their)\s+"
    r"(?:(?P<count>\d+|[a-z]+(?:[\s-][a-z]+)?)\s+)?member[\s-]+states\b",
    re.IGNORECASE,
)
_DELIVERED = re.compile(
    r"\b(?:statement|delivered|made|read|presented|intervention)\s+by\b\s*:?\s*"
    r"(?P<who>[^\n;:!?]+?)"
    r"(?P<stop>\s+on\s+behalf\s+of\b|\s+at\s+the\b|\s+to\s+the\b|\s+during\b|\s*[\n;:!?]|\.(?=\s)|\s*$)",
    re.IGNORECASE,
)
_OF = re.compile(r"\bof\s+", re.IGNORECASE)
_LIST_TAIL = re.compile(r"\s(?P<word>by|at|during|to(?=\s+the\s))\s", re.IGNORECASE)
_DELIVERER_END = re.compile(r"\s(?:at|during|to\s+the|on)\s|[\n;:!?]", re.IGNORECASE)
_PERSON = re.compile(
    r"\b(?:ambassador|h\.?\s*e\b|mr|mrs|ms|dr|minister|excellency|chair|chairperson|president|secretary|"
    r"representative\s+of)\b",
    re.IGNORECASE,
)
_MY_COUNTRY = re.compile(
    r"\s*(?:(?:and|including|of)\s+)?my\s+(?:own\s+)?(?:country|delegation|government)\b[\s,]*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SEPARATOR = re.compile(
    r"\n[ \t]*\n\s*|;|:|,|\n|(?<![\w'’.&-])(?:and|as\s+well\s+as|&)(?![\w'’-])",
    re.IGNORECASE,
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_SALUTATION = re.compile(
    r"(?:mr\.?|madam|madame|mister|excellenc|distinguished|dear|thank\s+you|chair\b|president\b|colleagues)",
    re.IGNORECASE,
)
# Markdown and bullet marks are blanked out (same length, so offsets survive).
_MARKUP_CHARS = str.maketrans({ch: " " for ch in "*_\r\t\f\v•·▪●◦‣⁃"})
_BULLET = re.compile(r"(?m)^[ \t]*(?:[-–—+>#]+|\d{1,3}[.)]|\(?[a-z]\))(?=[ \t])")
_ABBREVIATION_WORDS = {"st", "ste", "mr", "mrs", "ms", "dr", "no", "nos", "amb", "mt", "h.e"}
_SINGLE_LETTERS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_WORD = re.compile(r"\S+")

# Words that describe the States in a list without naming one ("the candidate
# countries North Macedonia", "the EFTA countries Iceland", "members of the
# European Economic Area"): dropped in front of a name, ignored on their own.
_DESCRIPTORS = frozenset(
    {
        # articles, connectors, possessives
        *("the", "a", "an", "all", "also", "following", "other", "and", "as", "well", "its", "their", "our"),
        *("of", "on", "by", "this", "which", "are", "is", "including", "namely", "ie", "eg"),
        # who the States are
        *("candidate", "candidates", "potential", "country", "countries", "state", "states", "member"),
        *("members", "delegation", "delegations", "government", "governments", "partners", "partner"),
        *("co", "sponsors", "cosponsors", "sponsor", "signatories", "like", "minded", "likeminded"),
        *("group", "groups", "cross", "regional", "joint", "statement", "behalf", "undersigned"),
        # the EU's standard alignment clause
        *("efta", "european", "economic", "area", "eea", "stabilisation", "stabilization"),
        *("association", "process"),
    }
)
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen")
_NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_UNITS + _TEENS + ("nineteen",), 1)}
for _tens_value, _tens in ((20, "twenty"), (30, "thirty")):
    _NUMBER_WORDS[_tens] = _tens_value
    for _unit_value, _unit_word in enumerate(_UNITS, 1):
        _NUMBER_WORDS[f"{_tens} {_unit_word}"] = _tens_value + _unit_value

# How many separated pieces one name may span ("Korea, Democratic People's Republic of"
# is two; nothing in the roster needs more than three).
_MAX_SPAN = 4
# Lines longer than this many words without a known name are prose, not a list.
_PROSE_WORDS = 6
# Only the first few "on behalf of" are tried, so huge inputs stay fast.
_MAX_ON_BEHALF = 20
# The UN has 193 Member States; a list far longer than every actor and group is
# not a statement header but a mistaken input, refused before it costs minutes.
MAX_LIST_NAMES = 1000
# No known name, even with descriptors in front, is longer than this; longer
# pieces are not looked up at all (a paragraph of prose is one long piece).
_MAX_NAME_CHARS = 200
_MAX_DESCRIPTOR_WORDS = 8
# An "align themselves" sentence is read back at most this far, and only so many
# of them are read: an EU statement has one, real statements a handful.
_MAX_SENTENCE_CHARS = 5000
MAX_ALIGN_SENTENCES = 50


def _is_descriptor_text(text: str) -> bool:
    if len(text) > _MAX_NAME_CHARS:
        return False
    words = normalize_name(text).split()
    return bool(words) and all(word in _DESCRIPTORS or word.isdigit() for word in words)


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    word = " ".join(word.lower().replace("-", " ").split())
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


# --- intermediate results ----------------------------------------------------------------


@dataclass(frozen=True)
class _Atom:
    start: int
    end: int
    before: frozenset[str]  # kinds of separator between the previous atom and this one


@dataclass
class _Item:
    kind: Literal["actor", "group", "unresolved", "mine"]
    start: int
    end: int
    actor: Actor | None = None
    group: Group | None = None
    listed_under: str | None = None
    # For "my own country, Canada": where the State is named.
    named_start: int = -1
    named_end: int = -1


_SOFT = frozenset({"comma", "and"})


class _Reader:
    """One parse: the input, its cleaned copy and the roster."""

    def __init__(self, text: str, roster: Roster) -> None:
        self.text = text
        self.roster = roster
        clean = text.translate(_MARKUP_CHARS)
        clean = _BULLET.sub(lambda m: " " * len(m.group(0)), clean)
        self.clean = clean
        self.lines = LineIndex(text)
        self.result = StatementParse()
        self.names_read = 0

    # --- names ------------------------------------------------------------------

    def lookup(self, start: int, end: int) -> Actor | Group | None:
        if end - start > _MAX_NAME_CHARS:
            return None
        piece = self.clean[start:end]
        actor = self.roster.find(piece)
        if actor is not None:
            return actor
        return self.roster.resolve_group(piece)

    def lookup_stripped(self, start: int, end: int) -> tuple[Actor | Group, int] | None:
        """Resolve after dropping leading descriptor words ("the candidate countries …")."""
        if end - start > _MAX_NAME_CHARS:
            return None
        words = list(_WORD.finditer(self.clean, start, end))
        for index in range(1, min(len(words), _MAX_DESCRIPTOR_WORDS + 1)):
            word = normalize_name(words[index - 1].group(0))
            if word and word not in _DESCRIPTORS and not word.isdigit():
                return None
            found = self.lookup(words[index].start(), end)
            if found is not None:
                return found, words[index].start()
        return None

    def trim(self, start: int, end: int) -> tuple[int, int]:
        edge = " \n\"“”‘’'[]{}"
        while start < end and self.clean[start] in edge:
            start += 1
        while end > start and self.clean[end - 1] in edge:
            end -= 1
        # A bracket that opens or closes outside the piece is punctuation around it.
        piece = self.clean[start:end]
        if piece.startswith("(") and piece.count("(") > piece.count(")"):
            return self.trim(start + 1, end)
        if piece.endswith(")") and piece.count(")") > piece.count("("):
            return self.trim(start, end - 1)
        return start, end

    def atoms(self, start: int, end: int) -> list[_Atom]:
        found: list[_Atom] = []
        kinds: set[str] = set()
        position = start
        for match in _SEPARATOR.finditer(self.clean, start, end):
            a, b = self.trim(position, match.start())
            if a < b:
                found.append(_Atom(a, b, frozenset(kinds)))
                kinds = set()
            kinds.add(_separator_kind(match.group(0)))
            position = match.end()
        a, b = self.trim(position, end)
        if a < b:
            found.append(_Atom(a, b, frozenset(kinds)))
        return found

    # --- cutting a list into names ------------------------------------------------

    def crossable(self, atoms: Sequence[_Atom], i: int, j: int) -> bool:
        for k in range(i + 1, j + 1):
            kinds = atoms[k].before
            if kinds <= _SOFT:
                continue
            # A line break inside a name happens in hard-wrapped text; allow it
            # only when the part before the break is not a name by itself.
            if kinds <= _SOFT | {"newline"} and self.lookup(atoms[i].start, atoms[k - 1].end) is None:
                continue
            return False
        return True

    def read_list(self, start: int, end: int, listed_under: str | None = None) -> list[_Item]:
        atoms = self.atoms(start, end)
        self.names_read += len(atoms)
        if self.names_read > MAX_LIST_NAMES:
            line = self.lines.position(start, end).line
            raise StatementError(
                f"the list starting on line {line} has more than {MAX_LIST_NAMES:,} names; "
                "a statement header names at most a few hundred States, organizations or groups"
            )
        items: list[_Item] = []
        i = 0
        while i < len(atoms):
            atom = atoms[i]
            mine = _MY_COUNTRY.match(self.clean, atom.start, atom.end)
            if mine is not None:
                i = self.read_my_country(atoms, i, mine, items, listed_under)
                continue
            longest = min(len(atoms) - 1, i + _MAX_SPAN - 1)
            spans = [j for j in range(longest, i - 1, -1) if j == i or self.crossable(atoms, i, j)]
            hit: tuple[Actor | Group, int, int] | None = None
            for j in spans:
                exact = self.lookup(atom.start, atoms[j].end)
                if exact is not None:
                    hit = (exact, atom.start, j)
                    break
            if hit is None:
                for j in spans:
                    stripped = self.lookup_stripped(atom.start, atoms[j].end)
                    if stripped is not None:
                        hit = (stripped[0], stripped[1], j)
                        break
            if hit is None:
                if not _is_descriptor_text(self.clean[atom.start : atom.end]):
                    items.append(_Item("unresolved", atom.start, atom.end, listed_under=listed_under))
                i += 1
                continue
            found, first, j = hit
            items.append(_item_for(found, first, atoms[j].end, listed_under))
            i = j + 1
        return self.merge_unresolved(items, atoms)

    def read_my_country(
        self,
        atoms: Sequence[_Atom],
        i: int,
        mine: re.Match[str],
        items: list[_Item],
        listed_under: str | None,
    ) -> int:
        """ "… and my own country, Canada": the deliverer, named here or in the heading."""
        atom = atoms[i]
        item = _Item("mine", atom.start, atom.end, listed_under=listed_under)
        named: tuple[int, int] | None = None
        if mine.group("rest").strip():
            named = (mine.start("rest"), atom.end)
            used = i + 1
        elif i + 1 < len(atoms) and atoms[i + 1].before == frozenset({"comma"}):
            named = (atoms[i + 1].start, atoms[i + 1].end)
            used = i + 2
        else:
            used = i + 1
        unknown: _Item | None = None
        if named is not None:
            actor = self.roster.find(self.clean[named[0] : named[1]])
            if actor is not None and actor.kind == "state":
                item.actor = actor
                item.named_start, item.named_end = named
            elif mine.group("rest").strip():
                # "my own country Canadaa": the name after the phrase is still a name.
                unknown = _Item("unresolved", *self.trim(*named), listed_under=listed_under)
            else:
                used = i + 1
        items.append(item)
        if unknown is not None:
            items.append(unknown)
        return used

    def merge_unresolved(self, items: list[_Item], atoms: Sequence[_Atom]) -> list[_Item]:
        """Join "Bosnia and Herzegovnia" into one unresolved name when that reads better."""
        before = {atom.start: atom.before for atom in atoms}
        merged: list[_Item] = []
        for item in items:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and previous.kind == "unresolved"
                and item.kind == "unresolved"
                and before.get(item.start) == frozenset({"and"})
            ):
                joined = self.best_score(previous.start, item.end)
                if joined > max(
                    self.best_score(previous.start, previous.end), self.best_score(item.start, item.end)
                ):
                    previous.end = item.end
                    continue
            merged.append(item)
        return merged

    def best_score(self, start: int, end: int) -> float:
        scores = self.roster.candidate_scores(self.clean[start:end], 1)
        return scores[0][1] if scores else 0.0

    # --- where a list ends --------------------------------------------------------

    def list_like(self, start: int, end: int, *, strict: bool) -> bool:
        atoms = self.atoms(start, end)
        if not atoms:
            return False
        resolves = any(
            self.lookup(atom.start, atom.end) is not None or self.lookup_stripped(atom.start, atom.end)
            for atom in atoms
        )
        short = all(len(self.clean[atom.start : atom.end].split()) <= _PROSE_WORDS for atom in atoms)
        return resolves and short if strict else resolves or short

    def sentence_end(self, start: int, end: int) -> int | None:
        for match in _SENTENCE_END.finditer(self.clean, start, end):
            if match.group(0) == ".":
                token = self.clean[max(start, match.start() - 24) : match.start()].split()
                word = token[-1] if token else ""
                if word.lower() in _ABBREVIATION_WORDS or _SINGLE_LETTERS.fullmatch(word):
                    continue
            return match.start()
        return None

    def skip_blank(self, position: int, limit: int) -> int:
        while position < limit and self.clean[position] in " \n:-–—":
            position += 1
        return position

    def list_end(self, start: int, limit: int) -> int:
        """End of the list that starts at `start`: full stop, paragraph end, or prose."""
        position = start
        while position < limit:
            paragraph = _PARAGRAPH.search(self.clean, position, limit)
            paragraph_end = paragraph.start() if paragraph else limit
            stop = self.sentence_end(position, paragraph_end)
            end = paragraph_end if stop is None else stop
            cut = self.prose_line(position, end)
            if cut is not None:
                return cut
            if stop is not None or paragraph is None:
                return end
            following = self.skip_blank(paragraph.end(), limit)
            next_paragraph = _PARAGRAPH.search(self.clean, following, limit)
            next_end = next_paragraph.start() if next_paragraph else limit
            next_stop = self.sentence_end(following, next_end)
            if following >= limit or not self.list_like(
                following, next_end if next_stop is None else next_stop, strict=True
            ):
                return end
            position = following
        return min(position, limit)

    def prose_line(self, start: int, end: int) -> int | None:
        """The start of the first line after `start` that is prose or a salutation, if any."""
        line_start = self.clean.find("\n", start, end)
        while line_start != -1:
            line_start += 1
            line_end = self.clean.find("\n", line_start, end)
            stop = end if line_end == -1 else line_end
            content = self.clean[line_start:stop].strip()
            continues = self.line_continues(start, line_start - 1)
            if content and not continues:
                first = self.clean.find(content[0], line_start)
                if _SALUTATION.match(self.clean, first) or not self.list_like(line_start, stop, strict=False):
                    return line_start
            line_start = line_end
        return None

    # --- the sections of a statement -------------------------------------------------

    def align_regions(self) -> list[tuple[int, int, int]]:
        """(list start, list end, sentence start) of every "… align themselves with this statement"."""
        regions: list[tuple[int, int, int]] = []
        for match in _ALIGN.finditer(self.clean):
            if len(regions) == MAX_ALIGN_SENTENCES:
                raise StatementError(
                    f"more than {MAX_ALIGN_SENTENCES} 'align themselves with this statement' sentences; "
                    "this is not a statement header"
                )
            if match.group("colon"):
                start = self.skip_blank(match.end(), len(self.clean))
                regions.append((start, self.list_end(start, len(self.clean)), match.start()))
                continue
            start = self.sentence_start(match.start())
            tail = _ALIGN_TAIL.search(self.clean, start, match.start())
            end = tail.start() if tail else match.start()
            regions.append((start, end, start))
        return regions

    def sentence_start(self, position: int) -> int:
        floor = max(0, position - _MAX_SENTENCE_CHARS)
        breaks = [match.end() for match in _PARAGRAPH.finditer(self.clean, floor, position)]
        start = breaks[-1] if breaks else floor
        while True:
            stop = self.sentence_end(start, position)
            if stop is None:
                break
            start = stop + 1
        # A line break ends the sentence unless the line before continues the list.
        line_break = self.clean.rfind("\n", start, position)
        while line_break != -1:
            if not self.line_continues(start, line_break):
                return line_break + 1
            line_break = self.clean.rfind("\n", start, line_break)
        return start

    def line_continues(self, floor: int, line_end: int) -> bool:
        """Whether the line ending at `line_end` ends with a list separator (",", ";", "and")."""
        before = self.clean[max(floor, line_end - 16) : line_end].rstrip()
        return before.endswith((",", ";")) or before.lower().endswith(" and") or before.lower() == "and"

    def read_on_behalf(self, start: int, end: int) -> list[_Item]:
        """Read a list, treating "the EU and its N Member States: …" as a nested list."""
        items: list[_Item] = []
        position = start
        for header in _EU_HEADER.finditer(self.clean, start, end):
            if header.start() < position:
                continue
            org_start, org_end = self.trim(header.start("org"), header.end("org"))
            eu = self.roster.find(self.clean[org_start:org_end])
            if eu is None or eu.key != "EU":
                continue
            items.extend(self.read_list(position, header.start()))
            position = self.read_eu(header, org_start, org_end, eu, end, items)
        items.extend(self.read_list(position, end))
        return items

    def read_eu(
        self, header: re.Match[str], org_start: int, org_end: int, eu: Actor, end: int, items: list[_Item]
    ) -> int:
        after = header.end()
        while after < end and self.clean[after] in " \t":
            after += 1
        count = _number(header.group("count"))
        count_at = (
            (header.start("count"), header.end("count")) if count is not None else (org_start, header.end())
        )
        opener = self.clean[after] if after < end else ""
        if opener not in (":", "("):
            group = self.roster.resolve_group("EUMS")
            if group is None:  # pragma: no cover - the standard roster always has EUMS
                items.append(_Item("actor", org_start, org_end, actor=eu))
                return header.end()
            items.append(_Item("group", org_start, header.end(), group=group))
            known = len([key for key in group.members if key != "EU"])
            if count is not None and count != known:
                self.problem(
                    f"the header says {count} member States of the European Union; the roster knows {known}",
                    *count_at,
                )
            return header.end()
        sub_start = after + 1
        if opener == "(":
            close = self.clean.find(")", sub_start, end)
            sub_end = end if close == -1 else close
            resume = end if close == -1 else close + 1
        else:
            sub_end = self.eu_list_end(header.start(), sub_start, end)
            resume = sub_end
        items.append(_Item("actor", org_start, org_end, actor=eu))
        listed = self.read_list(sub_start, sub_end, listed_under="EU")
        # Without a hard boundary the list under the EU ends at the last EU member:
        # "…, Spain and Sweden, Guatemala" puts Guatemala back at the top level.
        outside = [
            item
            for item in listed
            if item.kind == "actor" and item.actor is not None and not item.actor.eu_member
        ]
        for item in outside:
            later = listed[listed.index(item) :]
            if not any(other.actor is not None and other.actor.eu_member for other in later):
                for other in later:
                    other.listed_under = None
                break
            self.problem(
                f"{self.clean[item.start : item.end]!s} is listed under the European Union but is not an EU member State",
                item.start,
                item.end,
            )
        under = [item for item in listed if item.listed_under == "EU"]
        if count is not None and count != len(under):
            self.problem(
                f"the header says {count} member States but {len(under)} names are listed under the European Union",
                *count_at,
            )
        items.extend(listed)
        return resume

    def eu_list_end(self, header_start: int, sub_start: int, end: int) -> int:
        line_end = self.clean.find("\n", sub_start, end)
        rest_of_line = self.clean[sub_start : end if line_end == -1 else line_end]
        if rest_of_line.strip():
            semicolon = self.clean.find(";", sub_start, end)
            paragraph = _PARAGRAPH.search(self.clean, sub_start, end)
            ends = [end, semicolon if semicolon != -1 else end, paragraph.start() if paragraph else end]
            return min(ends)
        # The names follow on their own lines: indented ones belong to the EU.
        header_line = self.clean.rfind("\n", 0, header_start) + 1
        header_indent = _indent(self.clean, header_line)
        position = line_end + 1
        last = position
        nested = None
        while position < end:
            next_end = self.clean.find("\n", position, end)
            stop = end if next_end == -1 else next_end
            line = self.clean[position:stop]
            if line.strip():
                indent = _indent(self.clean, position)
                if nested is None:
                    nested = indent > header_indent
                if nested and indent <= header_indent:
                    return last
                if not nested and ";" in line:
                    return position + line.index(";")
                last = stop
            elif nested is False:
                return last
            if next_end == -1:
                break
            position = next_end + 1
        return end

    def problem(self, message: str, start: int, end: int) -> None:
        self.result.problems.append(Problem(message, self.lines.position(start, end)))

    def unresolved(
        self, start: int, end: int, section: Literal["on_behalf_of", "aligned", "delivered_by"]
    ) -> None:
        piece = self.text[start:end]
        error = self.roster.explain(" ".join(self.clean[start : min(end, start + _MAX_NAME_CHARS)].split()))
        candidates: list[Actor | Group] = list(error.candidates)
        if "group" in normalize_name(piece).split():
            candidates = [*self.roster.group_candidates(piece), *candidates]
        self.result.unresolved.append(
            Unresolved(piece, self.lines.position(start, end), section, error.reason, tuple(candidates[:5]))
        )

    # --- putting it together ------------------------------------------------------

    def delivered_by(self, phrase_end: int) -> tuple[Actor, int, int] | None:
        """The deliverer named before the list ("Statement by Canada", "delivered by …")."""
        found: tuple[Actor, int, int] | None = None
        for match in _DELIVERED.finditer(self.clean, 0, phrase_end):
            start, end = self.trim(match.start("who"), match.end("who"))
            who = self.deliverer(start, end)
            if who is not None:
                found = who
            elif (
                "behalf" in match.group("stop").lower()
                and not _PERSON.search(self.clean, start, end)
                and not _is_descriptor_text(self.clean[start:end])
                and start < end
            ):
                self.unresolved(start, end, "delivered_by")
        return found

    def deliverer(self, start: int, end: int) -> tuple[Actor, int, int] | None:
        # "the delegation of Canada", "the Permanent Mission of the Republic of Korea":
        # try the whole phrase, then what follows each "of", left to right.
        if end - start > _MAX_NAME_CHARS:
            return None
        offsets = [start] + [match.end() for match in _OF.finditer(self.clean, start, end)]
        for first in offsets:
            first, last = self.trim(first, end)
            found = self.lookup(first, last)
            if isinstance(found, Group) and found.key == "EUMS":
                return self.roster.get("EU"), first, last
            if isinstance(found, Actor):
                return found, first, last
        return None

    def list_tail(self, start: int, end: int) -> tuple[int, tuple[Actor, int, int] | None]:
        """Cut "… and China by H.E. the Representative of Cuba at the fifth session" off a list.

        No State or standard group name contains "by", "at", "during" or "to the",
        so where one of them follows the list, the list has ended; a "by" phrase
        may name the deliverer.
        """
        tail = _LIST_TAIL.search(self.clean, start, end)
        if tail is None:
            return end, None
        deliverer = None
        if tail.group("word").lower() == "by":
            stop = _DELIVERER_END.search(self.clean, tail.end(), end)
            phrase_end = stop.start() if stop else end
            sentence = self.sentence_end(tail.end(), phrase_end)
            deliverer = self.deliverer(tail.end(), phrase_end if sentence is None else sentence)
        return tail.start(), deliverer

    def run(self) -> StatementParse:
        aligns = self.align_regions()
        # (end of "on behalf of", a deliverer named after the list, the list)
        chosen: tuple[int, tuple[Actor, int, int] | None, list[_Item]] | None = None
        fallback: tuple[int, tuple[Actor, int, int] | None, list[_Item]] | None = None
        for count, match in enumerate(_ON_BEHALF.finditer(self.clean)):
            if count >= _MAX_ON_BEHALF:
                break
            if any(a_start <= match.start() < a_end for a_start, a_end, _ in aligns):
                continue
            start = self.skip_blank(match.end(), len(self.clean))
            limit = min([len(self.clean)] + [s for _, _, s in aligns if s > start])
            end, trailing = self.list_tail(start, self.list_end(start, limit))
            items = self.read_on_behalf(start, end)
            candidate = (match.end(), trailing, items)
            if fallback is None:
                fallback = candidate
            if any(item.kind in ("actor", "group") for item in items):
                chosen = candidate
                break
        chosen = chosen or fallback
        if chosen is None:
            raise StatementError(
                "no list of States found: expected 'on behalf of …' followed by the States, "
                "organizations or groups the statement speaks for"
            )
        phrase_end, trailing, items = chosen
        deliverer = self.delivered_by(phrase_end) or trailing
        if deliverer is not None:
            self.result.delivered_by = deliverer[0]
        self.result.on_behalf_of = self.entries(items, "on_behalf_of", deliverer)
        for a_start, a_end, _ in aligns:
            self.result.aligned.extend(self.entries(self.read_list(a_start, a_end), "aligned", None))
        self.check_overlap()
        return self.result

    def entries(
        self,
        items: Iterable[_Item],
        section: Literal["on_behalf_of", "aligned"],
        deliverer: tuple[Actor, int, int] | None,
    ) -> list[Entry]:
        found: list[Entry] = []
        seen: dict[str, Entry] = {}
        for item in items:
            if item.kind == "unresolved":
                self.unresolved(item.start, item.end, section)
                continue
            if item.kind == "mine":
                entry = self.my_country(item, deliverer)
                if entry is None:
                    continue
                if entry.key in seen:
                    continue
            else:
                entry = self.entry(item, item.start, item.end)
            if entry.key in seen:
                self.problem(f"{entry.name} is listed more than once", entry.start, entry.end)
                continue
            seen[entry.key] = entry
            found.append(entry)
        return found

    def my_country(self, item: _Item, deliverer: tuple[Actor, int, int] | None) -> Entry | None:
        if item.actor is not None:
            if deliverer is not None and deliverer[0].key != item.actor.key:
                self.problem(
                    f"'my own country' is {item.actor.name} but the statement is delivered by {deliverer[0].name}",
                    item.start,
                    item.named_end,
                )
            elif deliverer is None:
                self.result.delivered_by = item.actor
            return self.entry(item, item.named_start, item.named_end)
        if deliverer is None:
            self.problem(
                "'my own country' is used but the statement does not name the State delivering it",
                item.start,
                item.end,
            )
            return None
        return self.entry(
            _Item("actor", item.start, item.end, actor=deliverer[0]), deliverer[1], deliverer[2]
        )

    def entry(self, item: _Item, start: int, end: int) -> Entry:
        position = self.lines.position(start, end)
        if item.group is not None:
            group = item.group
            return Entry(
                key=group.key,
                name=group.name,
                kind="group",
                iso3=None,
                position=position,
                listed_under=item.listed_under,
                members=group.members,
                members_known=group.members_known,
                group=group,
            )
        actor = item.actor
        assert actor is not None
        return Entry(
            key=actor.key,
            name=actor.name,
            kind=actor.kind,
            iso3=actor.iso3,
            position=position,
            listed_under=item.listed_under,
            actor=actor,
        )

    def check_overlap(self) -> None:
        authors = {entry.key for entry in self.result.on_behalf_of}
        for entry in self.result.aligned:
            if entry.key in authors:
                self.problem(
                    f"{entry.name} aligns itself with a statement made on its own behalf",
                    entry.start,
                    entry.end,
                )


def _separator_kind(separator: str) -> str:
    if separator.count("\n") >= 2:
        return "paragraph"
    if separator == "\n":
        return "newline"
    return {";": "semicolon", ":": "colon", ",": "comma"}.get(separator, "and")


def _indent(text: str, line_start: int) -> int:
    position = line_start
    while position < len(text) and text[position] == " ":
        position += 1
    return position - line_start


def _item_for(found: Actor | Group, start: int, end: int, listed_under: str | None) -> _Item:
    if isinstance(found, Group):
        return _Item("group", start, end, group=found, listed_under=listed_under)
    return _Item("actor", start, end, actor=found, listed_under=listed_under)


def _check_text(text: str) -> None:
    if not isinstance(text, str):
        raise StatementError(f"a statement must be text, not {type(text).__name__}")
    # Characters are at most four bytes in UTF-8, so short texts need no encoding.
    if len(text) * 4 > MAX_STATEMENT_BYTES:
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > MAX_STATEMENT_BYTES:
            raise StatementError(
                f"the statement is {size:,} bytes; the limit is {MAX_STATEMENT_BYTES:,} bytes"
            )
    if "\x00" in text:
        raise StatementError("the statement contains NUL characters: it is binary data, not text")
    if not text.strip():
        raise StatementError("the statement is empty")


def parse_statement(text: str, roster: Roster | None = None) -> StatementParse:
    """Read who delivers a joint statement, on whose behalf, and who aligns with it.

    Raises StatementError when the input cannot be a statement (empty, binary,
    over MAX_STATEMENT_BYTES, or without any "on behalf of"). Names that do not
    resolve are not errors: they are listed in `unresolved` with candidates.
    """
    _check_text(text)
    return _Reader(text, roster or load_roster()).run()
