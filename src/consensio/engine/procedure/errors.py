"""Typed refusals of the procedure engine.

Every refusal names the rule it applies, the state of the question and the step that was
tried, so that a chair's ruling can be read out as it stands, e.g. "Rule 128: voting has
begun: no interruption except a point of order on the conduct of the vote".
"""

from __future__ import annotations


class ProcedureError(Exception):
    """A step that the rules of procedure do not permit."""

    def __init__(self, rule: str, reason: str, *, state: str = "", trigger: str = "") -> None:
        self.rule = rule
        self.reason = reason
        self.state = state
        self.trigger = trigger
        where = f" [state: {state}; step: {trigger}]" if state or trigger else ""
        super().__init__(f"{rule}: {reason}{where}")


class OutOfOrder(ProcedureError):
    """The step exists but is not in order at this stage of the question."""


class NotAllowed(ProcedureError):
    """The step is in order at this stage, but a rule or the rulebook forbids it here."""


class BallotError(ProcedureError):
    """A ballot that cannot be counted (duplicate, not entitled, not present)."""


class ReplayError(ProcedureError):
    """Recorded events that do not replay to the state they claim."""


class RulebookError(ValueError):
    """A rulebook file that cannot be used; the message names the file, the key and the reason."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source = source
        self.key = key
        self.reason = reason
        super().__init__(f"{source}: {key}: {reason}" if key else f"{source}: {reason}")
