"""Provision status in a consensus negotiation, as a transition table.

A provision moves from open (bracketed, under negotiation) to informally agreed ("agreed in
informals"), agreed ad referendum (provisionally agreed, subject to confirmation) and adopted
(gavelled in a formal meeting), or it is deleted. Adoption, and undoing an adoption or a deletion,
are decisions of the body and must cite one (`decision_ref`). The vocabulary follows UN practice as
recorded for the Ad Hoc Committee on Cybercrime (research/domain.md §4.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .errors import TransitionError


class Status(StrEnum):
    OPEN = "open"
    INFORMALLY_AGREED = "informally_agreed"
    AGREED_AD_REF = "agreed_ad_ref"
    ADOPTED = "adopted"
    DELETED = "deleted"


class Trigger(StrEnum):
    AGREE_INFORMALLY = "agree_informally"
    AGREE_AD_REF = "agree_ad_ref"
    ADOPT = "adopt"
    DELETE = "delete"
    REOPEN = "reopen"


@dataclass(frozen=True, slots=True)
class Transition:
    source: Status
    trigger: Trigger
    target: Status
    needs_decision: bool
    rule: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.OPEN, Trigger.AGREE_INFORMALLY, Status.INFORMALLY_AGREED, False, "agreed in informals"),
    Transition(Status.OPEN, Trigger.AGREE_AD_REF, Status.AGREED_AD_REF, False, "agreed ad referendum"),
    Transition(
        Status.INFORMALLY_AGREED, Trigger.AGREE_AD_REF, Status.AGREED_AD_REF, False, "agreed ad referendum"
    ),
    Transition(Status.OPEN, Trigger.ADOPT, Status.ADOPTED, True, "adoption is a decision of the body"),
    Transition(
        Status.INFORMALLY_AGREED, Trigger.ADOPT, Status.ADOPTED, True, "adoption is a decision of the body"
    ),
    Transition(
        Status.AGREED_AD_REF, Trigger.ADOPT, Status.ADOPTED, True, "adoption is a decision of the body"
    ),
    Transition(Status.OPEN, Trigger.DELETE, Status.DELETED, False, "deletion agreed"),
    Transition(Status.INFORMALLY_AGREED, Trigger.DELETE, Status.DELETED, False, "deletion agreed"),
    Transition(Status.AGREED_AD_REF, Trigger.DELETE, Status.DELETED, False, "deletion agreed"),
    Transition(Status.INFORMALLY_AGREED, Trigger.REOPEN, Status.OPEN, False, "informal agreement reopened"),
    Transition(Status.AGREED_AD_REF, Trigger.REOPEN, Status.OPEN, False, "ad referendum agreement reopened"),
    Transition(
        Status.ADOPTED, Trigger.REOPEN, Status.OPEN, True, "adopted text is reopened only by a decision"
    ),
    Transition(
        Status.DELETED,
        Trigger.REOPEN,
        Status.OPEN,
        True,
        "a deleted provision is restored only by a decision",
    ),
)

_TABLE: dict[tuple[Status, Trigger], Transition] = {(t.source, t.trigger): t for t in TRANSITIONS}

TAKES_PROPOSALS = frozenset({Status.OPEN, Status.INFORMALLY_AGREED})
"""Statuses in which delegations may table proposals and the compiled text shows them."""

SHOWN_CLEAN = frozenset({Status.AGREED_AD_REF, Status.ADOPTED})
"""Statuses compiled without brackets, marked as agreed."""


@dataclass(frozen=True, slots=True)
class StatusRecord:
    status: Status
    set_by: str
    set_at: datetime
    decision_ref: str | None = None


@dataclass(frozen=True, slots=True)
class ProvisionState:
    """A provision's status history; the last record is the current status."""

    eid: str
    history: tuple[StatusRecord, ...] = ()

    @property
    def status(self) -> Status:
        return self.history[-1].status if self.history else Status.OPEN

    @property
    def current(self) -> StatusRecord | None:
        return self.history[-1] if self.history else None


def may(state: ProvisionState, trigger: Trigger) -> bool:
    """Whether the table allows `trigger` from the current status (the decision check aside)."""
    return (state.status, trigger) in _TABLE


def apply(
    state: ProvisionState, trigger: Trigger, *, by: str, at: datetime, decision_ref: str | None = None
) -> ProvisionState:
    """The state after `trigger`, or TransitionError naming the rule that refuses it."""
    transition = _TABLE.get((state.status, trigger))
    if transition is None:
        allowed = sorted(t.trigger.value for t in TRANSITIONS if t.source is state.status)
        raise TransitionError(
            state.eid,
            state.status.value,
            trigger.value,
            f"allowed from here: {', '.join(allowed) or 'nothing'}",
        )
    if transition.needs_decision and not decision_ref:
        raise TransitionError(
            state.eid, state.status.value, trigger.value, f"{transition.rule}: give the decision_ref"
        )
    record = StatusRecord(transition.target, by, at, decision_ref)
    return ProvisionState(state.eid, (*state.history, record))
