"""The roster of a UN negotiation: States, organizations, groups, and name resolution.

Pure Python (no Django). Facts come from the packaged reference lists in
`consensio/reference/` (UN Member States, observers, EU membership dates); see
`consensio.engine.roster.load` for their sources and the deliberate departures.
"""

from consensio.engine.roster.load import Roster, load_roster
from consensio.engine.roster.model import (
    Actor,
    ActorKind,
    AmbiguousName,
    Group,
    GroupKind,
    Membership,
    UnknownName,
    UnresolvedName,
)
from consensio.engine.roster.names import abbreviation_form, normalize_name

__all__ = [
    "Actor",
    "ActorKind",
    "AmbiguousName",
    "Group",
    "GroupKind",
    "Membership",
    "Roster",
    "UnknownName",
    "UnresolvedName",
    "abbreviation_form",
    "load_roster",
    "normalize_name",
]
