"""Appealing against the chair's ruling on a point of order (rule 113, research/domain.md §2.10).

"The appeal shall be immediately put to the vote, and the ruling of the Chair shall stand unless
overruled by a majority of the representatives present and voting." The question put is whether
to overrule: adopted = overruled; a tie or more noes = rejected = the ruling stands.

The body (tests/floor/conftest.py) sits under the Ad Hoc Committee's rulebook: Austria, Brazil,
France, Algeria and Japan vote; the European Union observes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from tests.floor.test_floor_events import apply, live_regions, screen

from consensio.decisions.models import Ballot, Question, QuestionEvent
from consensio.floor.models import Turn
from consensio.records.models import JournalEntry

RULING = "The point is not well taken."


def recorded() -> tuple[int, int, int, int, int]:
    return (
        Question.objects.count(),
        QuestionEvent.objects.count(),
        Ballot.objects.count(),
        Turn.objects.exclude(appeal=None).count(),
        # Logging a persona in creates its account, which is journalled too; that is not the
        # refused step's doing.
        JournalEntry.objects.exclude(kind="account.created").count(),
    )


def refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.content.decode()
    error = response.json()["error"]
    assert error["status"] == status
    assert words in error["message"], error["message"]


def ruled(act: Callable[..., Any], who: str = "brazil") -> Turn:
    """``who`` raises a point of order and the chair rules on it; the turn with the ruling."""
    act(who, "point_of_order")
    act("chair", "rule", ruling=RULING)
    turn = Turn.objects.filter(kind="point_of_order").latest("pk")
    assert turn.ruling == RULING
    return turn


def appeal(act: Callable[..., Any], turn: Turn, who: str = "austria", **fields: Any) -> Any:
    return act(who, "appeal", turn=str(turn.pk), **fields)


def vote_on_appeal(act: Callable[..., Any], votes: dict[str, str]) -> Question:
    """The chair opens a recorded vote on the appeal before the body, members vote, the chair announces."""
    act("chair", "open_voting", method="recorded")
    for member, vote in votes.items():
        if member == "AUT":
            act("austria", "cast", vote=vote)
        elif member == "BRA":
            act("brazil", "cast", vote=vote)
        else:  # read out from the floor and recorded by the secretariat
            act("secretariat", "cast", vote=vote, member=member)
    act("chair", "close_voting")
    act("chair", "announce")
    return Question.objects.get(kind="appeal")


def speakers_text(setting: Any) -> str:
    page = screen(setting)
    region = page.xpath(f'//*[@id="floor-{setting.meeting.pk}-speakers"]')[0]
    return str(lxml.html.tostring(region, encoding="unicode"))


def test_an_appeal_is_put_to_the_vote_at_once_and_the_chair_opens_the_vote(
    setting: Any, act: Callable[..., Any]
) -> None:
    turn = ruled(act)
    response = appeal(act, turn)
    assert response.json()["ok"]
    question = Question.objects.get(kind="appeal")
    assert question.question_type == "procedural"
    assert question.sponsors == ["AUT"]
    assert question.state == "open"
    assert question.subject == (
        f"Appeal against the Chair's ruling on the point of order of Brazil: {RULING}"
    )
    turn.refresh_from_db()
    assert turn.appeal_id == question.pk
    setting.meeting.floor.refresh_from_db()
    assert setting.meeting.floor.question_id == question.pk
    assert [e.trigger for e in question.events.order_by("seq")] == ["draft", "put"]
    entry = JournalEntry.objects.filter(kind="floor.appeal").get()
    assert entry.payload["delegation"] == "AUT"
    assert entry.payload["point_of_order_by"] == "BRA"
    assert entry.payload["question"] == question.pk
    assert entry.payload["ruling"] == RULING

    chair = setting.client("chair").get(f"/floor/{setting.meeting.pk}/chair/").content.decode()
    assert 'id="step-open-voting"' in chair
    assert 'id="step-gavel"' not in chair  # no consensus phase
    public = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert "appeal-ruling" not in public
    assert "is appealed: the appeal is put to the vote" in public
    assert "Is there any objection?" not in public
    # The vote opens straight away: no objection, no request, no record that consensus is exhausted.
    act("chair", "open_voting", method="recorded")
    assert Question.objects.get(pk=question.pk).state == "voting"


def test_more_yes_than_no_overrules_the_ruling(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    appeal(act, turn)
    question = vote_on_appeal(act, {"AUT": "yes", "BRA": "no", "FRA": "yes", "DZA": "yes", "JPN": "abstain"})
    assert question.state == "adopted" and question.how == "vote"
    assert (question.tally["yes"], question.tally["no"], question.tally["abstain"]) == (3, 1, 1)
    assert 'data-appeal="adopted"' in speakers_text(setting)
    assert "overruled (3-1-1)" in speakers_text(setting)
    page = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert "The ruling of the Chair is overruled." in page
    assert "ruling overruled by recorded vote 3-1-1" in page
    detail = setting.client("anonymous").get(f"/decisions/{question.pk}/").content.decode()
    assert "ruling overruled by recorded vote 3-1-1" in detail
    assert "shall the ruling of the Chair be overruled?" in detail


def test_an_equally_divided_vote_leaves_the_ruling_standing(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    appeal(act, turn)
    question = vote_on_appeal(act, {"AUT": "yes", "BRA": "no", "FRA": "yes", "DZA": "no", "JPN": "abstain"})
    assert question.state == "rejected"
    assert (question.tally["yes"], question.tally["no"]) == (2, 2)
    text = speakers_text(setting)
    assert "stands (2-2-1)" in text and "overruled" not in text
    page = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert "The ruling of the Chair stands." in page
    assert "ruling stands (recorded vote 2-2-1)" in page


def test_more_noes_leave_the_ruling_standing(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    appeal(act, turn, who="brazil")
    question = vote_on_appeal(act, {"AUT": "no", "BRA": "yes", "FRA": "no", "DZA": "no"})
    assert question.state == "rejected"
    assert (question.tally["yes"], question.tally["no"]) == (1, 3)
    assert "stands (1-3-0)" in speakers_text(setting)
    rows = setting.client("anonymous").get("/decisions/").content.decode()
    assert "ruling stands (recorded vote 1-3-0)" in rows


def test_an_observer_may_not_appeal(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    setting.client("observer")
    before = recorded()
    refused(appeal(act, turn, who="observer", expect=None), 403, "observers do not vote")
    assert recorded() == before
    console = setting.client("observer").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert "appeal-ruling" not in console


def test_a_delegate_appeals_only_for_their_own_delegation(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    setting.client("austria")
    before = recorded()
    refused(appeal(act, turn, expect=None, member="BRA"), 403, "You act for AUT only")
    assert recorded() == before


def test_the_chair_does_not_appeal_its_own_ruling(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    before = recorded()
    refused(appeal(act, turn, who="chair", expect=None), 403, "the chair gives it")
    assert recorded() == before


def test_a_ruling_is_appealed_once(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    appeal(act, turn)
    setting.client("brazil")
    before = recorded()
    refused(appeal(act, turn, who="brazil", expect=None), 409, "already been appealed")
    assert recorded() == before
    vote_on_appeal(act, {"AUT": "yes", "BRA": "no"})
    before = recorded()
    refused(appeal(act, turn, who="brazil", expect=None), 409, "already been appealed")
    assert recorded() == before


def test_only_the_latest_ruling_is_appealed(setting: Any, act: Callable[..., Any]) -> None:
    first = ruled(act)
    ruled(act, who="austria")
    before = recorded()
    refused(appeal(act, first, expect=None), 409, "not the latest")
    assert recorded() == before


def test_no_point_of_order_while_an_appeal_is_pending(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    appeal(act, turn)
    before = recorded()
    refused(
        act("brazil", "point_of_order", expect=None),
        409,
        "an appeal against the ruling of the chair is pending",
    )
    assert recorded() == before
    console = setting.client("brazil").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert 'id="point-of-order"' not in console
    vote_on_appeal(act, {"AUT": "yes", "BRA": "no", "FRA": "no"})
    # Disposed of: a point of order is in order again (on the floor, and for the question, now decided).
    act("chair", "take_up", item=str(setting.item.pk), question=str(setting.question.pk))
    act("brazil", "point_of_order")


def test_a_body_that_cannot_vote_cannot_take_an_appeal(setting: Any, act: Callable[..., Any]) -> None:
    turn = ruled(act)
    type(setting.body).objects.filter(pk=setting.body.pk).update(rulebook="consensus-only")
    console = setting.client("austria").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert "appeal-ruling" not in console
    before = recorded()
    refused(appeal(act, turn, expect=None), 409, "no vote may be taken")
    assert recorded() == before


def test_the_delegate_console_offers_the_appeal_of_the_latest_ruling(
    setting: Any, act: Callable[..., Any]
) -> None:
    url = f"/floor/{setting.meeting.pk}/delegate/"
    assert "appeal-ruling" not in setting.client("austria").get(url).content.decode()
    turn = ruled(act)
    console = setting.client("austria").get(url).content.decode()
    assert f'id="appeal-ruling" data-turn="{turn.pk}"' in console
    assert "Appeal the ruling" in console
    appeal(act, turn)
    assert "appeal-ruling" not in setting.client("austria").get(url).content.decode()
    assert "appeal-ruling" not in setting.client("brazil").get(url).content.decode()


@pytest.mark.parametrize("event", ["appeal", "vote announced"])
def test_initial_render_plus_events_is_a_fresh_render(
    event: str, setting: Any, act: Callable[..., Any], sent: Any
) -> None:
    turn = ruled(act)
    if event == "vote announced":
        appeal(act, turn)
        act("chair", "open_voting", method="recorded")
        act("austria", "cast", vote="yes")
        act("brazil", "cast", vote="no")
        act("secretariat", "cast", vote="no", member="FRA")
        act("chair", "close_voting")
    page = screen(setting)
    sent.clear()

    if event == "appeal":
        appeal(act, turn)
        shown = "is appealed: the appeal is put to the vote"
    else:
        act("chair", "announce")
        shown = "stands (1-2-0)"

    fragments = sent.fragments()
    floor_targets = {f["target"] for f in fragments if f["target"].startswith(f"floor-{setting.meeting.pk}-")}
    assert f"floor-{setting.meeting.pk}-speakers" in floor_targets
    assert apply(page, fragments) >= len(floor_targets)
    fresh = screen(setting)
    assert live_regions(page) == live_regions(fresh)
    assert shown in lxml.html.tostring(fresh, encoding="unicode")
