"""`consensio vote tally FILE.csv`: count a recorded vote under a rulebook and say whether it carries.

The CSV has one row per member: a name or ISO 3166 alpha-3 code, then Y, N, A, or an empty
cell for a member present but not voting; a header row is optional. Members not listed are
taken as absent. Names resolve through the roster (aliases such as "Turkey" or "Czech
Republic"); an unknown name, or a member listed twice, stops the count with exit status 2.
The counting rules are those of ``consensio.engine.procedure.tally`` (rules 124-126, 133).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from consensio.cli import CommandError
from consensio.engine.procedure.errors import BallotError, NotAllowed, RulebookError
from consensio.engine.procedure.question import DEFAULT_QUESTION_TYPE, Kind
from consensio.engine.procedure.rulebook import QUESTION_TYPES, Rulebook, available_rulebooks, load_rulebook
from consensio.engine.procedure.tally import (
    Ballot,
    Electorate,
    Result,
    Vote,
    check_ballot,
    count_ballots,
    decide,
)

_HEADER_WORDS = {"member", "members", "name", "state", "country", "delegation", "iso3", "code"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    vote = sub.add_parser("vote", help="voting tools")
    vote_sub = vote.add_subparsers(dest="vote_command", metavar="SUBCOMMAND")
    vote_sub.required = True
    tally = vote_sub.add_parser(
        "tally",
        help="count a recorded vote from a CSV file (member, Y/N/A/empty) under a rulebook",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    tally.add_argument(
        "file", type=Path, metavar="FILE.csv", help="one row per member: name or ISO3, then Y, N, A or empty"
    )
    tally.add_argument(
        "--rulebook",
        required=True,
        help=f"a shipped rulebook ({', '.join(available_rulebooks())}) or the path of a .toml rulebook",
    )
    tally.add_argument(
        "--question-type",
        required=True,
        help=f"{', '.join(QUESTION_TYPES)}, or a kind of question ({', '.join(k.value for k in Kind)})",
    )
    tally.add_argument("--json", action="store_true", help="print the result as JSON")
    tally.set_defaults(func=run_tally)


def _question_type(text: str) -> str:
    if text in QUESTION_TYPES:
        return text
    try:
        return DEFAULT_QUESTION_TYPE[Kind(text)]
    except ValueError:
        kinds = ", ".join(k.value for k in Kind)
        raise CommandError(
            f"--question-type {text!r}: expected one of {', '.join(QUESTION_TYPES)} or a kind ({kinds})"
        ) from None


def _electorate(rulebook: Rulebook) -> tuple[Electorate, dict[str, str]]:
    from consensio.engine.roster import load_roster

    roster = load_roster()
    members = frozenset(a.key for a in roster.members)
    observers = {a.key for a in roster.observers}
    reio: dict[str, frozenset[str]] = {}
    if rulebook.reio != "none":
        eu_states = frozenset(a.key for a in roster.members if a.eu_member)
        if "EU" in observers:
            observers.discard("EU")
            reio["EU"] = eu_states
    names = {a.key: a.name for a in roster.actors}
    return Electorate(members, frozenset(observers), reio), names


def _resolve(cell: str) -> str:
    """The roster key for a cell: an ISO3 code as written, else a name (raises UnresolvedName)."""
    from consensio.engine.roster import load_roster

    roster = load_roster()
    text = cell.strip()
    if len(text) == 3 and text.isalpha() and text.isupper():
        try:
            return roster.get(text).key
        except KeyError:
            pass
    return roster.resolve(text).key


def read_ballots(path: Path) -> tuple[list[Ballot], list[int]]:
    """Ballots from the CSV with the row number of each; raise CommandError naming the row."""
    from consensio.engine.roster import UnresolvedName

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise CommandError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text") from None
    ballots: list[Ballot] = []
    row_numbers: list[int] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        while cells and not cells[-1] and len(cells) > 2:
            cells.pop()
        if not any(cells):
            continue
        if len(cells) > 2:
            raise CommandError(f"{path}: row {number}: expected 2 columns (member, vote), found {len(cells)}")
        name, vote_cell = cells[0], cells[1] if len(cells) > 1 else ""
        if number == 1 and name.lower() in _HEADER_WORDS:
            continue
        try:
            vote = Vote.parse(vote_cell)
        except ValueError as exc:
            raise CommandError(f"{path}: row {number} ({name}): {exc}") from None
        try:
            key = _resolve(name)
        except UnresolvedName as exc:
            raise CommandError(f"{path}: row {number}: {exc}") from None
        if key in first_row:
            raise CommandError(
                f"{path}: rows {first_row[key]} and {number} are both the vote of {key} "
                f"({rows[first_row[key] - 1][0].strip()!r} and {name!r}); a member votes once"
            )
        first_row[key] = number
        ballots.append(Ballot(key, vote))
        row_numbers.append(number)
    if not ballots:
        raise CommandError(
            f"{path}: no votes found (one row per member: name or ISO3, then Y, N, A or empty)"
        )
    return ballots, row_numbers


def tally_file(path: Path, rulebook_name: str, question_type: str) -> tuple[Result, Rulebook]:
    try:
        rulebook = load_rulebook(rulebook_name)
    except RulebookError as exc:
        raise CommandError(f"--rulebook: {exc}") from None
    qtype = _question_type(question_type)
    ballots, rows = read_ballots(path)
    electorate, _ = _electorate(rulebook)
    present = [b.member for b in ballots if b.member in electorate.members]
    seen: dict[str, Vote] = {}
    for ballot, row in zip(ballots, rows, strict=True):
        try:
            check_ballot(ballot, seen, electorate, rulebook, frozenset(present))
        except BallotError as exc:
            raise CommandError(f"{path}: row {row}: {exc.reason}") from None
        seen[ballot.member] = ballot.vote
    tally = count_ballots(ballots, electorate, rulebook, present)
    try:
        return decide(tally, rulebook, qtype), rulebook
    except NotAllowed as exc:
        raise CommandError(f"--question-type {question_type}: {exc.reason}") from None


def run_tally(args: argparse.Namespace) -> int:
    result, rulebook = tally_file(args.file, args.rulebook, args.question_type)
    t = result.tally
    if args.json:
        out = {"rulebook": rulebook.name, **result.to_dict(), "summary": result.summary()}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return 0
    verdict = (
        "ADOPTED" if result.adopted else ("NO DECISION (no quorum)" if not result.quorum_met else "REJECTED")
    )
    lines = [
        f"Rulebook            {rulebook.name} ({rulebook.title})",
        f"Question type       {result.question_type}",
        f"Yes                 {t.yes}",
        f"No                  {t.no}",
        f"Abstain             {t.abstain}",
        f"Not voting          {t.not_voting}",
        f"Present and voting  {t.present_and_voting}",
        f"Majority required   {result.majority.describe()}: {result.required} in favour",
        f"Quorum              {'met' if result.quorum_met else 'not met'} "
        f"({t.present} present, {result.quorum_required} required)",
        f"Result              {verdict}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
