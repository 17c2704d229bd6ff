"""The instrument tree: eIds fixed at creation, numbers from position, structure rules."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from consensio.engine.text.errors import StructureError, UnknownProvisionError
from consensio.engine.text.tree import BODY, Instrument, Kind, letter, roman


def small() -> Instrument:
    inst = Instrument("Draft convention")
    inst.add(Kind.PREAMBLE_PARAGRAPH, "The States Parties to this Convention,")
    c1 = inst.add(Kind.CHAPTER, heading="General provisions")
    a1 = inst.add(Kind.ARTICLE, parent=c1.eid, heading="Statement of purpose")
    inst.add(Kind.PARAGRAPH, "The purposes of this Convention are:", parent=a1.eid)
    c2 = inst.add(Kind.CHAPTER, heading="Criminalization")
    a2 = inst.add(Kind.ARTICLE, parent=c2.eid, heading="Illegal access")
    p1 = inst.add(Kind.PARAGRAPH, "Each State Party shall adopt", parent=a2.eid)
    inst.add(Kind.PARAGRAPH, "A State Party may require", parent=a2.eid)
    inst.add(Kind.SUBPARAGRAPH, "by infringing security measures;", parent=p1.eid)
    inst.add(Kind.SUBPARAGRAPH, "with dishonest intent.", parent=p1.eid)
    return inst


def test_eids_follow_akoma_ntoso_naming() -> None:
    inst = small()
    assert [p.eid for p in inst] == [
        "preamble__p_1",
        "chp_1",
        "chp_1__art_1",
        "chp_1__art_1__para_1",
        "chp_2",
        "chp_2__art_2",
        "chp_2__art_2__para_1",
        "chp_2__art_2__para_1__subpara_a",
        "chp_2__art_2__para_1__subpara_b",
        "chp_2__art_2__para_2",
    ]


def test_numbers_come_from_position() -> None:
    inst = small()
    assert inst.number("chp_2") == "II"
    assert inst.number("chp_2__art_2") == "2"  # articles count through the whole instrument
    assert inst.number("chp_1__art_1__para_1") == ""  # a sole paragraph is unnumbered
    assert inst.number("chp_2__art_2__para_2") == "2"
    assert inst.label("chp_2__art_2__para_1__subpara_b") == "article 2, paragraph 1, subparagraph (b)"
    assert inst.label("preamble__p_1") == "preambular paragraph 1"
    assert inst.label("chp_2") == "chapter II"


def test_renumbering_never_changes_an_eid() -> None:
    inst = small()
    new = inst.add(Kind.ARTICLE, parent="chp_1", first=True, heading="Scope")
    assert new.eid == "chp_1__art_3"  # the third article created
    assert inst.number(new.eid) == "1"
    assert inst.number("chp_1__art_1") == "2"
    assert inst.number("chp_2__art_2") == "3"
    inst.add(Kind.PARAGRAPH, "inserted", parent="chp_2__art_2", first=True)
    assert inst.number("chp_2__art_2__para_1") == "2"
    clash = inst.get("chp_2__art_2").eid
    assert clash == "chp_2__art_2"
    assert [p.eid for p in inst.children("chp_2__art_2")][0] == "chp_2__art_2__para_1_2"


def test_move_keeps_the_eid_and_its_subtree() -> None:
    inst = small()
    inst.move("chp_2__art_2", "chp_1", after="chp_1__art_1")
    assert inst.get("chp_2__art_2").parent == "chp_1"
    assert inst.number("chp_2__art_2__para_1__subpara_b") == "b"
    assert inst.children("chp_2") == ()
    with pytest.raises(StructureError, match="cannot stand in a subparagraph"):
        inst.move("chp_2__art_2__para_1", "chp_2__art_2__para_1__subpara_a")


def test_remove_takes_the_subtree() -> None:
    inst = small()
    inst.remove("chp_2__art_2__para_1")
    assert "chp_2__art_2__para_1__subpara_a" not in inst
    assert inst.number("chp_2__art_2__para_2") == ""
    assert len(inst) == 7


@pytest.mark.parametrize(
    ("kind", "parent", "message"),
    [
        (Kind.PARAGRAPH, BODY, "cannot stand in the body"),
        (Kind.CHAPTER, "chp_1", "cannot stand in a chapter"),
        (Kind.SUBPARAGRAPH, "chp_1__art_1", "cannot stand in an article"),
        (Kind.ARTICLE, "preamble", "cannot stand in the preamble"),
        (Kind.PREAMBLE_PARAGRAPH, BODY, "belongs in the preamble"),
    ],
)
def test_structure_rules(kind: Kind, parent: str, message: str) -> None:
    with pytest.raises(StructureError, match=message):
        small().add(kind, "x", parent=parent)


def test_unknown_and_duplicate() -> None:
    inst = small()
    with pytest.raises(UnknownProvisionError, match="chp_9"):
        inst.get("chp_9")
    with pytest.raises(UnknownProvisionError):
        inst.children("nope")
    with pytest.raises(StructureError, match="already used"):
        inst.add(Kind.CHAPTER, eid="chp_1")
    with pytest.raises(StructureError, match="not a sibling"):
        inst.add(Kind.CHAPTER, after="chp_1__art_1")


@dataclass
class Row:
    """Stands in for a Django model row (the ProvisionLike protocol)."""

    eid: str
    kind: str
    parent: str
    heading: str = ""
    text: str = ""


def test_rows_satisfy_the_protocol() -> None:
    rows = [Row(p.eid, p.kind.value, p.parent, p.heading, p.text) for p in small()]
    again = Instrument.from_rows("Draft convention", rows)
    assert list(again) == list(small())


def test_numerals() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "I",
        "IV",
        "IX",
        "XIV",
        "XL",
        "XC",
        "CD",
        "MCMXCIV",
    ]
    assert [letter(n) for n in (1, 26, 27, 28)] == ["a", "z", "aa", "bb"]
    with pytest.raises(ValueError):
        roman(0)
    with pytest.raises(ValueError):
        letter(0)


def test_chapters_and_articles_hold_no_words_of_their_own() -> None:
    inst = small()
    with pytest.raises(StructureError, match="the words of an article go in its paragraphs"):
        inst.add(Kind.ARTICLE, "Each State Party shall", parent="chp_1")
    with pytest.raises(StructureError, match="the words of a chapter"):
        inst.replace("chp_1", text="words")
    assert inst.replace("chp_1", heading="General").heading == "General"
