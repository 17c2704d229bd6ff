"""The actors of a negotiation and the groups they form, as plain values.

An *actor* is a State (UN Member State or observer State) or an organization
(the European Union as a regional economic integration organization). A
*group* is a UN regional group, the European Union and its member States, a
negotiating group such as the Group of 77 and China, or an ad hoc coalition.
Group membership carries dates so that later rules can ask who belonged to a
group on the day a statement was delivered or an instrument deposited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "Actor",
    "ActorKind",
    "AmbiguousName",
    "Group",
    "GroupKind",
    "Membership",
    "UnknownName",
    "UnresolvedName",
]

ActorKind = Literal["state", "organization"]
GroupKind = Literal["regional", "organization", "negotiating", "ad_hoc"]


@dataclass(frozen=True)
class Actor:
    """A State or an organization that can speak, sponsor or be listed in a statement.

    `key` is the ISO 3166-1 alpha-3 code for a State and "EU" for the European
    Union. `regional_group` is the key of the UN regional group the actor
    belongs to for electoral purposes ("AG", "APG", "EEG", "GRULAC", "WEOG"), or
    None (Kiribati, observer States, the EU). `special_case` carries the
    reference list's marker for a membership that does not fit the pattern
    ("weog_observer" for the United States, "weog_electoral_also_asia_pacific"
    for Türkiye, "weog_new_york" for Israel, "no_group" for Kiribati).
    `aliases` holds every other spelling that resolves to this actor.
    """

    key: str
    name: str
    kind: ActorKind
    iso3: str | None
    un_member: bool
    observer: bool
    can_vote: bool
    regional_group: str | None
    special_case: str | None
    eu_member: bool
    aliases: tuple[str, ...] = ()
    notes: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Membership:
    """One actor's membership of one group, from `start` to `end` inclusive (None = open)."""

    member: str
    start: date | None = None
    end: date | None = None
    # "member", or "observer" (the United States in WEOG) or "participant"
    # (Türkiye in the Asia-Pacific Group, electoral purposes WEOG only).
    role: str = "member"

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Group:
    """A named set of actors.

    `members` are the keys (ISO alpha-3 codes, "EU") of the current memberships
    (those with no end date), in reference-list order; `members_on(day)` answers
    for a given day. `members_known` is False when the roster does not carry the
    membership list (the Group of 77 and China), in which case `members` is empty
    and means "unknown", not "nobody".
    """

    key: str
    name: str
    kind: GroupKind
    memberships: tuple[Membership, ...] = ()
    aliases: tuple[str, ...] = ()
    members_known: bool = True
    source: str = ""
    notes: str = ""
    members: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        current: list[str] = []
        for membership in self.memberships:
            if membership.end is None and membership.member not in current:
                current.append(membership.member)
        object.__setattr__(self, "members", tuple(current))

    def members_on(self, day: date, roles: Iterable[str] | None = None) -> tuple[str, ...]:
        """Keys of the actors that belonged to the group on `day` (all roles unless given)."""
        wanted = None if roles is None else set(roles)
        found: list[str] = []
        for membership in self.memberships:
            if wanted is not None and membership.role not in wanted:
                continue
            if membership.active_on(day) and membership.member not in found:
                found.append(membership.member)
        return tuple(found)

    @classmethod
    def ad_hoc(
        cls,
        key: str,
        name: str,
        members: Iterable[str],
        *,
        aliases: Iterable[str] = (),
        start: date | None = None,
        end: date | None = None,
        notes: str = "",
    ) -> Group:
        """An ad hoc coalition ("Friends of …", a cross-regional group) with common dates."""
        return cls(
            key=key,
            name=name,
            kind="ad_hoc",
            memberships=tuple(Membership(member, start, end) for member in members),
            aliases=tuple(aliases),
            notes=notes,
        )

    def __str__(self) -> str:
        return self.name


class UnresolvedName(ValueError):
    """A name that does not designate exactly one actor; lists the closest candidates."""

    def __init__(self, name: str, candidates: list[Actor], reason: str) -> None:
        self.name = name
        self.candidates = candidates
        self.reason = reason
        if candidates:
            listed = "; ".join(f"{actor.name} ({actor.key})" for actor in candidates)
            message = f"{reason}; did you mean: {listed}?"
        else:
            message = f"{reason}; no similar name is known"
        super().__init__(message)


class UnknownName(UnresolvedName):
    """No actor is known by this name."""


class AmbiguousName(UnresolvedName):
    """More than one actor is known by this name ("Korea")."""
