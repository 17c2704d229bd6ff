"""The roster: every actor and group a UN negotiation knows, and name resolution.

Facts come from the package's reference lists, read with importlib.resources:

- `reference/un_member_states.csv`: the 193 UN Member States with ISO 3166-1
  alpha-3 codes, UN regional group and its special cases, EU membership and
  aliases (sources per row: the UN DGACM regional-groups page, ask.un.org, the
  EU's list of member countries).
- `reference/observers.csv`: the non-member observer States (Holy See, State of
  Palestine) and the European Union (A/RES/65/276 enhanced participation).
- `reference/groups_eu_membership.csv`: accession (and withdrawal) dates of the
  EU member States, from the EU's own "EU countries" page, so that "the
  European Union and its member States" can be asked for on a date.

The five UN regional groups are built from the member-state list. The Group of
77 and China is known by name only: no sourced membership list ships with the
package, so its `members_known` is False rather than a guessed list.

Resolution never guesses: a name resolves when its normalised form is a known
name or alias of exactly one actor; otherwise `UnknownName` or `AmbiguousName`
is raised with the closest candidates.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources

from consensio.engine.roster.model import (
    Actor,
    AmbiguousName,
    Group,
    Membership,
    UnknownName,
    UnresolvedName,
)
from consensio.engine.roster.names import FuzzyIndex, abbreviation_form, normalize_name

__all__ = ["Roster", "load_roster"]

REFERENCE_PACKAGE = "consensio.reference"

# Labels of the member-state list's `un_regional_group` column → group keys.
REGIONAL_GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "African": (
        "AG",
        "African Group",
        ("Group of African States", "African States", "Africa Group"),
    ),
    "Asia-Pacific": (
        "APG",
        "Asia-Pacific Group",
        (
            "Group of Asia-Pacific States",
            "Asia and the Pacific Group",
            "Group of Asia and the Pacific States",
            "Asia-Pacific States",
            "Group of Asia-Pacific Small Island Developing States",
            # The group's name before 2011.
            "Asian Group",
            "Group of Asian States",
        ),
    ),
    "Eastern European": (
        "EEG",
        "Eastern European Group",
        ("Group of Eastern European States", "Eastern European States", "EEG"),
    ),
    "Latin American and Caribbean": (
        "GRULAC",
        "Latin American and Caribbean Group",
        (
            "Group of Latin American and Caribbean States",
            "Latin America and the Caribbean Group",
            "Latin American and Caribbean States",
            "GRULAC",
        ),
    ),
    "Western European and Others": (
        "WEOG",
        "Western European and Others Group",
        (
            "Group of Western European and Other States",
            "Western European and Other States Group",
            "Western European and Other States",
            "WEOG",
        ),
    ),
}

# Spellings in the reference list that must not resolve, with the reason and
# the actors to offer instead.
# - "Holland" is the list's alias for the Netherlands, but Holland is a region
#   of the Netherlands (two of its twelve provinces), not the name of a State;
#   accepting it would teach users a wrong name in a formal record.
# - "Korea" alone is listed for the Republic of Korea, but it equally names the
#   Democratic People's Republic of Korea; statements must say which.
REJECTED_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Holland": ("'Holland' is a region of the Netherlands, not the name of a State", ("NLD",)),
}
AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "Korea": ("KOR", "PRK"),
}

# Former and common names not in the reference list, each a name the State
# itself used at the UN (so that older documents still resolve).
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "COD": ("Zaire",),  # 1971-1997
    "BFA": ("Upper Volta",),  # until 1984
    "BEN": ("Dahomey",),  # until 1975
    "LKA": ("Ceylon",),  # until 1972
    "WSM": ("Western Samoa",),  # until 1997
    "ARE": ("UAE",),
}

# Observer aliases from the reference list that name a different entity: the
# PLO was an observer organization, not the State of Palestine.
DROPPED_OBSERVER_ALIASES = {"Palestine Liberation Organization"}


def _read_csv(filename: str) -> list[dict[str, str]]:
    text = resources.files(REFERENCE_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _split_aliases(cell: str) -> list[str]:
    aliases = []
    for raw in cell.split(";"):
        alias = raw.strip()
        # "(historical)" and similar annotations in the list are notes, not part of the name.
        if "(historical" in alias:
            alias = alias.split("(historical")[0].strip()
        if alias:
            aliases.append(alias)
    return aliases


def _parse_date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


def _member_states() -> Iterator[Actor]:
    for row in _read_csv("un_member_states.csv"):
        label = row["un_regional_group"].strip()
        aliases = [
            alias
            for alias in _split_aliases(row["aliases"])
            if alias not in REJECTED_ALIASES and alias not in AMBIGUOUS_NAMES
        ]
        aliases.extend(EXTRA_ALIASES.get(row["iso3"], ()))
        yield Actor(
            key=row["iso3"],
            name=row["name"],
            kind="state",
            iso3=row["iso3"],
            un_member=True,
            observer=False,
            can_vote=True,
            regional_group=REGIONAL_GROUPS[label][0] if label else None,
            special_case=row["special_case"].strip() or None,
            eu_member=row["eu_member"].strip() == "yes",
            aliases=tuple(dict.fromkeys(a for a in aliases if a != row["name"])),
            notes=row["notes"],
        )


def _observers() -> Iterator[Actor]:
    for row in _read_csv("observers.csv"):
        iso3 = row["iso3"].strip() or None
        key = iso3 or "EU"
        aliases = [a for a in _split_aliases(row["aliases"]) if a not in DROPPED_OBSERVER_ALIASES]
        aliases = [a.split(" (historical")[0] for a in aliases]
        aliases.extend(EXTRA_ALIASES.get(key, ()))
        is_state = iso3 is not None
        yield Actor(
            key=key,
            name=row["name"],
            kind="state" if is_state else "organization",
            iso3=iso3,
            un_member=False,
            observer=True,
            can_vote=row["can_vote"].strip() == "yes",
            regional_group=None,
            special_case=None,
            eu_member=False,
            aliases=tuple(dict.fromkeys(a for a in aliases if a != row["name"])),
            notes=row["notes"],
        )


def _standard_groups(actors: Mapping[str, Actor]) -> list[Group]:
    groups: list[Group] = []
    dgacm = "UN DGACM regional groups page; ask.un.org FAQ (reference/un_member_states.csv)"
    for key, name, aliases in REGIONAL_GROUPS.values():
        memberships: list[Membership] = []
        for actor in actors.values():
            if actor.regional_group != key:
                continue
            role = "observer" if actor.special_case == "weog_observer" else "member"
            memberships.append(Membership(actor.key, role=role))
        if key == "APG":
            # Türkiye participates fully in the Asia-Pacific Group as well, though it
            # counts in WEOG only for elections.
            memberships.extend(
                Membership(actor.key, role="participant")
                for actor in actors.values()
                if actor.special_case == "weog_electoral_also_asia_pacific"
            )
        groups.append(
            Group(
                key=key,
                name=name,
                kind="regional",
                memberships=tuple(memberships),
                aliases=aliases,
                source=dgacm,
            )
        )

    eu_rows = _read_csv("groups_eu_membership.csv")
    eu_memberships = [Membership("EU")] + [
        Membership(row["iso3"], _parse_date(row["start"]), _parse_date(row["end"])) for row in eu_rows
    ]
    groups.append(
        Group(
            key="EUMS",
            name="the European Union and its Member States",
            kind="organization",
            memberships=tuple(eu_memberships),
            aliases=(
                "European Union and its Member States",
                "EU and its Member States",
                "European Union and its 27 Member States",
                "EU and its 27 Member States",
                "EU27",
                "EU-27",
            ),
            source="https://european-union.europa.eu/principles-countries-history/eu-countries_en",
            notes="Accession dates are those of the European Communities; see reference/groups_eu_membership.csv.",
        )
    )
    groups.append(
        Group(
            key="G77",
            name="the Group of 77 and China",
            kind="negotiating",
            aliases=(
                "Group of 77",
                "G77 and China",
                "G-77 and China",
                "G 77 and China",
                "G77/China",
                "G-77/China",
                "G77",
                "G-77",
            ),
            members_known=False,
            notes="No sourced membership list ships with Consensio; the members are unknown to the roster.",
        )
    )
    return groups


@dataclass(frozen=True)
class _ActorIndex:
    """Everything needed to resolve actor names, built once and shared between rosters."""

    actors: Mapping[str, Actor]
    by_name: Mapping[str, tuple[str, ...]]
    by_abbreviation: Mapping[str, str]
    rejected: Mapping[str, tuple[str, tuple[str, ...]]]
    fuzzy: FuzzyIndex


def _build_actor_index(actors: Iterable[Actor]) -> _ActorIndex:
    table = {actor.key: actor for actor in actors}
    # An official name outranks an alias: if one actor's alias normalised
    # equals another actor's official name, the official name wins.
    ranked: dict[str, tuple[int, list[str]]] = {}
    abbreviations: dict[str, str] = {}
    fuzzy_forms: list[tuple[str, str]] = []

    def add(form: str, key: str, rank: int) -> None:
        current = ranked.get(form)
        if current is None or rank < current[0]:
            ranked[form] = (rank, [key])
        elif rank == current[0] and key not in current[1]:
            current[1].append(key)

    for actor in table.values():
        for rank, spelling in [(0, actor.name)] + [(1, alias) for alias in actor.aliases]:
            fuzzy_forms.append((normalize_name(spelling), actor.key))
            short = abbreviation_form(spelling)
            if short is not None:
                abbreviations[short] = actor.key
            else:
                add(normalize_name(spelling), actor.key, rank)

    rejected: dict[str, tuple[str, tuple[str, ...]]] = {}
    for spelling, (reason, keys) in REJECTED_ALIASES.items():
        rejected[normalize_name(spelling)] = (reason, keys)
    for spelling, keys in AMBIGUOUS_NAMES.items():
        form = normalize_name(spelling)
        ranked[form] = (0, list(keys))
    for form, (_, keys) in list(rejected.items()):
        fuzzy_forms.extend((form, key) for key in keys)
    return _ActorIndex(
        actors=table,
        by_name={form: tuple(keys) for form, (_, keys) in ranked.items()},
        by_abbreviation=abbreviations,
        rejected=rejected,
        fuzzy=FuzzyIndex(fuzzy_forms),
    )


class Roster:
    """All actors and groups, with name resolution. Immutable; use `with_groups` to extend.

    Ordering: `actors` lists the 193 Member States in reference-list order, then
    the observer States, then the European Union.
    """

    def __init__(self, index: _ActorIndex, groups: Iterable[Group]) -> None:
        self._index = index
        self._groups: dict[str, Group] = {}
        self._group_names: dict[str, str] = {}
        group_forms: list[tuple[str, str]] = []
        for group in groups:
            if group.key in self._groups:
                raise ValueError(f"group key {group.key!r} is used twice")
            unknown = [member for member in group.members if member not in index.actors]
            if unknown:
                raise ValueError(f"group {group.name!r} lists unknown actor keys: {', '.join(unknown)}")
            self._groups[group.key] = group
            for spelling in (group.name, *group.aliases):
                form = normalize_name(spelling)
                group_forms.append((form, group.key))
                self._group_names.setdefault(form, group.key)
        self._group_fuzzy = FuzzyIndex(group_forms)

    # --- the actors -----------------------------------------------------------------

    @property
    def actors(self) -> tuple[Actor, ...]:
        """Every actor: Member States, observer States, the European Union."""
        return tuple(self._index.actors.values())

    @property
    def members(self) -> tuple[Actor, ...]:
        """The 193 UN Member States."""
        return tuple(actor for actor in self._index.actors.values() if actor.un_member)

    @property
    def observers(self) -> tuple[Actor, ...]:
        """Observer States and organizations (Holy See, State of Palestine, European Union)."""
        return tuple(actor for actor in self._index.actors.values() if actor.observer)

    def get(self, key: str) -> Actor:
        """The actor with this ISO alpha-3 code (or "EU"); KeyError if there is none."""
        try:
            return self._index.actors[key]
        except KeyError:
            raise KeyError(f"no actor with key {key!r}") from None

    def find(self, name: str) -> Actor | None:
        """The actor this name designates, or None: the non-raising form of `resolve`."""
        short = abbreviation_form(name)
        if short is not None and short in self._index.by_abbreviation:
            return self._index.actors[self._index.by_abbreviation[short]]
        keys = self._index.by_name.get(normalize_name(name))
        if keys is not None and len(keys) == 1:
            return self._index.actors[keys[0]]
        return None

    def resolve(self, name: str) -> Actor:
        """The actor this name designates.

        Raises `AmbiguousName` when the name designates several actors ("Korea")
        and `UnknownName` otherwise, each with up to five candidates, closest first.
        """
        found = self.find(name)
        if found is not None:
            return found
        raise self.explain(name)

    def explain(self, name: str) -> UnresolvedName:
        """The error `resolve(name)` raises, built without raising it."""
        form = normalize_name(name)
        keys = self._index.by_name.get(form)
        if keys is not None and len(keys) > 1:
            return AmbiguousName(
                name,
                [self._index.actors[key] for key in keys],
                f"{name!r} may designate several States",
            )
        if form in self._index.rejected:
            reason, offered = self._index.rejected[form]
            return UnknownName(name, [self._index.actors[key] for key in offered], reason)
        candidates = [self._index.actors[key] for key in self.candidate_keys(name)]
        if keys is None and abbreviation_form(name.upper()) in self._index.by_abbreviation:
            # "us" or "Eu": an abbreviation written without capitals is not a name,
            # but the capitalised form is the obvious suggestion.
            key = self._index.by_abbreviation[abbreviation_form(name.upper()) or ""]
            candidates = [self._index.actors[key]] + [c for c in candidates if c.key != key]
        return UnknownName(name, candidates[:5], f"no State or organization is known as {name!r}")

    def candidate_keys(self, name: str, limit: int = 5) -> list[str]:
        """Keys of the actors whose names are closest to `name`, best first."""
        return [key for key, _ in self._index.fuzzy.closest(name, limit)]

    def candidate_scores(self, name: str, limit: int = 5) -> list[tuple[Actor, float]]:
        """The actors closest to `name` with a similarity score in [0, 1], best first."""
        return [(self._index.actors[key], score) for key, score in self._index.fuzzy.closest(name, limit)]

    # --- the groups -----------------------------------------------------------------

    @property
    def groups(self) -> Mapping[str, Group]:
        """Groups by key: AG, APG, EEG, GRULAC, WEOG, EUMS, G77, and any ad hoc groups added."""
        return dict(self._groups)

    def resolve_group(self, name: str) -> Group | None:
        """The group with this key, name or alias, or None when no group is known by it.

        Returns None rather than raising because callers (the statement parser)
        try a group only after an actor; use `group_candidates` for suggestions.
        """
        if name in self._groups:
            return self._groups[name]
        key = self._group_names.get(normalize_name(name))
        return None if key is None else self._groups[key]

    def group_candidates(self, name: str, limit: int = 3) -> list[Group]:
        """The groups whose names are closest to `name`, best first."""
        return [self._groups[key] for key, _ in self._group_fuzzy.closest(name, limit)]

    def with_groups(self, *groups: Group) -> Roster:
        """A new roster that also knows these (ad hoc) groups; this roster is unchanged."""
        return Roster(self._index, [*self._groups.values(), *groups])


@functools.cache
def load_roster() -> Roster:
    """The roster built from the packaged reference lists (read once per process)."""
    index = _build_actor_index([*_member_states(), *_observers()])
    return Roster(index, _standard_groups(index.actors))
