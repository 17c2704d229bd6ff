"""Rulebooks: the rules of procedure of a body, as data.

A rulebook is a TOML file (``consensio/reference/rulebooks/<name>.toml``) that says how a
body decides: quorum, consensus first or not, whether a vote may follow an objection, the
majority for each type of question, who votes, the voting methods, the precedence of
procedural motions, the kinds of question put to the vote at once (an appeal against the
chair's ruling, rule 113), time limits and the silence procedure. Facts come from the research
brief (``research/domain.md`` §2-§4): GA rules 96-133 for committees (quorum rule 108,
majority rules 125-126, method rule 127, conduct rule 128, amendments rule 130, equally
divided votes rule 133, reconsideration rule 123, precedence rule 119), GA decision 74/544
(silence, at least 72 hours), decision 34/401 (explanations of vote, ten minutes) and the
standard REIO voting clause (domain.md §5.8). Many of these are marked [P] or [U] in the
brief, and the decision rule of A/RES/75/282 could not be verified at all (§3.3), so every
setting carries ``verified`` and ``source`` and none is hard-coded in the engine.

Each setting is an inline table: ``key = { value = ..., verified = true|false, source = "..." }``
(a majority also has ``basis``). The fraction notation for quorums:

- ``"p/q"``  at least p/q of the members: ``count * q >= p * members``;
  ``"1/4"`` of 193 is 49.
- ``"p/q+"`` more than p/q of the members: ``count * q > p * members``;
  ``"1/2+"`` (a majority of the members) of 193 is 97.
- ``"0/1"`` no quorum (the requirement is waived).

A majority has ``value`` ``"simple"`` (more yes than no; a tie rejects, rule 133) or
``"two_thirds"`` (``3 * yes >= 2 * (yes + no)``), and ``basis`` ``"present_and_voting"``
(yes + no; abstentions are not counted, rule 126) or ``"members"`` (all members of the body).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from consensio.engine.procedure.errors import RulebookError

#: Types of question for which a rulebook states the majority required.
QUESTION_TYPES = ("procedural", "substantive", "important", "reconsideration", "amendment")
#: Procedural motions the engine knows (rule 119 orders the first four).
MOTIONS = (
    "suspend_meeting",
    "adjourn_meeting",
    "adjourn_debate",
    "close_debate",
    "competence",
    "division",
    "reconsideration",
)
#: Kinds of question (``question.Kind`` lists the same values; a test keeps the two in step).
QUESTION_KINDS = (
    "provision",
    "article",
    "chapter",
    "instrument",
    "report",
    "motion",
    "amendment",
    "reconsideration",
    "appeal",
)
VOTING_METHODS = ("show_of_hands", "recorded", "roll_call")
ROLL_CALL_ORDERS = ("english_alphabetical_from_lot",)
TIE_RULES = ("rejected",)
#: How a regional economic integration organization (REIO) votes for its member States:
#: never; for each of its member States present that does not vote itself; or only when
#: none of its member States votes (the treaty formula "and vice versa", domain.md §5.8).
REIO_RULES = ("none", "per_state", "all_or_none")
MAJORITY_KINDS = ("simple", "two_thirds")
BASES = ("present_and_voting", "members")

#: Citations used in rulings unless the rulebook gives its own (GA committee numbering, domain.md §2.2).
DEFAULT_CITATIONS: Mapping[str, str] = {
    "functions_of_chair": "Rules 106-107",
    "quorum": "Rule 108",
    "points_of_order": "Rule 113",
    "precedence_of_motions": "Rule 119",
    "reconsideration": "Rule 123",
    "voting_rights": "Rule 124",
    "majority": "Rule 125",
    "present_and_voting": "Rule 126",
    "method_of_voting": "Rule 127",
    "conduct_during_voting": "Rule 128",
    "division": "Rule 129",
    "amendments": "Rule 130",
    "equally_divided": "Rule 133",
    "consensus": "Consensus practice (domain.md §4.1)",
    "explanations": "Decision 34/401 (Annex V)",
    "silence": "Decision 74/544",
}


@dataclass(frozen=True, slots=True)
class Fraction:
    """A share of the membership: at least ``num/den``, or more than it when ``strict``."""

    num: int
    den: int
    strict: bool = False

    @classmethod
    def parse(cls, text: str) -> Fraction:
        """Parse ``"1/4"`` or ``"1/2+"``; raise ValueError with the reason."""
        raw = text.strip()
        strict = raw.endswith("+")
        body = raw[:-1] if strict else raw
        num_s, sep, den_s = body.partition("/")
        if not sep or not num_s.strip().isdigit() or not den_s.strip().isdigit():
            raise ValueError(f"{text!r} is not a fraction; write 'p/q' (at least) or 'p/q+' (more than)")
        num, den = int(num_s), int(den_s)
        if den == 0 or num > den or (strict and num == den):
            raise ValueError(f"{text!r}: fraction out of range (need 0 <= p <= q, q > 0, and p < q with '+')")
        return cls(num, den, strict)

    def met(self, count: int, total: int) -> bool:
        if self.strict:
            return count * self.den > self.num * total
        return count * self.den >= self.num * total

    def minimum(self, total: int) -> int:
        """The smallest count that meets the fraction of ``total``."""
        floor, rem = divmod(self.num * total, self.den)
        if self.strict:
            return floor + 1
        return floor + (1 if rem else 0)

    def __str__(self) -> str:
        return f"{self.num}/{self.den}{'+' if self.strict else ''}"


@dataclass(frozen=True, slots=True)
class Majority:
    """The majority a question needs: simple or two-thirds, of those present and voting or of all members."""

    kind: str = "simple"
    basis: str = "present_and_voting"

    def base(self, yes: int, no: int, membership: int) -> int:
        return yes + no if self.basis == "present_and_voting" else membership

    def required(self, yes: int, no: int, membership: int) -> int:
        """The fewest yes votes that carry the question, given the base."""
        base = self.base(yes, no, membership)
        if self.kind == "two_thirds":
            return -(-2 * base // 3)
        return base // 2 + 1

    def met(self, yes: int, no: int, membership: int) -> bool:
        if self.kind == "two_thirds":
            if self.basis == "present_and_voting":
                return yes > 0 and 3 * yes >= 2 * (yes + no)
            return 3 * yes >= 2 * membership
        if self.basis == "present_and_voting":
            return yes > no  # a tie rejects (rule 133)
        return 2 * yes > membership

    def describe(self) -> str:
        share = "two-thirds majority" if self.kind == "two_thirds" else "simple majority"
        base = "of the members present and voting" if self.basis == "present_and_voting" else "of all members"
        return f"{share} {base}"


@dataclass(frozen=True, slots=True)
class Provenance:
    verified: bool
    source: str


@dataclass(frozen=True)
class Rulebook:
    name: str
    title: str
    source: str
    quorum_open: Fraction
    quorum_decision: Fraction
    seek_consensus_first: bool
    vote_after_objection: bool
    chair_records_exhausted: bool
    majorities: Mapping[str, Majority]
    tie: str
    voting_methods: frozenset[str]
    roll_call_order: str
    board_shows_voters: bool
    reio: str
    motion_precedence: tuple[str, ...]
    explanation_of_vote_minutes: int
    explanation_of_position_minutes: int
    silence_minimum_hours: int
    #: Kinds of question put to the vote at once once the chair puts them: no consensus phase,
    #: no objection, no record that efforts at consensus are exhausted (e.g. an appeal against
    #: the chair's ruling, rule 113: "The appeal shall be immediately put to the vote").
    immediate_vote_kinds: frozenset[str] = frozenset()
    citations: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CITATIONS))
    provenance: Mapping[str, Provenance] = field(default_factory=dict)

    def majority_for(self, question_type: str) -> Majority:
        if question_type not in QUESTION_TYPES:
            raise KeyError(f"unknown question type {question_type!r} (known: {', '.join(QUESTION_TYPES)})")
        try:
            return self.majorities[question_type]
        except KeyError:
            raise KeyError(f"rulebook {self.name} states no majority for {question_type} questions") from None

    def cite(self, topic: str) -> str:
        return self.citations.get(topic) or DEFAULT_CITATIONS.get(topic, "Rules of procedure")

    def unverified(self) -> list[str]:
        """The settings whose source the rulebook marks as not verified."""
        return sorted(key for key, prov in self.provenance.items() if not prov.verified)


# --- loading ---------------------------------------------------------------------------

_FIELDS: dict[str, dict[str, str]] = {
    "quorum": {"open_meeting": "fraction", "decision": "fraction"},
    "consensus": {"seek_first": "bool", "vote_after_objection": "bool", "chair_records_exhausted": "bool"},
    "majority": {t: "majority" for t in QUESTION_TYPES},
    "voting": {
        "tie": "tie",
        "methods": "methods",
        "roll_call_order": "roll_call_order",
        "board_shows_voters": "bool",
        "reio": "reio",
        "immediate_vote_kinds": "kinds",
    },
    "motions": {"precedence": "motions"},
    "time_limits": {"explanation_of_vote_minutes": "count", "explanation_of_position_minutes": "count"},
    "silence": {"minimum_hours": "count"},
}
_OPTIONAL = {f"majority.{t}" for t in QUESTION_TYPES}
_TOP = {"name", "title", "source", "citations", *_FIELDS}


def _rulebook_dir() -> Path:
    return Path(str(resources.files("consensio") / "reference" / "rulebooks"))


def available_rulebooks() -> list[str]:
    """Names of the rulebooks shipped with Consensio."""
    return sorted(p.stem for p in _rulebook_dir().glob("*.toml"))


def _one_of(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{value!r} is not a known {what} (known: {', '.join(allowed)})")
    return value


def _convert(kind: str, value: Any, entry: Mapping[str, Any]) -> Any:
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {type(value).__name__} {value!r}")
        return value
    if kind == "count":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"expected a whole number >= 0, got {value!r}")
        return value
    if kind == "fraction":
        if not isinstance(value, str):
            raise ValueError(f'expected a fraction in quotes such as "1/4" or "1/2+", got {value!r}')
        return Fraction.parse(value)
    if kind == "majority":
        basis = entry.get("basis", "present_and_voting")
        return Majority(_one_of(value, MAJORITY_KINDS, "majority"), _one_of(basis, BASES, "basis"))
    if kind == "tie":
        return _one_of(value, TIE_RULES, "tie rule")
    if kind == "reio":
        return _one_of(value, REIO_RULES, "REIO voting rule")
    if kind == "roll_call_order":
        return _one_of(value, ROLL_CALL_ORDERS, "roll-call order")
    if kind in ("methods", "motions", "kinds"):
        allowed, what = {
            "methods": (VOTING_METHODS, "voting method"),
            "motions": (MOTIONS, "motion"),
            "kinds": (QUESTION_KINDS, "kind of question"),
        }[kind]
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        items = [_one_of(v, allowed, what) for v in value]
        if len(set(items)) != len(items):
            raise ValueError("an item is listed twice")
        return tuple(items) if kind == "motions" else frozenset(items)
    raise AssertionError(kind)  # pragma: no cover - _FIELDS names only the kinds above


def parse_rulebook(data: Mapping[str, Any], source: str) -> Rulebook:
    """Build a Rulebook from parsed TOML; ``source`` names the file in errors."""
    for key in data:
        if key not in _TOP:
            raise RulebookError(source, key, f"unknown key (known: {', '.join(sorted(_TOP))})")
    for key in ("name", "title", "source"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise RulebookError(source, key, "required text is missing")
    values: dict[str, Any] = {}
    provenance: dict[str, Provenance] = {}
    for section, fields in _FIELDS.items():
        table = data.get(section)
        if table is None:
            table = {}
        if not isinstance(table, dict):
            raise RulebookError(source, section, "expected a table")
        for key in table:
            if key not in fields:
                what = "question type" if section == "majority" else "key"
                raise RulebookError(
                    source, f"{section}.{key}", f"unknown {what} (known: {', '.join(fields)})"
                )
        for key, kind in fields.items():
            dotted = f"{section}.{key}"
            entry = table.get(key)
            if entry is None:
                if dotted in _OPTIONAL:
                    continue
                raise RulebookError(source, dotted, "required setting is missing")
            if not isinstance(entry, dict):
                raise RulebookError(
                    source, dotted, '{ value = ..., verified = true|false, source = "..." } expected'
                )
            extra = set(entry) - {"value", "verified", "source", "basis"}
            if extra or ("basis" in entry and kind != "majority"):
                bad = sorted(extra) or ["basis"]
                raise RulebookError(
                    source, f"{dotted}.{bad[0]}", "unknown key (known: value, verified, source)"
                )
            for part in ("value", "verified", "source"):
                if part not in entry:
                    raise RulebookError(source, f"{dotted}.{part}", "required key is missing")
            if not isinstance(entry["verified"], bool):
                raise RulebookError(source, f"{dotted}.verified", "expected true or false")
            if not isinstance(entry["source"], str) or not entry["source"].strip():
                raise RulebookError(source, f"{dotted}.source", "expected the text of a source")
            if kind == "majority" and entry.get("basis", "present_and_voting") not in BASES:
                raise RulebookError(
                    source,
                    f"{dotted}.basis",
                    f"{entry['basis']!r} is not a known basis (known: {', '.join(BASES)})",
                )
            try:
                values[dotted] = _convert(kind, entry["value"], entry)
            except ValueError as exc:
                raise RulebookError(source, f"{dotted}.value", str(exc)) from None
            provenance[dotted] = Provenance(entry["verified"], entry["source"])
    citations = data.get("citations", {})
    if not isinstance(citations, dict) or not all(isinstance(v, str) for v in citations.values()):
        raise RulebookError(source, "citations", 'expected a table of topic = "Rule n" strings')
    for topic in citations:
        if topic not in DEFAULT_CITATIONS:
            raise RulebookError(
                source, f"citations.{topic}", f"unknown topic (known: {', '.join(DEFAULT_CITATIONS)})"
            )
    majorities = {t: values[f"majority.{t}"] for t in QUESTION_TYPES if f"majority.{t}" in values}
    if values["consensus.vote_after_objection"]:
        for needed in ("procedural", "substantive"):
            if needed not in majorities:
                raise RulebookError(
                    source, f"majority.{needed}", "required when consensus.vote_after_objection is true"
                )
    if not values["consensus.seek_first"] and not values["consensus.vote_after_objection"]:
        raise RulebookError(
            source,
            "consensus.vote_after_objection",
            "a body that neither seeks consensus nor votes cannot decide",
        )
    if values["voting.immediate_vote_kinds"] and not values["voting.methods"]:
        raise RulebookError(
            source,
            "voting.immediate_vote_kinds.value",
            "a body with no voting method cannot put a question to the vote at once (leave the list empty)",
        )
    # Rule 113: the ruling stands unless overruled by a majority of the representatives present
    # and voting. An appeal is a procedural question, so that row must say exactly that.
    if "appeal" in values["voting.immediate_vote_kinds"] and majorities.get("procedural") != Majority(
        "simple", "present_and_voting"
    ):
        raise RulebookError(
            source,
            "majority.procedural",
            "an appeal against the chair's ruling (voting.immediate_vote_kinds) is decided by a simple "
            "majority of the members present and voting (rule 113): set procedural to "
            '{ value = "simple", basis = "present_and_voting" }',
        )
    return Rulebook(
        name=data["name"],
        title=data["title"],
        source=data["source"],
        quorum_open=values["quorum.open_meeting"],
        quorum_decision=values["quorum.decision"],
        seek_consensus_first=values["consensus.seek_first"],
        vote_after_objection=values["consensus.vote_after_objection"],
        chair_records_exhausted=values["consensus.chair_records_exhausted"],
        majorities=majorities,
        tie=values["voting.tie"],
        voting_methods=values["voting.methods"],
        roll_call_order=values["voting.roll_call_order"],
        board_shows_voters=values["voting.board_shows_voters"],
        reio=values["voting.reio"],
        motion_precedence=values["motions.precedence"],
        explanation_of_vote_minutes=values["time_limits.explanation_of_vote_minutes"],
        explanation_of_position_minutes=values["time_limits.explanation_of_position_minutes"],
        silence_minimum_hours=values["silence.minimum_hours"],
        immediate_vote_kinds=values["voting.immediate_vote_kinds"],
        citations={**DEFAULT_CITATIONS, **citations},
        provenance=provenance,
    )


def load_rulebook(name_or_path: str | Path) -> Rulebook:
    """Load a shipped rulebook by name (``"unga-committee"``) or any rulebook file by path."""
    text = str(name_or_path)
    path = Path(text)
    if not (text.endswith(".toml") or path.is_file()):
        path = _rulebook_dir() / f"{text}.toml"
        if not path.is_file():
            raise RulebookError(
                text,
                "",
                f"no such rulebook (available: {', '.join(available_rulebooks())}, or a path to a .toml file)",
            )
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise RulebookError(str(path), "", f"cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(str(path), "", f"not valid TOML ({exc})") from None
    rulebook = parse_rulebook(data, str(path))
    return rulebook
