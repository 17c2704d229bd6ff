"""Leaving the list of speakers and reopening it: a delegation withdraws its own waiting
inscription (the chair or the secretariat may strike a waiting speaker on request), the list
renumbers, the delegation may inscribe again; the chair reopens a closed list. Every refusal
has the floor's one error shape and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from tests.floor.test_floor_security import recorded, refused

from consensio.floor.models import SpeakersList, Turn, TurnState
from consensio.records.models import JournalEntry


def waiting(setting: Any) -> list[tuple[int, str]]:
    turns = Turn.objects.filter(state=TurnState.WAITING, speakers__item=setting.item).order_by("position")
    return [
        (t.position, t.delegation.name)
        for t in turns.select_related("delegation__actor", "delegation__participant")
    ]


def turn_of(key: str, **filters: Any) -> Turn:
    return Turn.objects.filter(delegation__actor__key=key, **filters).latest("pk")


def test_a_delegate_withdraws_their_own_inscription_and_the_list_moves_up(
    setting: Any, act: Callable[..., Any]
) -> None:
    for who in ("austria", "brazil"):
        act(who, "inscribe")
    act("secretariat", "inscribe", member="JPN")
    assert waiting(setting) == [(1, "Austria"), (2, "Brazil"), (3, "Japan")]
    page = setting.client("austria").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert 'id="withdraw-inscription"' in page

    austria = turn_of("AUT")
    response = act("austria", "withdraw_inscription", turn=str(austria.pk))
    assert response.json() == {"ok": True, "message": "Withdrawn from the list of speakers."}
    assert waiting(setting) == [(1, "Brazil"), (2, "Japan")]
    austria.refresh_from_db()
    assert austria.state == TurnState.WITHDRAWN and austria.ended_at is not None
    assert austria.get_state_display() == "Withdrawn"

    entry = JournalEntry.objects.filter(kind="floor.inscription_withdrawn").get()
    assert entry.payload["meeting"] == setting.meeting.pk
    assert entry.payload["item"] == setting.item.pk
    assert entry.payload["turn"] == austria.pk
    assert entry.payload["delegation"] == "AUT"
    assert entry.payload["user"] == "austria"
    assert entry.payload["struck"] is False

    page = setting.client("austria").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert 'id="withdraw-inscription"' not in page and 'id="request-floor"' in page
    screen = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert "Austria" not in screen and "Brazil" in screen
    assert "withdraw_inscription" not in screen and "<form" not in screen.split('id="floor"')[1]


def test_a_right_of_reply_is_withdrawn_the_same_way(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    act("brazil", "reply")
    page = setting.client("brazil").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert 'id="withdraw-reply"' in page and 'id="withdraw-inscription"' not in page
    response = act("brazil", "withdraw_inscription", turn=str(turn_of("BRA").pk))
    assert response.json()["message"] == "The request for the right of reply is withdrawn."
    assert waiting(setting) == [(1, "Austria")]


def test_nobody_withdraws_another_delegations_inscription(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    act("brazil", "inscribe")
    austria = turn_of("AUT")
    before = recorded()
    refused(
        act("brazil", "withdraw_inscription", expect=None, turn=str(austria.pk)), 403, "You act for BRA only"
    )
    refused(
        act("observer", "withdraw_inscription", expect=None, turn=str(austria.pk)), 403, "You act for EU only"
    )
    # Naming one's own delegation as ``member`` changes nothing: the turn says whose it is.
    refused(
        act("brazil", "withdraw_inscription", expect=None, turn=str(austria.pk), member="BRA"),
        403,
        "You act for BRA only",
    )
    assert recorded() == before
    assert waiting(setting) == [(1, "Austria"), (2, "Brazil")]
    # The chair's strike controls are not on a delegate's console.
    controls = setting.client("brazil").get(f"/floor/{setting.meeting.pk}/controls/").content.decode()
    assert f'id="strike-{austria.pk}"' not in controls


@pytest.mark.parametrize("state", ["speaking", "spoken", "withdrawn"])
def test_a_turn_no_longer_waiting_cannot_be_withdrawn(
    state: str, setting: Any, act: Callable[..., Any]
) -> None:
    act("austria", "inscribe")
    act("brazil", "inscribe")
    austria = turn_of("AUT")
    act("chair", "give_floor")  # to Austria
    words = "has the floor"
    if state == "spoken":
        act("chair", "give_floor")  # to Brazil: Austria is done
        words = "has already spoken"
    elif state == "withdrawn":
        brazil = turn_of("BRA")
        act("brazil", "withdraw_inscription", turn=str(brazil.pk))
        austria, words = brazil, "no longer on the list"
    before = recorded()
    for who in ("austria" if state != "withdrawn" else "brazil", "chair"):
        refused(act(who, "withdraw_inscription", expect=None, turn=str(austria.pk)), 409, words)
    assert recorded() == before


def test_a_point_of_order_is_ruled_on_not_withdrawn(setting: Any, act: Callable[..., Any]) -> None:
    act("brazil", "point_of_order")
    order = turn_of("BRA")
    before = recorded()
    refused(act("brazil", "withdraw_inscription", expect=None, turn=str(order.pk)), 409, "Rule 113")
    assert recorded() == before
    page = setting.client("chair").get(f"/floor/{setting.meeting.pk}/chair/").content.decode()
    assert f'id="strike-{order.pk}"' not in page


def test_unusable_turns_are_refused_as_invalid(setting: Any, act: Callable[..., Any]) -> None:
    before = recorded()
    refused(act("austria", "withdraw_inscription", expect=None, turn="x"), 400, "a whole number")
    refused(act("austria", "withdraw_inscription", expect=None, turn="999999"), 400, "no such inscription")
    refused(act("austria", "withdraw_inscription", expect=None), 400, "a whole number")
    assert recorded() == before


def test_a_delegation_that_withdrew_may_inscribe_again(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    act("brazil", "inscribe")
    act("austria", "withdraw_inscription", turn=str(turn_of("AUT").pk))
    act("austria", "inscribe")
    assert waiting(setting) == [(1, "Brazil"), (2, "Austria")]
    # Twice over: the withdrawn turns stay in the record and block nothing.
    act("austria", "withdraw_inscription", turn=str(turn_of("AUT").pk))
    act("austria", "inscribe")
    assert Turn.objects.filter(delegation__actor__key="AUT", state=TurnState.WITHDRAWN).count() == 2
    assert waiting(setting) == [(1, "Brazil"), (2, "Austria")]
    assert act("austria", "inscribe", expect=409).json()["error"]["message"].startswith("Austria is already")


def test_an_observer_delegation_withdraws_its_own_inscription(setting: Any, act: Callable[..., Any]) -> None:
    act("observer", "inscribe")
    act("austria", "inscribe")
    assert waiting(setting) == [(1, "Austria"), (2, "European Union")]
    page = setting.client("observer").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert 'id="withdraw-inscription"' in page
    act("observer", "withdraw_inscription", turn=str(turn_of("EU").pk))
    assert waiting(setting) == [(1, "Austria")]
    assert JournalEntry.objects.get(kind="floor.inscription_withdrawn").payload["delegation"] == "EU"


@pytest.mark.parametrize("who", ["chair", "secretariat"])
def test_the_chair_strikes_a_waiting_speaker_on_request(
    who: str, setting: Any, act: Callable[..., Any]
) -> None:
    act("austria", "inscribe")
    act("brazil", "inscribe")
    act("secretariat", "inscribe", member="eff")
    brazil = turn_of("BRA")
    page = setting.client(who).get(f"/floor/{setting.meeting.pk}/chair/").content.decode()
    assert f'id="strike-{brazil.pk}"' in page and "Strike Brazil from the list" in page
    response = act(who, "withdraw_inscription", turn=str(brazil.pk))
    assert response.json()["message"] == "Brazil is struck from the list of speakers."
    assert waiting(setting) == [(1, "Austria"), (2, "Electronic Frontier Foundation")]
    eff = Turn.objects.get(delegation__participant__key="eff")
    act(who, "withdraw_inscription", turn=str(eff.pk))  # a participant that is not a State, too
    assert waiting(setting) == [(1, "Austria")]
    entries = list(JournalEntry.objects.filter(kind="floor.inscription_withdrawn").order_by("pk"))
    assert [(e.payload["delegation"], e.payload["user"], e.payload["struck"]) for e in entries] == [
        ("BRA", who, True),
        ("eff", who, True),
    ]


def test_a_turn_of_another_session_is_not_found(setting: Any, act: Callable[..., Any]) -> None:
    import datetime as dt

    from consensio.actors.models import Actor
    from consensio.floor.actions import do_inscribe
    from consensio.forum import actions as a

    today = dt.date.today()
    other = a.do_create_session(
        None,
        setting.body,
        label="Sixth session",
        number=6,
        starts_on=today,
        ends_on=today,
        venue=setting.session.venue,
    )
    a.do_set_agenda(None, other, [("1", "Opening")])
    meeting = a.do_schedule_meetings(
        None, other, [{"date": today, "starts_at": dt.time(15), "ends_at": dt.time(18), "agenda": ["1"]}]
    )[0]
    a.do_accredit(None, other, actor=Actor.objects.get(key="AUT"))
    elsewhere = do_inscribe(None, meeting, member="AUT")
    before = recorded()
    refused(
        act("chair", "withdraw_inscription", expect=None, turn=str(elsewhere.pk)), 400, "no such inscription"
    )
    assert recorded() == before
    assert Turn.objects.get(pk=elsewhere.pk).state == TurnState.WAITING


def test_the_chair_reopens_a_closed_list(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    page = setting.client("chair").get(f"/floor/{setting.meeting.pk}/chair/").content.decode()
    assert 'id="close-list"' in page and 'id="reopen-list"' not in page
    act("chair", "close_list")
    refused(act("brazil", "inscribe", expect=None), 409, "Rule 115")
    page = setting.client("chair").get(f"/floor/{setting.meeting.pk}/chair/").content.decode()
    assert 'id="reopen-list"' in page and 'id="close-list"' not in page

    response = act("chair", "reopen_list")
    assert response.json() == {"ok": True, "message": "The list of speakers is reopened."}
    lst = SpeakersList.objects.get(item=setting.item)
    assert not lst.closed and lst.closed_by is None
    entry = JournalEntry.objects.get(kind="floor.list_reopened")
    assert entry.payload["item"] == setting.item.pk and entry.payload["user"] == "chair"
    act("brazil", "inscribe")  # inscriptions are accepted again
    assert waiting(setting) == [(1, "Austria"), (2, "Brazil")]
    page = setting.client("brazil").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert 'id="withdraw-inscription"' in page


def test_only_the_chair_or_the_secretariat_reopens_the_list(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    act("chair", "close_list")
    before = recorded()
    for who in ("austria", "observer"):
        refused(act(who, "reopen_list", expect=None), 403, "only the chair or the secretariat")
    assert recorded() == before
    assert SpeakersList.objects.get(item=setting.item).closed
    act("secretariat", "reopen_list")
    assert not SpeakersList.objects.get(item=setting.item).closed


def test_reopening_a_list_that_is_not_closed_is_refused(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    before = recorded()
    refused(act("chair", "reopen_list", expect=None), 409, "The list of speakers is not closed")
    assert recorded() == before
    act("chair", "close_list")
    act("chair", "reopen_list")
    refused(act("chair", "reopen_list", expect=None), 409, "not closed")


def test_without_javascript_a_refusal_comes_back_on_the_console(
    setting: Any, act: Callable[..., Any]
) -> None:
    act("austria", "inscribe")
    before = recorded()
    response = setting.client("brazil").post(
        setting.act_url, {"step": "withdraw_inscription", "turn": str(turn_of("AUT").pk)}
    )
    assert response.status_code == 403
    assert "You act for BRA only" in response.content.decode()
    assert recorded() == before
    response = setting.client("austria").post(
        setting.act_url, {"step": "withdraw_inscription", "turn": str(turn_of("AUT").pk)}
    )
    assert response.status_code == 302 and response["Location"] == f"/floor/{setting.meeting.pk}/delegate/"
    assert waiting(setting) == []


@pytest.mark.parametrize("step", ["withdraw_inscription", "reopen_list"])
def test_a_logged_out_post_is_sent_to_log_in(setting: Any, act: Callable[..., Any], step: str) -> None:
    act("austria", "inscribe")
    act("chair", "close_list")
    before = recorded()
    response = Client().post(
        setting.act_url, {"step": step, "turn": str(turn_of("AUT").pk)}, HTTP_X_REQUESTED_WITH="floor"
    )
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert recorded() == before
    assert turn_of("AUT").state == TurnState.WAITING
    assert SpeakersList.objects.get(item=setting.item).closed
