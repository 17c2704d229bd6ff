"""The order in which things are put to the vote.

Implements, from research/domain.md §2.6-§2.10:

- rule 127: a roll-call is taken in the English alphabetical order of the members' names,
  beginning with the member whose name is drawn by lot; the lot is drawn from a seed that
  is recorded, so the order can be reproduced;
- rule 130: amendments are voted on before the proposal, the one furthest removed in
  substance first (as the chair ranks them); when adopting one amendment necessarily
  implies rejecting another, the other is not put to the vote;
- rule 129: parts of a proposal voted separately; if all operative parts are rejected the
  proposal is rejected as a whole, otherwise the adopted parts are put to the vote as a whole;
- rule 119: procedural motions take precedence in the rulebook's order (suspend the meeting,
  adjourn the meeting, adjourn the debate, close the debate).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from consensio.engine.procedure.errors import NotAllowed
from consensio.engine.procedure.rulebook import Rulebook


def english_sort_key(name: str) -> str:
    """Alphabetical key for a name in English: case and accents ignored ("Côte d'Ivoire" after "Costa Rica")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def draw_by_lot(count: int, seed: str | int) -> int:
    """The index drawn by lot among ``count`` names, reproducible from ``seed`` on any machine."""
    if count <= 0:
        raise ValueError("nobody to draw from")
    digest = hashlib.sha256(f"roll-call:{seed}".encode()).digest()
    return int.from_bytes(digest, "big") % count


def roll_call_order(members: Iterable[str] | Mapping[str, str], seed: str | int) -> list[str]:
    """Members in English alphabetical order, starting from the one drawn by lot (rule 127).

    ``members`` are names, or a mapping of key (e.g. ISO3) to name, in which case the keys
    are returned in the order of their names.
    """
    names = dict(members) if isinstance(members, Mapping) else {m: m for m in members}
    ordered = sorted(names, key=lambda k: (english_sort_key(names[k]), k))
    if not ordered:
        return []
    start = draw_by_lot(len(ordered), seed)
    return ordered[start:] + ordered[:start]


# --- amendments (rule 130) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Amendment:
    """An amendment as the chair ranks it: a higher ``remoteness`` is further removed in substance.

    ``excludes`` names amendments that adopting this one necessarily rejects (the relation
    is taken both ways).
    """

    key: str
    remoteness: int = 0
    excludes: frozenset[str] = frozenset()


def amendment_voting_order(
    amendments: Sequence[Amendment], chair_order: Sequence[str] | None = None
) -> list[str]:
    """The order of voting on amendments: the chair's, or furthest removed first (ties: order submitted)."""
    keys = [a.key for a in amendments]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise NotAllowed("Rule 130", f"amendment {dup} is listed twice")
    if chair_order is not None:
        if sorted(chair_order) != sorted(keys):
            missing = sorted(set(keys) - set(chair_order))
            extra = sorted(set(chair_order) - set(keys))
            raise NotAllowed(
                "Rule 130",
                f"the chair's order must list each amendment once (missing: {missing or 'none'}; unknown: {extra or 'none'})",
            )
        return list(chair_order)
    indexed = sorted(enumerate(amendments), key=lambda pair: (-pair[1].remoteness, pair[0]))
    return [a.key for _, a in indexed]


def _conflicts(amendments: Sequence[Amendment]) -> dict[str, set[str]]:
    known = {a.key for a in amendments}
    table: dict[str, set[str]] = {a.key: set() for a in amendments}
    for a in amendments:
        for other in a.excludes:
            if other not in known:
                raise NotAllowed(
                    "Rule 130", f"amendment {a.key} excludes {other}, which is not before the body"
                )
            table[a.key].add(other)
            table[other].add(a.key)
    return table


def lapsed_amendments(amendments: Sequence[Amendment], results: Mapping[str, bool]) -> list[str]:
    """Amendments not put because an adopted amendment necessarily rejects them."""
    conflicts = _conflicts(amendments)
    adopted = {k for k, v in results.items() if v}
    return [a.key for a in amendments if a.key not in results and conflicts[a.key] & adopted]


def next_amendment(
    amendments: Sequence[Amendment], results: Mapping[str, bool], chair_order: Sequence[str] | None = None
) -> str | None:
    """The next amendment to put given the results so far; None when the proposal itself is next."""
    order = amendment_voting_order(amendments, chair_order)
    unknown = sorted(set(results) - set(order))
    if unknown:
        raise NotAllowed(
            "Rule 130", f"a result is recorded for {unknown[0]}, which is not an amendment before the body"
        )
    lapsed = set(lapsed_amendments(amendments, results))
    for key in order:
        if key not in results and key not in lapsed:
            return key
    return None


# --- division (rule 129) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    key: str
    operative: bool = True


@dataclass(frozen=True, slots=True)
class DivisionOutcome:
    """Where a divided proposal stands: the next part to put, or what happens to the whole."""

    next_part: str | None
    rejected_as_whole: bool
    put_as_whole: tuple[str, ...]  # the adopted parts, put to the vote together once every part is voted


def division_outcome(parts: Sequence[Part], results: Mapping[str, bool]) -> DivisionOutcome:
    keys = [p.key for p in parts]
    unknown = sorted(set(results) - set(keys))
    if unknown:
        raise NotAllowed(
            "Rule 129", f"a result is recorded for {unknown[0]}, which is not a part of the proposal"
        )
    for p in parts:
        if p.key not in results:
            return DivisionOutcome(p.key, False, ())
    operative = [p for p in parts if p.operative]
    if operative and not any(results[p.key] for p in operative):
        return DivisionOutcome(None, True, ())
    adopted = tuple(p.key for p in parts if results[p.key])
    return DivisionOutcome(None, not adopted, adopted)


# --- procedural motions (rule 119) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Motion:
    kind: str
    mover: str


def order_motions(motions: Sequence[Motion], rulebook: Rulebook) -> list[Motion]:
    """Motions in the order they are put: by the rulebook's precedence, then in the order moved."""
    rank = {kind: i for i, kind in enumerate(rulebook.motion_precedence)}
    last = len(rank)
    indexed = sorted(enumerate(motions), key=lambda pair: (rank.get(pair[1].kind, last), pair[0]))
    return [m for _, m in indexed]
