"""From a statement's text to the parties to save: the engine's parse plus the secretariat's picks.

The engine (consensio.engine.statements) never guesses; where it could not resolve a
name, the secretariat picks a candidate or leaves the name out, and those picks are
applied here, in the order the names stand in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consensio.engine.roster import load_roster
from consensio.engine.statements import Entry, StatementError, parse_statement


@dataclass(frozen=True)
class Party:
    role: str  # "on_behalf_of" | "aligned"
    name: str
    kind: str  # "state" | "organization" | "group"
    actor_key: str | None = None
    group_key: str | None = None
    listed_under: str | None = None
    members: tuple[str, ...] = ()
    start: int = -1
    picked: bool = False


@dataclass(frozen=True)
class Pending:
    """A name the parser could not resolve, with where it stands and what it might be."""

    name: str
    start: int
    end: int
    line: int
    column: int
    role: str
    candidates: tuple[tuple[str, str], ...]  # (key, name), closest first
    picked: str | None  # a key, "" to leave it out, None when not decided yet
    listed_under: str | None = None


@dataclass
class Resolution:
    text: str
    delivered_by: str | None = None
    delivered_by_name: str = ""
    parties: list[Party] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def states(self) -> list[Party]:
        """The States on whose behalf the statement is made (not those aligning with it)."""
        return [p for p in self.parties if p.kind == "state" and p.role == "on_behalf_of"]

    @property
    def aligned(self) -> list[Party]:
        return [p for p in self.parties if p.role == "aligned"]

    @property
    def undecided(self) -> list[Pending]:
        return [p for p in self.pending if p.picked is None]

    def highlighted(self) -> list[tuple[str, Pending | None]]:
        """The text cut into plain runs and the unresolved names, for marking on the page."""
        out: list[tuple[str, Pending | None]] = []
        at = 0
        for pending in sorted(self.pending, key=lambda p: p.start):
            if pending.start < at:
                continue
            out.append((self.text[at : pending.start], None))
            out.append((self.text[pending.start : pending.end], pending))
            at = pending.end
        out.append((self.text[at:], None))
        return out


def _nesting_at(parties: list[Party], start: int) -> str | None:
    """The organization a name at `start` is listed under: that of its neighbours in the text."""
    before = [p for p in parties if 0 <= p.start < start]
    after = [p for p in parties if p.start > start]
    prev = max(before, key=lambda p: p.start) if before else None
    nxt = min(after, key=lambda p: p.start) if after else None
    if prev is not None and prev.listed_under:
        return prev.listed_under
    if prev is not None and nxt is not None and nxt.listed_under and nxt.listed_under == prev.actor_key:
        return prev.actor_key
    return None


def resolve_statement(text: str, picks: dict[int, str]) -> Resolution:
    resolution = Resolution(text=text)
    roster = load_roster()
    try:
        parsed = parse_statement(text, roster)
    except StatementError as exc:
        resolution.errors.append(str(exc))
        return resolution

    if parsed.delivered_by is not None:
        resolution.delivered_by = parsed.delivered_by.key
        resolution.delivered_by_name = parsed.delivered_by.name
    for role, entries in (("on_behalf_of", parsed.on_behalf_of), ("aligned", parsed.aligned)):
        for entry in entries:
            resolution.parties.append(_party(role, entry))
    resolution.problems = [f"{p.message} (line {p.position.line}, column {p.position.column})" for p in parsed.problems]

    for item in parsed.unresolved:
        start = int(item.start)
        line, column = item.position.line, item.position.column
        role = str(item.section)
        pick = picks.get(start)
        candidates = tuple((c.key, c.name) for c in item.candidates)
        pending = Pending(
            name=item.text, start=start, end=int(item.end), line=line, column=column, role=role,
            candidates=candidates, picked=pick, listed_under=_nesting_at(resolution.parties, start),
        )
        resolution.pending.append(pending)
        if not pick:
            continue
        where = f"“{item.text}” (line {line}, column {column})"
        group = roster.groups.get(pick)
        if group is not None:
            party = Party(role=role, name=group.name, kind="group", group_key=group.key, members=group.members,
                          start=start, picked=True)
        else:
            try:
                actor = roster.get(pick)
            except KeyError:
                resolution.errors.append(f"{where}: {pick!r} is not a known State, organization or group.")
                continue
            if role == "delivered_by":
                resolution.delivered_by, resolution.delivered_by_name = actor.key, actor.name
                continue
            party = Party(role=role, name=actor.name, kind=actor.kind, actor_key=actor.key,
                          listed_under=pending.listed_under, start=start, picked=True)
        if any(p.role == role and (p.actor_key or p.group_key) == (party.actor_key or party.group_key)
               for p in resolution.parties):
            resolution.errors.append(f"{where}: {party.name} is already in the list.")
            continue
        resolution.parties.append(party)

    # Picked names go where they stand in the text; the engine's own order is kept otherwise.
    if any(p.picked for p in resolution.parties):
        resolution.parties.sort(key=lambda p: (p.role != "on_behalf_of", p.start))
    for pending in resolution.undecided:
        resolution.errors.append(
            f"“{pending.name}” (line {pending.line}, column {pending.column}) is not a known State or organization: "
            "pick one of the candidates or leave it out."
        )
    if not resolution.parties and not resolution.errors:
        resolution.errors.append("No State, organization or group could be read from the list.")
    return resolution


def _party(role: str, entry: Entry) -> Party:
    if entry.kind == "group":
        return Party(role=role, name=entry.name, kind="group", group_key=entry.key, members=entry.members,
                     start=entry.start)
    return Party(role=role, name=entry.name, kind=entry.kind, actor_key=entry.key, listed_under=entry.listed_under,
                 start=entry.start)
