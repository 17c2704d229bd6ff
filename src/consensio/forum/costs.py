"""What a session would cost at each venue, line by line, with every figure's source.

The estimate for a session of `days` days, `delegations` funded delegations (one funded
delegate each) and `pages` pages of documentation is the sum of:

    conference services     days × cost per day
    interpretation          days × cost per day (six languages)
    documentation           pages × cost per page
    subsistence             days × delegations × daily subsistence allowance
    travel                  delegations × average travel cost

A venue missing a figure is shown with the gap named, and ranked after the complete ones:
a claim such as "Vienna is the most resource-efficient venue" is then checked against
the figures and their sources, not asserted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from consensio.forum.models import FigureKind, Venue, VenueFigure

MAX_DAYS = 60
MAX_DELEGATIONS = 200
MAX_PAGES = 100_000


@dataclass(frozen=True)
class Line:
    kind: str
    label: str
    quantity: int
    unit: Decimal
    subtotal: Decimal
    source: str
    as_of: str
    illustrative: bool


@dataclass
class Estimate:
    venue: Venue
    lines: list[Line] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.subtotal for line in self.lines), Decimal(0))

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def illustrative(self) -> bool:
        return any(line.illustrative for line in self.lines)


def check_inputs(days: int, delegations: int, pages: int) -> list[str]:
    errors = []
    if not 1 <= days <= MAX_DAYS:
        errors.append(f"Days: give a number from 1 to {MAX_DAYS}; got {days}.")
    if not 0 <= delegations <= MAX_DELEGATIONS:
        errors.append(f"Funded delegations: give a number from 0 to {MAX_DELEGATIONS}; got {delegations}.")
    if not 0 <= pages <= MAX_PAGES:
        errors.append(f"Pages: give a number from 0 to {MAX_PAGES}; got {pages}.")
    return errors


def quantities(days: int, delegations: int, pages: int) -> dict[str, int]:
    return {
        FigureKind.CONFERENCE: days,
        FigureKind.INTERPRETATION: days,
        FigureKind.DOCUMENTATION: pages,
        FigureKind.SUBSISTENCE: days * delegations,
        FigureKind.TRAVEL: delegations,
    }


def compare(venues: list[Venue], days: int, delegations: int, pages: int) -> list[Estimate]:
    """Estimates for each venue (whose `figures` are prefetched), cheapest complete one first."""
    amounts = quantities(days, delegations, pages)
    estimates = []
    for venue in venues:
        figures: dict[str, VenueFigure] = {f.kind: f for f in venue.figures.all()}
        estimate = Estimate(venue)
        for kind in FigureKind:
            figure = figures.get(kind.value)
            if figure is None:
                estimate.missing.append(str(kind.label))
                continue
            estimate.lines.append(Line(
                kind=kind.value, label=str(kind.label), quantity=amounts[kind], unit=figure.amount,
                subtotal=figure.amount * amounts[kind], source=figure.source, as_of=figure.as_of.isoformat(),
                illustrative=figure.illustrative,
            ))
        estimates.append(estimate)
    estimates.sort(key=lambda e: (not e.complete, e.total, e.venue.city))
    return estimates
