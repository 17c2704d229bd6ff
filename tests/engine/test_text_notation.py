"""The bracket notation: examples, the error table, and the round trip parse(serialize(x)) == x."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from test_text_strategies import rolling_texts

from consensio.engine.text.errors import NotationError
from consensio.engine.text.notation import parse, serialize
from consensio.engine.text.rolling import Block, Bracket, Option, Plain, RollingText
from consensio.engine.text.status import Status
from consensio.engine.text.tree import Kind

CASES = json.loads((Path(__file__).parent / "cases" / "text_notation_errors.json").read_text())["cases"]
KNOWN = {"EU", "JPN", "RUS", "CHN", "USA"}

SAMPLE = """\
Title: Draft United Nations convention against cybercrime

Preamble
The States Parties to this Convention,
Concerned that [information and communications technology systems]{EU, JPN} may be misused,

Chapter I — General provisions

Article 1 — Statement of purpose
The purposes of this Convention are:
(a) To promote and strengthen measures to prevent and combat cybercrime [more efficiently]{RUS};
(b) {ad ref} To promote international cooperation.

Article 2 {#chp_1__art_use_of_terms} — Use of terms
1. Each State Party shall [[adopt] | [consider adopting]{RUS} | [take]{CHN}] such measures.
2. {delete: USA} Each State Party may [in accordance with its domestic law]{delete: EU, JPN} cooperate.
3. {new: CHN} The literal characters \\[ \\] \\{ \\} \\| \\\\ need a backslash.
"""


def test_sample_reads_as_a_delegate_would_expect() -> None:
    text = parse(SAMPLE, KNOWN.__contains__)
    assert text.title == "Draft United Nations convention against cybercrime"
    assert [b.eid for b in text.preamble] == ["preamble__p_1", "preamble__p_2"]
    chapter = text.body[0]
    assert (chapter.eid, chapter.num, chapter.heading) == ("chp_1", "I", "General provisions")
    art1, art2 = chapter.children
    assert art1.children[0].num == ""  # a sole paragraph is not numbered
    sub_b = art1.children[0].children[1]
    assert (sub_b.eid, sub_b.num, sub_b.status) == (
        "chp_1__art_1__para_1__subpara_b",
        "b",
        Status.AGREED_AD_REF,
    )
    assert art2.eid == "chp_1__art_use_of_terms"
    para1, para2, para3 = art2.children
    assert para1.eid == "chp_1__art_use_of_terms__para_1"
    assert para1.content[1] == Bracket(
        (Option("adopt"), Option("consider adopting", ("RUS",)), Option("take", ("CHN",)))
    )
    assert para2.deletion_by == ("USA",)
    assert para2.content[1] == Bracket((Option("in accordance with its domestic law", (), ("EU", "JPN")),))
    assert para3.proposed_by == ("CHN",)
    assert para3.content == (Plain("The literal characters [ ] { } | \\ need a backslash."),)


def test_serialize_is_canonical_and_stable() -> None:
    text = parse(SAMPLE)
    once = serialize(text)
    assert parse(once) == text
    assert serialize(parse(once)) == once


def test_numbers_as_typed_are_ignored_and_recomputed() -> None:
    text = parse("Article 9\n5. a\n7. b\n(c) c\n")
    article = text.body[0]
    assert article.num == "1"
    assert [p.num for p in article.children] == ["1", "2"]
    assert article.children[1].children[0].num == "a"


def test_line_start_that_looks_like_structure_is_escaped() -> None:
    text = RollingText(
        "",
        (Block("preamble__p_1", Kind.PREAMBLE_PARAGRAPH, "1", content=(Plain("Article 5 of the Charter"),)),),
    )
    assert "\\Article 5 of the Charter" in serialize(text)
    assert parse(serialize(text)) == text


@pytest.mark.parametrize("case", CASES, ids=[c["source"].splitlines()[-1] for c in CASES])
def test_error_table(case: dict[str, object]) -> None:
    with pytest.raises(NotationError) as info:
        parse(str(case["source"]), KNOWN.__contains__)
    got = info.value.errors
    expected = case["errors"]
    assert isinstance(expected, list)
    assert len(got) == len(expected), got
    for (line, col, message), (eline, ecol, fragment) in zip(got, expected, strict=True):
        assert (line, col) == (eline, ecol), (got, expected)
        assert fragment in message


def test_error_message_lists_the_first_errors() -> None:
    with pytest.raises(NotationError, match=r"2:3: \] without"):
        parse("Article 1\nA ] b\n")


@settings(max_examples=150, deadline=None)
@given(rolling_texts())
def test_round_trip(text: RollingText) -> None:
    assert parse(serialize(text)) == text


def test_the_documented_example_parses() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "bracket-notation.md").read_text()
    example = doc.split("```text\n", 1)[1].split("```", 1)[0]
    text = parse(example, KNOWN.__contains__)
    assert parse(serialize(text)) == text
    assert [b.eid for b in text.blocks()][-1] == "chp_1__art_2__para_3"


def test_the_briefs_example_line() -> None:
    line = "1. Each State Party shall [adopt]{EU, JPN} [[consider adopting]{RUS} | [take]{CHN}] such measures"
    paragraph = parse("Article 1\n" + line, KNOWN.__contains__).body[0].children[0]
    assert paragraph.content == (
        Plain("Each State Party shall "),
        Bracket((Option("adopt", ("EU", "JPN")),)),
        Plain(" "),
        Bracket((Option("consider adopting", ("RUS",)), Option("take", ("CHN",)))),
        Plain(" such measures"),
    )


def test_edges_the_serializer_must_protect() -> None:
    para = "art_1__para_1"
    for content, line in (
        ((Plain(" leading and trailing "),), "\\ leading and trailing\\ "),
        ((), "1."),  # an empty sole paragraph
    ):
        text = RollingText(
            "",
            (),
            (Block("art_1", Kind.ARTICLE, "1", children=(Block(para, Kind.PARAGRAPH, content=content),)),),
        )
        text = parse(serialize(text))
        assert serialize(text).splitlines()[-1] == line
        assert text.body[0].children[0].content == content
    empty = RollingText("", (Block("preamble__p_1", Kind.PREAMBLE_PARAGRAPH, "1"),))
    assert serialize(empty) == "\nPreamble\n{}\n"
    assert parse(serialize(empty)) == empty
    assert parse("{} \\{x}").preamble[0].content == (Plain("{x}"),)
