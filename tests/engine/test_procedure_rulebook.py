"""Rulebooks as data: the shipped ones load, and a malformed one is refused naming file, key and reason."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from consensio.engine.procedure import (
    Fraction,
    RulebookError,
    available_rulebooks,
    load_rulebook,
    parse_rulebook,
)


def test_shipped_rulebooks() -> None:
    assert available_rulebooks() == ["ahc-74-247", "consensus-only", "cop-reio", "unga-committee"]
    for name in available_rulebooks():
        rulebook = load_rulebook(name)
        assert rulebook.name == name
        assert rulebook.silence_minimum_hours == 72


def test_ahc_fallback_is_marked_unverified() -> None:
    ahc = load_rulebook("ahc-74-247")
    assert ahc.seek_consensus_first and ahc.vote_after_objection and ahc.chair_records_exhausted
    assert (
        ahc.majority_for("substantive").describe() == "two-thirds majority of the members present and voting"
    )
    assert ahc.majority_for("procedural").kind == "simple"
    for key in (
        "consensus.vote_after_objection",
        "consensus.chair_records_exhausted",
        "majority.substantive",
    ):
        assert key in ahc.unverified()
    assert ahc.provenance["consensus.seek_first"].verified


def test_other_rulebooks() -> None:
    assert load_rulebook("cop-reio").reio == "per_state"
    only = load_rulebook("consensus-only")
    assert not only.vote_after_objection and not only.voting_methods
    committee = load_rulebook("unga-committee")
    assert committee.quorum_open.minimum(193) == 49 and committee.quorum_decision.minimum(193) == 97
    assert committee.majority_for("reconsideration").kind == "two_thirds"
    assert committee.motion_precedence[:2] == ("suspend_meeting", "adjourn_meeting")
    assert committee.cite("conduct_during_voting") == "Rule 128"
    with pytest.raises(KeyError, match="unknown question type"):
        committee.majority_for("budget")


def test_load_by_path_and_unknown_name(tmp_path: Path) -> None:
    source = resources.files("consensio") / "reference" / "rulebooks" / "unga-committee.toml"
    copy_path = tmp_path / "my-body.toml"
    copy_path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_rulebook(copy_path).name == "unga-committee"
    with pytest.raises(RulebookError, match="no-such-body: no such rulebook \\(available: ahc-74-247"):
        load_rulebook("no-such-body")
    broken = tmp_path / "broken.toml"
    broken.write_text("name = \n", encoding="utf-8")
    with pytest.raises(RulebookError, match="broken.toml: not valid TOML"):
        load_rulebook(broken)
    with pytest.raises(RulebookError, match="missing.toml: cannot read"):
        load_rulebook(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "num", "den", "strict", "of_193"),
    [
        ("1/4", 1, 4, False, 49),
        ("1/3", 1, 3, False, 65),
        ("1/2+", 1, 2, True, 97),
        ("2/3", 2, 3, False, 129),
        ("0/1", 0, 1, False, 0),
    ],
)
def test_fraction_notation(text: str, num: int, den: int, strict: bool, of_193: int) -> None:
    fraction = Fraction.parse(text)
    assert (fraction.num, fraction.den, fraction.strict, str(fraction)) == (num, den, strict, text)
    assert fraction.minimum(193) == of_193
    assert fraction.met(of_193, 193) and (of_193 == 0 or not fraction.met(of_193 - 1, 193))


@pytest.mark.parametrize("text", ["1/0", "5/4", "1/1+", "half", "1/", "-1/2"])
def test_bad_fractions(text: str) -> None:
    with pytest.raises(ValueError):
        Fraction.parse(text)


def base() -> dict[str, Any]:
    path = resources.files("consensio") / "reference" / "rulebooks" / "unga-committee.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def setting(data: dict[str, Any], dotted: str) -> dict[str, Any]:
    section, key = dotted.split(".")
    entry: dict[str, Any] = data[section][key]
    return entry


def _set(dotted: str, part: str, value: Any) -> Any:
    def mutate(d: dict[str, Any]) -> None:
        setting(d, dotted)[part] = value

    return mutate


def _drop(dotted: str) -> Any:
    def mutate(d: dict[str, Any]) -> None:
        section, key = dotted.split(".") if "." in dotted else (dotted, None)
        if key is None:
            del d[section]
        else:
            del d[section][key]

    return mutate


def _add(section: str, key: str, value: Any) -> Any:
    def mutate(d: dict[str, Any]) -> None:
        if section:
            d.setdefault(section, {})[key] = value
        else:
            d[key] = value

    return mutate


ENTRY = {"value": "simple", "verified": False, "source": "x"}

# (what is wrong, mutation, key named in the error, words of the reason)
MALFORMED = [
    ("unknown top-level key", _add("", "quorums", {}), "quorums", "unknown key"),
    (
        "unknown key in a section",
        _add("voting", "secret_ballot", dict(ENTRY)),
        "voting.secret_ballot",
        "unknown key",
    ),
    (
        "unknown question type",
        _add("majority", "budgetary", dict(ENTRY)),
        "majority.budgetary",
        "unknown question type",
    ),
    ("missing setting", _drop("quorum.decision"), "quorum.decision", "required setting is missing"),
    ("missing section", _drop("silence"), "silence.minimum_hours", "required setting is missing"),
    ("missing name", _drop("name"), "name", "required text is missing"),
    (
        "bare value without provenance",
        _add("silence", "minimum_hours", 72),
        "silence.minimum_hours",
        "{ value = ...",
    ),
    (
        "no verified flag",
        lambda d: setting(d, "silence.minimum_hours").pop("verified"),
        "silence.minimum_hours.verified",
        "required key is missing",
    ),
    (
        "verified not a boolean",
        _set("silence.minimum_hours", "verified", "yes"),
        "silence.minimum_hours.verified",
        "true or false",
    ),
    (
        "empty source",
        _set("silence.minimum_hours", "source", " "),
        "silence.minimum_hours.source",
        "expected the text of a source",
    ),
    (
        "extra key in a setting",
        _set("silence.minimum_hours", "note", "x"),
        "silence.minimum_hours.note",
        "unknown key",
    ),
    (
        "basis on a non-majority",
        _set("silence.minimum_hours", "basis", "members"),
        "silence.minimum_hours.basis",
        "unknown key",
    ),
    (
        "wrong type: hours as text",
        _set("silence.minimum_hours", "value", "72"),
        "silence.minimum_hours.value",
        "whole number",
    ),
    (
        "wrong type: negative minutes",
        _set("time_limits.explanation_of_vote_minutes", "value", -1),
        "time_limits.explanation_of_vote_minutes.value",
        "whole number",
    ),
    (
        "wrong type: boolean as text",
        _set("consensus.seek_first", "value", "true"),
        "consensus.seek_first.value",
        "true or false",
    ),
    (
        "fraction out of range",
        _set("quorum.decision", "value", "3/2"),
        "quorum.decision.value",
        "fraction out of range",
    ),
    (
        "fraction not quoted",
        _set("quorum.decision", "value", 0.5),
        "quorum.decision.value",
        "fraction in quotes",
    ),
    (
        "fraction malformed",
        _set("quorum.open_meeting", "value", "one quarter"),
        "quorum.open_meeting.value",
        "not a fraction",
    ),
    (
        "unknown majority",
        _set("majority.substantive", "value", "three_quarters"),
        "majority.substantive.value",
        "not a known majority",
    ),
    (
        "unknown basis",
        _set("majority.substantive", "basis", "everyone"),
        "majority.substantive.basis",
        "not a known basis",
    ),
    (
        "unknown voting method",
        _set("voting.methods", "value", ["secret"]),
        "voting.methods.value",
        "not a known voting method",
    ),
    (
        "methods not a list",
        _set("voting.methods", "value", "recorded"),
        "voting.methods.value",
        "expected a list",
    ),
    (
        "motion listed twice",
        _set("motions.precedence", "value", ["close_debate", "close_debate"]),
        "motions.precedence.value",
        "listed twice",
    ),
    (
        "unknown REIO rule",
        _set("voting.reio", "value", "sometimes"),
        "voting.reio.value",
        "not a known REIO voting rule",
    ),
    ("unknown tie rule", _set("voting.tie", "value", "coin"), "voting.tie.value", "not a known tie rule"),
    (
        "voting without a substantive majority",
        _drop("majority.substantive"),
        "majority.substantive",
        "required when consensus.vote_after_objection",
    ),
    (
        "neither consensus nor vote",
        lambda d: (
            _set("consensus.seek_first", "value", False)(d),
            _set("consensus.vote_after_objection", "value", False)(d),
        ),
        "consensus.vote_after_objection",
        "cannot decide",
    ),
    (
        "unknown citation topic",
        _add("citations", "elections", "Rule 132"),
        "citations.elections",
        "unknown topic",
    ),
    ("citation not text", _add("citations", "quorum", 108), "citations", "topic = "),
    ("section not a table", _add("", "silence", 72), "silence", "expected a table"),
    (
        "missing immediate-vote kinds",
        _drop("voting.immediate_vote_kinds"),
        "voting.immediate_vote_kinds",
        "required setting is missing",
    ),
    (
        "immediate-vote kinds not a list",
        _set("voting.immediate_vote_kinds", "value", "appeal"),
        "voting.immediate_vote_kinds.value",
        "expected a list",
    ),
    (
        "unknown kind put to the vote at once",
        _set("voting.immediate_vote_kinds", "value", ["appeals"]),
        "voting.immediate_vote_kinds.value",
        "not a known kind of question",
    ),
    (
        "kind put to the vote at once listed twice",
        _set("voting.immediate_vote_kinds", "value", ["appeal", "appeal"]),
        "voting.immediate_vote_kinds.value",
        "listed twice",
    ),
    (
        "kind put to the vote at once not text",
        _set("voting.immediate_vote_kinds", "value", [113]),
        "voting.immediate_vote_kinds.value",
        "not a known kind of question",
    ),
    (
        "immediate vote in a body that does not vote",
        _set("voting.methods", "value", []),
        "voting.immediate_vote_kinds.value",
        "no voting method",
    ),
    (
        "appeal decided by two-thirds",
        _set("majority.procedural", "value", "two_thirds"),
        "majority.procedural",
        "majority of the members present and voting (rule 113)",
    ),
    (
        "appeal decided by a majority of all members",
        _set("majority.procedural", "basis", "members"),
        "majority.procedural",
        "rule 113",
    ),
]


@pytest.mark.parametrize(("what", "mutate", "key", "reason"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_rulebook_is_refused(what: str, mutate: Any, key: str, reason: str) -> None:
    data = copy.deepcopy(base())
    mutate(data)
    with pytest.raises(RulebookError) as info:
        parse_rulebook(data, "bad-body.toml")
    assert info.value.source == "bad-body.toml"
    assert info.value.key == key, what
    assert reason in info.value.reason, what
    assert str(info.value).startswith(f"bad-body.toml: {key}: ")


def test_the_unmodified_base_parses() -> None:
    assert parse_rulebook(base(), "ok.toml").name == "unga-committee"


def test_appeals_are_put_to_the_vote_at_once_where_the_body_votes() -> None:
    from consensio.engine.procedure import NotAllowed
    from consensio.engine.procedure.question import Kind, vote_at_once_refusal
    from consensio.engine.procedure.rulebook import QUESTION_KINDS, Majority

    assert [k.value for k in Kind] == list(QUESTION_KINDS)
    for name in ("unga-committee", "ahc-74-247", "cop-reio"):
        book = load_rulebook(name)
        assert book.immediate_vote_kinds == frozenset({"appeal"}), name
        assert vote_at_once_refusal(book, Kind.APPEAL) is None, name
        # Rule 113: overruled only by a majority of the representatives present and voting.
        assert book.majority_for("procedural") == Majority("simple", "present_and_voting"), name
        # Only [P]/[U] sources for rule 113 in the brief: not marked verified.
        assert "voting.immediate_vote_kinds" in book.unverified(), name
        assert vote_at_once_refusal(book, Kind.ARTICLE) is not None, name
    only = load_rulebook("consensus-only")
    assert only.immediate_vote_kinds == frozenset()
    refusal = vote_at_once_refusal(only, "appeal")
    assert isinstance(refusal, NotAllowed)
    assert refusal.rule == "Rule 113"
    assert "no vote may be taken" in refusal.reason and "the ruling stands" in refusal.reason
    assert "mutatis mutandis" in load_rulebook("ahc-74-247").provenance["voting.immediate_vote_kinds"].source


def test_an_appeal_is_always_a_procedural_question() -> None:
    from consensio.engine.procedure import Electorate, NotAllowed, Question

    book = load_rulebook("unga-committee")
    body = Electorate(frozenset({"AUT", "BRA"}), frozenset())
    assert Question.draft("a", "appeal", book, body).question_type == "procedural"
    assert Question.draft("a", "appeal", book, body, question_type="procedural").question_type == "procedural"
    with pytest.raises(NotAllowed, match="an appeal is a procedural question"):
        Question.draft("a", "appeal", book, body, question_type="substantive")
