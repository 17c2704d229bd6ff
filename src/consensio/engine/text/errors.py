"""Typed errors of the negotiating-text engine; each names the provision, span or rule at fault."""

from __future__ import annotations


class TextError(Exception):
    """Base class: anything the text engine refuses."""


class UnknownProvisionError(TextError, KeyError):
    def __init__(self, eid: str) -> None:
        super().__init__(f"no provision {eid!r} in this instrument")
        self.eid = eid

    def __str__(self) -> str:
        return str(self.args[0])


class StructureError(TextError):
    """A provision placed where treaty structure does not allow it (a chapter inside an article)."""


class SpanError(TextError):
    """A proposal's span or anchor is not (or not uniquely) in the provision's current text."""

    def __init__(self, eid: str, span: str, problem: str) -> None:
        super().__init__(f"{eid}: {problem}: {span!r}")
        self.eid = eid
        self.span = span
        self.problem = problem


class ProvisionClosedError(TextError):
    """The provision's status does not admit proposals (adopted, deleted, agreed ad referendum)."""

    def __init__(self, eid: str, status: str) -> None:
        super().__init__(f"{eid} is {status} and takes no proposals unless reopened by a decision")
        self.eid = eid
        self.status = status


class ConflictError(TextError):
    """Optimistic concurrency: the change quoted a version that is no longer current."""

    def __init__(self, what: str, expected: int, actual: int) -> None:
        super().__init__(f"{what} changed meanwhile: you had version {expected}, it is now at {actual}")
        self.what = what
        self.expected = expected
        self.actual = actual


class SponsorsFrozenError(TextError):
    """Sponsors may not join or withdraw once the provision is adopted."""

    def __init__(self, proposal_id: str, eid: str) -> None:
        super().__init__(f"proposal {proposal_id}: {eid} is adopted, its sponsor list is frozen")
        self.proposal_id = proposal_id
        self.eid = eid


class SponsorshipError(TextError):
    """Joining twice, withdrawing without having joined, the sponsor joining its own proposal."""


class ProposalStateError(TextError):
    """A change to a proposal that its status no longer allows (e.g. joining a withdrawn one)."""


class TransitionError(TextError):
    """A status change the transition table does not allow; names the rule, state and trigger."""

    def __init__(self, eid: str, state: str, trigger: str, rule: str) -> None:
        super().__init__(f"{eid}: cannot {trigger} a provision that is {state}: {rule}")
        self.eid = eid
        self.state = state
        self.trigger = trigger
        self.rule = rule


class NotationError(TextError):
    """The bracket notation could not be read; `errors` lists (line, column, message), 1-based."""

    def __init__(self, errors: list[tuple[int, int, str]]) -> None:
        self.errors = errors
        first = "; ".join(f"{ln}:{col}: {msg}" for ln, col, msg in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"{first}{more}")


class ImportFormatError(TextError):
    """A file that is not what its name or content claims (a DOCX that is not a zip, bad XML)."""
