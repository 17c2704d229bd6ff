"""Versions and redlines: provisions matched by eId, words compared inside changed provisions."""

from __future__ import annotations

from datetime import datetime

from consensio.engine.text.compare import Change, Version, Words, compare, format_redline, word_diff
from consensio.engine.text.notation import parse

DRAFT = """\
Title: Draft convention
Preamble
The States Parties to this Convention,
Chapter I — General provisions
Article 1 — Statement of purpose
1. The purposes of this Convention are to prevent cybercrime.
2. To promote cooperation.
Article 2 — Use of terms
For the purposes of this Convention:
(a) "Computer system" shall mean any device;
(b) "Computer data" shall mean any representation.
Chapter II — Criminalization
Article 3 — Illegal access
Each State Party shall adopt such measures.
"""

REV1 = """\
Title: Draft convention
Preamble
The States Parties to this Convention,
Chapter I — General provisions
Article 1 {#chp_1__art_2} — Definitions
For the purposes of this Convention:
(a) {#chp_1__art_2__para_1__subpara_b} "Computer data" shall mean any representation.
(b) {#chp_1__art_2__para_1__subpara_a} "ICT system" shall mean any device;
Article 2 {#chp_1__art_1; ad ref} — Statement of purpose
1. The purposes of this Convention are to prevent and combat cybercrime [more efficiently]{RUS}.
2. {#chp_1__art_1__para_3; new: EU} To protect human rights.
Chapter II — Criminalization
Article 3 — Illegal access
Each State Party shall adopt such measures.
"""


def test_redline_recognises_provisions_by_eid() -> None:
    redline = compare(Version("A/AC.291/22", parse(DRAFT)), Version("A/AC.291/22/Rev.1", parse(REV1)))
    changes = {c.eid: c for c in redline.changed}
    assert changes["chp_1__art_2"].changes == {Change.MOVED, Change.RENUMBERED, Change.CHANGED}
    assert (changes["chp_1__art_2"].old_heading, changes["chp_1__art_2"].new_heading) == (
        "Use of terms",
        "Definitions",
    )
    assert changes["chp_1__art_1"].changes == {Change.RENUMBERED, Change.STATUS}
    assert changes["chp_1__art_1__para_2"].changes == {Change.DELETED}
    assert changes["chp_1__art_1__para_3"].changes == {Change.INSERTED}
    sub_a = changes["chp_1__art_2__para_1__subpara_a"]
    assert Change.RENUMBERED in sub_a.changes and Change.CHANGED in sub_a.changes
    assert [(w.op, w.text) for w in sub_a.words] == [
        ("equal", '"'),
        ("delete", "Computer"),
        ("insert", "ICT"),
        ("equal", ' system" shall mean any device;'),
    ]
    assert "chp_2__art_3" not in changes and "chp_2" not in changes
    para = changes["chp_1__art_1__para_1"]
    assert Words("insert", " and combat") in para.words
    # Deletions are listed where they stood.
    order = [c.eid for c in redline.provisions]
    assert order.index("chp_1__art_1__para_2") == order.index("chp_1__art_1__para_1") + 1


def test_readable_redline() -> None:
    text = format_redline(compare(Version("draft", parse(DRAFT)), Version("Rev.1", parse(REV1))))
    assert text.startswith("Comparison of draft with Rev.1\n")
    assert (
        "Article 1 (chp_1__art_2): moved, renumbered 2 → 1, heading [-Use of terms-] {+Definitions+}" in text
    )
    assert "prevent{+ and combat+} cybercrime{+ [more efficiently]{RUS}+}." in text
    assert "Paragraph 2 (chp_1__art_1__para_2): deleted\n    [-To promote cooperation.-]" in text
    assert "Paragraph 2 (chp_1__art_1__para_3): inserted\n    {+To protect human rights.+}" in text


def test_identical_versions_and_plain_texts() -> None:
    text = parse(DRAFT)
    redline = compare(text, text)
    assert redline.changed == ()
    assert (redline.old, redline.new) == ("old", "new")
    assert "No differences." in format_redline(redline)
    assert Version("x", text, datetime(2024, 1, 1)).taken_at == datetime(2024, 1, 1)


def test_moves_between_parents_and_deleted_first_provision() -> None:
    old = parse("Chapter I\nArticle 1\nA.\nChapter II\nArticle 2\nB.\n")
    new = parse("Chapter I\nChapter II\nArticle 1 {#chp_1__art_1}\nA.\n")
    redline = compare(old, new)
    moved = {c.eid: c for c in redline.changed}
    assert moved["chp_1__art_1"].changes == {Change.MOVED}
    assert "moved from chp_1" in format_redline(redline)
    assert moved["chp_2__art_2"].changes == {Change.DELETED}
    first_gone = compare(parse("Preamble\nA.\nB.\n"), parse("Preamble\n{#preamble__p_2} B.\n"))
    assert first_gone.provisions[0].eid == "preamble__p_1"
    assert first_gone.provisions[0].changes == {Change.DELETED}


def test_word_diff() -> None:
    assert word_diff("a b", "a b") == (Words("equal", "a b"),)
    assert word_diff("shall adopt", "may adopt") == (
        Words("delete", "shall"),
        Words("insert", "may"),
        Words("equal", " adopt"),
    )
    assert word_diff("a b c", "a c") == (Words("equal", "a"), Words("delete", " b"), Words("equal", " c"))
    assert word_diff("a", "a b") == (Words("equal", "a"), Words("insert", " b"))
    assert word_diff("x y", "") == (Words("delete", "x y"),)


def test_segment_diff_compares_pieces_then_words() -> None:
    from consensio.engine.text.compare import WORD_DIFF_LIMIT, segment_diff
    from consensio.engine.text.rolling import Bracket, Option, Plain

    old = (
        Plain("Each State shall "),
        Bracket((Option("adopt"), Option("take", ("EU",)))),
        Plain(" measures."),
    )
    new = (
        Plain("Each State shall "),
        Bracket((Option("adopt"), Option("take", ("EU", "JPN")))),
        Plain(" measures."),
    )
    assert segment_diff(old, new) == (
        Words("equal", "Each State shall [[adopt] | [take]{EU"),
        Words("insert", ", JPN"),
        Words("equal", "}] measures."),
    )
    # Past the limit, the changed middle is shown deleted and inserted whole.
    many = int(WORD_DIFF_LIMIT**0.5) + 10
    a = " ".join(f"a{i}" for i in range(many))
    b = " ".join(f"b{i}" for i in range(many))
    assert word_diff(a, b) == (Words("delete", a), Words("insert", b))
