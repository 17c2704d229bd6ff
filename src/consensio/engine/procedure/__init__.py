"""The procedure engine: rulebooks, questions, tallies and the order of voting.

Pure Python (no Django). See each module for the rule it implements:
``rulebook`` (the rules as data), ``question`` (the lifecycle of a question, consensus,
objection, vote, silence procedure), ``tally`` (counting and majorities), ``order``
(roll-call, amendments, division, procedural motions).
"""

from __future__ import annotations

from consensio.engine.procedure.errors import (
    BallotError,
    NotAllowed,
    OutOfOrder,
    ProcedureError,
    ReplayError,
    RulebookError,
)
from consensio.engine.procedure.order import (
    Amendment,
    DivisionOutcome,
    Motion,
    Part,
    amendment_voting_order,
    division_outcome,
    lapsed_amendments,
    next_amendment,
    order_motions,
    roll_call_order,
)
from consensio.engine.procedure.question import (
    TRANSITIONS,
    Decision,
    Event,
    Kind,
    Question,
    State,
    Transition,
    replay,
)
from consensio.engine.procedure.rulebook import (
    QUESTION_TYPES,
    Fraction,
    Majority,
    Rulebook,
    available_rulebooks,
    load_rulebook,
    parse_rulebook,
)
from consensio.engine.procedure.tally import (
    Ballot,
    Electorate,
    Result,
    Tally,
    Vote,
    count_ballots,
    count_hands,
    decide,
)

__all__ = [
    "QUESTION_TYPES",
    "TRANSITIONS",
    "Amendment",
    "Ballot",
    "BallotError",
    "Decision",
    "DivisionOutcome",
    "Electorate",
    "Event",
    "Fraction",
    "Kind",
    "Majority",
    "Motion",
    "NotAllowed",
    "OutOfOrder",
    "Part",
    "ProcedureError",
    "Question",
    "ReplayError",
    "Result",
    "Rulebook",
    "RulebookError",
    "State",
    "Tally",
    "Transition",
    "Vote",
    "amendment_voting_order",
    "available_rulebooks",
    "count_ballots",
    "count_hands",
    "decide",
    "division_outcome",
    "lapsed_amendments",
    "load_rulebook",
    "next_amendment",
    "order_motions",
    "parse_rulebook",
    "replay",
    "roll_call_order",
]
