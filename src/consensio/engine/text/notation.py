"""The bracket notation: a plain-text form of a whole rolling text, easy to type or paste in Word.

It writes a negotiating text the way UN compilations print it (research/domain.md §4.5): headings
for chapters and articles, numbered paragraphs, lettered subparagraphs, contested words in square
brackets with the proposing delegations in braces, alternatives as bracketed options separated by
a bar, and "ad ref" markers. The grammar is in docs/bracket-notation.md. `parse` reports every error
with its line and column; `serialize` writes the canonical form, and parse(serialize(x)) == x.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import NotationError
from .rolling import Block, Bracket, Option, Plain, RollingText, Segment, normalize, renumber
from .status import Status
from .tree import PREAMBLE, Kind, default_eid

_TITLE = re.compile(r"title:[ \t]*", re.IGNORECASE)
_PREAMBLE = re.compile(r"preamble[ \t]*$", re.IGNORECASE)
_CHAPTER = re.compile(r"chapter[ \t]+([IVXLCDM]+|\d+)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"article[ \t]+(\d+)\b", re.IGNORECASE)
_PARAGRAPH = re.compile(r"(\d+)\.(?=[ \t]|$)")
_SUBPARAGRAPH = re.compile(r"\(([a-z]+)\)(?=[ \t]|$)")
_HEADING_SEP = re.compile(r"[ \t]*(?:[—–:.-](?=[ \t]|$))?[ \t]*")
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_EID = re.compile(r"[A-Za-z0-9_.-]+")
_STRUCTURAL = (_TITLE, _PREAMBLE, _CHAPTER, _ARTICLE, _PARAGRAPH, _SUBPARAGRAPH)

STATUS_MARKERS: dict[str, Status] = {
    "agreed": Status.INFORMALLY_AGREED,
    "ad ref": Status.AGREED_AD_REF,
    "adopted": Status.ADOPTED,
    "deleted": Status.DELETED,
    "open": Status.OPEN,
}
_MARKER_OF: dict[Status, str] = {
    Status.INFORMALLY_AGREED: "agreed",
    Status.AGREED_AD_REF: "ad ref",
    Status.ADOPTED: "adopted",
    Status.DELETED: "deleted",
}
_STATUS_ALIASES = {"informally agreed": "agreed", "agreed ad ref": "ad ref", "agreed ad referendum": "ad ref"}


def any_sponsor(code: str) -> bool:
    """The default sponsor check: every well-formed code is accepted."""
    return True


# -- serializing -------------------------------------------------------------------------------


_ESCAPES = {ord(c): "\\" + c for c in "\\[]{}|"}


def escape(text: str) -> str:
    """Escape the characters that carry structure: \\ [ ] { } |."""
    return text.translate(_ESCAPES)


def _escape_edges(text: str) -> str:
    """Protect leading and trailing spaces, which a line otherwise loses."""
    lead = text[:1] in (" ", "\t")
    if text[-1:] in (" ", "\t") and len(text) > 1:
        # escape() doubled every backslash, so this space is not escaped yet.
        text = text[:-1] + "\\" + text[-1]
    if lead:
        text = "\\" + text
    return text


def serialize_segments(segments: tuple[Segment, ...]) -> str:
    out = []
    for seg in segments:
        if isinstance(seg, Plain):
            out.append(escape(seg.text))
        elif len(seg.options) == 1:
            out.append(_serialize_option(seg.options[0]))
        else:
            out.append("[" + " | ".join(_serialize_option(o) for o in seg.options) + "]")
    return "".join(out)


def _serialize_option(option: Option) -> str:
    attribution = ""
    if option.sponsors:
        attribution = "{" + ", ".join(option.sponsors) + "}"
    elif option.deletion:
        attribution = "{delete: " + ", ".join(option.deletion) + "}"
    return f"[{escape(option.text)}]{attribution}"


def _markers(block: Block, default: str) -> str:
    items = []
    if block.eid != default:
        items.append(f"#{block.eid}")
    if block.status is not Status.OPEN:
        items.append(_MARKER_OF[block.status])
    if block.proposed_by:
        items.append("new: " + ", ".join(block.proposed_by))
    if block.deletion_by:
        items.append("delete: " + ", ".join(block.deletion_by))
    return "{" + "; ".join(items) + "}" if items else ""


def serialize(text: RollingText) -> str:
    """The canonical bracket notation of a rolling text (one provision per line)."""
    lines: list[str] = []
    if text.title:
        lines.append("Title: " + _escape_edges(escape(text.title)))
    if text.preamble:
        lines += ["", "Preamble"]
    counters = _Counters()
    for i, block in enumerate(text.preamble, 1):
        lines.append(_content_line("", _markers(block, default_eid(block.kind, PREAMBLE, i)), block.content))
    _serialize_blocks(text.body, "", lines, counters)
    return "\n".join(lines) + "\n"


def _content_line(prefix: str, markers: str, content: tuple[Segment, ...]) -> str:
    body = _escape_edges(serialize_segments(content))
    if prefix:
        return " ".join(p for p in (prefix, markers, body) if p)
    if markers:
        return f"{markers} {body}" if body else markers
    if not body:
        return "{}"
    if body[0] == "{" or any(rx.match(body) for rx in _STRUCTURAL):
        body = "\\" + body
    return body


@dataclass
class _Counters:
    chapters: int = 0
    articles: int = 0


def _serialize_blocks(blocks: tuple[Block, ...], parent: str, lines: list[str], counters: _Counters) -> None:
    for position, block in enumerate(blocks, 1):
        if block.kind is Kind.CHAPTER:
            counters.chapters += 1
            default = default_eid(block.kind, parent, counters.chapters)
            lines.append("")
            lines.append(_heading_line("Chapter", block, default))
        elif block.kind is Kind.ARTICLE:
            counters.articles += 1
            default = default_eid(block.kind, parent, counters.articles)
            lines.append("")
            lines.append(_heading_line("Article", block, default))
        elif block.kind is Kind.PARAGRAPH:
            default = default_eid(block.kind, parent, position)
            prefix = f"{block.num}." if block.num else ""
            line = _content_line(prefix, _markers(block, default), block.content)
            if line == "{}":
                line = "1."  # an empty sole paragraph still needs a line of its own
            lines.append(line)
        else:
            default = default_eid(block.kind, parent, position)
            lines.append(_content_line(f"({block.num})", _markers(block, default), block.content))
        _serialize_blocks(block.children, block.eid, lines, counters)


def _heading_line(word: str, block: Block, default: str) -> str:
    parts = [f"{word} {block.num}"]
    markers = _markers(block, default)
    if markers:
        parts.append(markers)
    if block.heading:
        parts.append("— " + _escape_edges(escape(block.heading)))
    return " ".join(parts)


# -- parsing -----------------------------------------------------------------------------------


@dataclass
class _Node:
    kind: Kind
    eid: str
    line: int
    heading: str = ""
    content: tuple[Segment, ...] = ()
    status: Status = Status.OPEN
    proposed_by: tuple[str, ...] = ()
    deletion_by: tuple[str, ...] = ()
    children: list[_Node] = field(default_factory=list)

    def freeze(self) -> Block:
        return Block(
            self.eid,
            self.kind,
            heading=self.heading,
            content=self.content,
            status=self.status,
            proposed_by=self.proposed_by,
            deletion_by=self.deletion_by,
            children=tuple(c.freeze() for c in self.children),
        )


class _Line:
    """One line being read: the raw text, its number, and the error list shared by the parse."""

    def __init__(
        self, raw: str, number: int, errors: list[tuple[int, int, str]], known: Callable[[str], bool]
    ) -> None:
        self.raw = raw
        self.number = number
        self.errors = errors
        self.known = known

    def error(self, index: int, message: str) -> None:
        self.errors.append((self.number, index + 1, message))

    # ---- unescaping

    def plain(self, start: int, end: int) -> str:
        """Unescaped text of raw[start:end], which holds no structure."""
        out = []
        i = start
        while i < end:
            ch = self.raw[i]
            if ch == "\\" and i + 1 < end:
                out.append(self.raw[i + 1])
                i += 2
                continue
            if ch == "\\":
                self.error(i, "a line cannot end with a lone \\ (write \\\\ for a backslash)")
            else:
                out.append(ch)
            i += 1
        return "".join(out)

    # ---- sponsor lists

    def codes(self, start: int, text: str) -> tuple[str, ...]:
        codes: list[str] = []
        offset = start
        for part in text.split(","):
            code = part.strip()
            col = offset + (len(part) - len(part.lstrip()))
            offset += len(part) + 1
            if not code:
                self.error(col, "an empty sponsor code")
            elif not _CODE.fullmatch(code):
                self.error(col, f"{code!r} is not a sponsor code (letters and digits, e.g. EU, JPN)")
            elif not self.known(code):
                self.error(col, f"unknown sponsor code {code!r}")
            elif code in codes:
                self.error(col, f"{code} is named twice")
            else:
                codes.append(code)
        return tuple(codes)

    def braces(self, i: int) -> tuple[str, int] | None:
        """raw[i] is '{': the inside and the index after the closing '}'."""
        close = self.raw.find("}", i + 1)
        if close == -1:
            self.error(i, "{ is not closed by }")
            return None
        return self.raw[i + 1 : close], close + 1

    # ---- markers after a number

    def markers(self, i: int, node: _Node) -> int:
        """Read an optional marker block at raw[i:]; returns the index after it (and its spaces)."""
        if i >= len(self.raw) or self.raw[i] != "{":
            return i
        found = self.braces(i)
        if found is None:
            return len(self.raw)
        inside, after = found
        offset = i + 1
        for item in inside.split(";"):
            col = offset + (len(item) - len(item.lstrip()))
            offset += len(item) + 1
            word = item.strip()
            lowered = _STATUS_ALIASES.get(word.lower(), word.lower())
            if not word:
                if inside.strip():
                    self.error(col, "an empty marker between ;")
            elif word.startswith("#"):
                if _EID.fullmatch(word[1:]):
                    node.eid = word[1:]
                else:
                    self.error(col, f"{word!r} is not an eId (letters, digits, _ . -)")
            elif lowered in STATUS_MARKERS:
                node.status = STATUS_MARKERS[lowered]
            elif lowered.startswith("new:"):
                node.proposed_by = self.codes(col + 4, word[4:])
            elif lowered.startswith("delete:"):
                node.deletion_by = self.codes(col + 7, word[7:])
            else:
                self.error(col, f"unknown marker {word!r} (ad ref, agreed, adopted, #eId, new: …, delete: …)")
        if node.proposed_by and node.deletion_by:
            self.error(i, "a provision cannot be both proposed (new:) and proposed for deletion (delete:)")
        while after < len(self.raw) and self.raw[after] in " \t":
            after += 1
        return after

    # ---- content: plain text and brackets

    def content(self, i: int) -> tuple[Segment, ...]:
        segments: list[Segment] = []
        raw = self.raw
        start = i
        while i < len(raw):
            ch = raw[i]
            if ch == "\\":
                i += 2
            elif ch == "[":
                segments.append(Plain(self.plain(start, i)))
                bracket, i = self.bracket(i)
                if bracket is not None:
                    segments.append(bracket)
                start = i
            elif ch == "]":
                self.error(i, "] without a matching [ (write \\] for a literal bracket)")
                segments.append(Plain(self.plain(start, i)))
                i += 1
                start = i
            else:
                i += 1
        segments.append(Plain(self.plain(start, min(i, len(raw)))))
        return normalize(segments)

    def bracket(self, open_at: int) -> tuple[Bracket | None, int]:
        raw = self.raw
        j = open_at + 1
        while j < len(raw) and raw[j] in " \t":
            j += 1
        if j < len(raw) and raw[j] == "[":
            return self.options(open_at, j)
        option, i = self.option(open_at)
        return (Bracket((option,)) if option else None), i

    def option(self, open_at: int) -> tuple[Option | None, int]:
        """raw[open_at] is '['; read to its ']' and an optional attribution."""
        raw = self.raw
        i = open_at + 1
        ok = True
        depth = 1  # after a nesting error, skip to the bracket that closes the outer one
        while i < len(raw):
            ch = raw[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "]":
                depth -= 1
                if depth == 0:
                    break
            elif ch == "[":
                if ok:
                    self.error(i, "brackets cannot be nested; write alternatives as [[a]{X} | [b]{Y}]")
                ok = False
                depth += 1
            elif ch == "|" and ok:
                self.error(i, "| inside a bracket: write alternatives as [[a]{X} | [b]{Y}], or \\| for a bar")
                ok = False
            i += 1
        if i >= len(raw):
            self.error(open_at, "[ is not closed by ]")
            return None, len(raw)
        text = self.plain(open_at + 1, i)
        i += 1
        sponsors: tuple[str, ...] = ()
        deletion: tuple[str, ...] = ()
        if i < len(raw) and raw[i] == "{":
            found = self.braces(i)
            if found is None:
                return None, len(raw)
            inside, after = found
            if inside.strip().lower().startswith("delete:"):
                lead = len(inside) - len(inside.lstrip())
                deletion = self.codes(i + 1 + lead + 7, inside.lstrip()[7:])
            elif not inside.strip():
                self.error(i, "an empty attribution {} (name the sponsors, e.g. {EU, JPN})")
            else:
                sponsors = self.codes(i + 1, inside)
            i = after
        if not text:
            self.error(open_at, "an option without text")
            ok = False
        return (Option(text, sponsors, deletion) if ok else None), i

    def options(self, open_at: int, first: int) -> tuple[Bracket | None, int]:
        raw = self.raw
        options: list[Option] = []
        ok = True
        i = first
        while True:
            option, i = self.option(i)
            if option is None:
                ok = False
            else:
                options.append(option)
            while i < len(raw) and raw[i] in " \t":
                i += 1
            if i >= len(raw):
                self.error(open_at, "[ is not closed by ]")
                return None, i
            if raw[i] == "]":
                i += 1
                break
            if raw[i] != "|":
                self.error(i, "expected | or ] after an option: [[a]{X} | [b]{Y}]")
                return None, len(raw)
            i += 1
            while i < len(raw) and raw[i] in " \t":
                i += 1
            if i >= len(raw) or raw[i] != "[":
                self.error(i, "each option is in its own brackets: [[a]{X} | [b]{Y}]")
                return None, len(raw)
        if i < len(raw) and raw[i] == "{":
            self.error(i, "attribute each option, not the whole bracket: [[a]{X} | [b]{Y}]")
            found = self.braces(i)
            i = found[1] if found else len(raw)
            ok = False
        return (Bracket(tuple(options)) if ok else None), i


def _line_bounds(raw: str) -> tuple[int, int]:
    """Start and end of a line without its surrounding spaces; an escaped final space stays."""
    start = len(raw) - len(raw.lstrip(" \t"))
    end = len(raw.rstrip(" \t"))
    if end < len(raw):
        slashes = len(raw[:end]) - len(raw[:end].rstrip("\\"))
        if slashes % 2 == 1:
            end += 1
    return start, max(start, end)


def parse(source: str, is_known_sponsor: Callable[[str], bool] = any_sponsor) -> RollingText:
    """Read a rolling text in the bracket notation; NotationError lists every problem found."""
    errors: list[tuple[int, int, str]] = []
    title = ""
    preamble: list[_Node] = []
    body: list[_Node] = []
    chapter: _Node | None = None
    article: _Node | None = None
    paragraph: _Node | None = None
    articles = 0
    chapters = 0
    seen_body = False
    eids: dict[str, int] = {}
    all_nodes: list[tuple[_Node, int]] = []

    for number, full in enumerate(source.splitlines(), 1):
        start, end = _line_bounds(full)
        if start == end:
            continue
        line = _Line(full[:end], number, errors, is_known_sponsor)
        rest = full[start:end]

        if (m := _TITLE.match(rest)) and not seen_body and not preamble:
            if title:
                line.error(start, "a second Title: line")
            title = line.plain(start + m.end(), end)
            continue
        if _PREAMBLE.match(rest):
            if seen_body:
                line.error(start, "the preamble comes before the first chapter or article")
            continue
        if m := _CHAPTER.match(rest):
            seen_body = True
            chapters += 1
            node = _Node(Kind.CHAPTER, default_eid(Kind.CHAPTER, "", chapters), number)
            i = line.markers(_skip_spaces(full, start + m.end()), node)
            node.heading = _heading(line, i, end)
            body.append(node)
            chapter, article, paragraph = node, None, None
            all_nodes.append((node, start))
            continue
        if m := _ARTICLE.match(rest):
            seen_body = True
            articles += 1
            parent = chapter.eid if chapter else ""
            node = _Node(Kind.ARTICLE, default_eid(Kind.ARTICLE, parent, articles), number)
            i = line.markers(_skip_spaces(full, start + m.end()), node)
            node.heading = _heading(line, i, end)
            (chapter.children if chapter else body).append(node)
            article, paragraph = node, None
            all_nodes.append((node, start))
            continue

        m = _PARAGRAPH.match(rest) or _SUBPARAGRAPH.match(rest)
        is_sub = m is not None and m.re is _SUBPARAGRAPH
        i = _skip_spaces(full, start + m.end()) if m else start
        if is_sub:
            if paragraph is None:
                line.error(start, "a subparagraph needs a paragraph of an article before it")
                continue
            node = _Node(
                Kind.SUBPARAGRAPH,
                default_eid(Kind.SUBPARAGRAPH, paragraph.eid, len(paragraph.children) + 1),
                number,
            )
            paragraph.children.append(node)
        elif article is not None:
            node = _Node(
                Kind.PARAGRAPH, default_eid(Kind.PARAGRAPH, article.eid, len(article.children) + 1), number
            )
            article.children.append(node)
            paragraph = node
        elif not seen_body and m is None:
            node = _Node(
                Kind.PREAMBLE_PARAGRAPH,
                default_eid(Kind.PREAMBLE_PARAGRAPH, PREAMBLE, len(preamble) + 1),
                number,
            )
            preamble.append(node)
        else:
            where = "a chapter heading" if seen_body else "the preamble"
            line.error(start, f"a numbered paragraph cannot follow {where}; it belongs in an article")
            continue
        i = line.markers(i, node)
        node.content = line.content(i)
        all_nodes.append((node, start))

    # eIds must be unique: children's default eIds follow their parent's (possibly marked) eId.
    for node, col in all_nodes:
        if node.eid in eids:
            errors.append((node.line, col + 1, f"eId {node.eid} is already used on line {eids[node.eid]}"))
        else:
            eids[node.eid] = node.line
    if errors:
        raise NotationError(sorted(errors))
    return renumber(title, (n.freeze() for n in preamble), (n.freeze() for n in body))


def _skip_spaces(raw: str, i: int) -> int:
    while i < len(raw) and raw[i] in " \t":
        i += 1
    return i


def _heading(line: _Line, i: int, end: int) -> str:
    m = _HEADING_SEP.match(line.raw, i)
    return line.plain(m.end() if m else i, end)
