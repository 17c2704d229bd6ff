"""The floor's rules of order, through HTTP: the order of speakers, the closed list, points
of order, the clock, the question steps delegated to the decisions app, plain-POST use
without JavaScript, the journal, and the query counts of the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from consensio.floor.models import Turn, TurnState
from consensio.records.models import JournalEntry


def waiting(setting: Any) -> list[str]:
    turns = Turn.objects.filter(state=TurnState.WAITING, speakers__item=setting.item).order_by("position")
    return [t.delegation.name for t in turns.select_related("delegation__actor", "delegation__participant")]


def test_groups_first_then_members_then_observers_and_stakeholders_then_replies(
    setting: Any, act: Callable[..., Any]
) -> None:
    act("secretariat", "inscribe", member="eff")
    act("observer", "inscribe")
    act("austria", "inscribe")
    act("brazil", "reply")
    act("brazil", "inscribe", on_behalf_of="G77")
    act("secretariat", "inscribe", member="JPN")
    assert waiting(setting) == [
        "Brazil",  # for the Group of 77 and China
        "Austria",
        "Japan",
        "European Union",  # an observer, after the Member States
        "Electronic Frontier Foundation",  # a stakeholder, at the end of the Member States' discussion
        "Brazil",  # right of reply, after the list
    ]
    # The chair may reorder; later inscriptions keep the chair's order.
    japan = Turn.objects.get(delegation__actor__key="JPN").pk
    act("chair", "reorder", turn=str(japan), position="1")
    act("secretariat", "inscribe", member="FRA")
    assert waiting(setting)[:4] == ["Japan", "Brazil", "Austria", "France"]
    entry = JournalEntry.objects.filter(kind="floor.reordered").get()
    assert entry.payload["delegation"] == "JPN" and entry.payload["position"] == 1


def test_once_the_list_is_closed_only_the_right_of_reply_is_accorded(
    setting: Any, act: Callable[..., Any]
) -> None:
    act("austria", "inscribe")
    response = act("austria", "inscribe", expect=409)
    assert "already on the list" in response.json()["error"]["message"]
    act("chair", "close_list")
    response = act("brazil", "inscribe", expect=409)
    assert response.json()["error"]["message"].startswith("Rule 115: the list of speakers is closed")
    act("brazil", "reply")
    assert waiting(setting) == ["Austria", "Brazil"]
    assert JournalEntry.objects.filter(kind="floor.list_closed").count() == 1


def test_a_point_of_order_jumps_the_queue_and_the_chair_rules_on_it(
    setting: Any, act: Callable[..., Any]
) -> None:
    act("austria", "inscribe")
    act("brazil", "point_of_order")
    assert waiting(setting) == ["Brazil", "Austria"]
    response = act("austria", "point_of_order", expect=409)
    assert "a point of order is pending" in response.json()["error"]["message"]
    austria = Turn.objects.get(delegation__actor__key="AUT").pk
    response = act("chair", "give_floor", expect=409, turn=str(austria))
    assert "the chair hears it first" in response.json()["error"]["message"]
    act("chair", "give_floor")  # to Brazil's point of order
    assert act("chair", "give_floor", expect=409).json()["error"]["message"].startswith("Rule 113")
    act("chair", "rule", ruling="The point of order is upheld.")
    act("chair", "give_floor")
    assert Turn.objects.get(pk=austria).state == TurnState.SPEAKING
    ruled = Turn.objects.get(kind="point_of_order")
    assert ruled.state == TurnState.DONE and ruled.ruling == "The point of order is upheld."
    screen = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert "ruling: The point of order is upheld." in screen


def test_during_voting_a_point_of_order_must_be_on_the_conduct_of_the_vote(
    setting: Any, act: Callable[..., Any]
) -> None:
    from consensio.floor.actions import do_take_up

    do_take_up(None, setting.meeting, item=setting.item, question=setting.second)
    for who, step in [
        ("chair", "put"),
        ("austria", "object"),
        ("chair", "record_exhausted"),
        ("austria", "request_vote"),
    ]:
        act(who, step)
    act("chair", "open_voting", method="recorded")
    response = act("brazil", "point_of_order", expect=409)
    assert "Rule 128" in response.json()["error"]["message"]
    act("brazil", "point_of_order", on_conduct_of_vote="1")
    assert Turn.objects.get(kind="point_of_order").on_conduct_of_vote


def test_the_clock_keeps_the_time_used_across_a_stop(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    act("brazil", "inscribe")
    act("chair", "time_limit", seconds="180")
    assert (
        act("chair", "start_clock", expect=409).json()["error"]["message"].startswith("No one has the floor")
    )
    act("chair", "give_floor")
    act("chair", "start_clock")
    turn = Turn.objects.get(state=TurnState.SPEAKING)
    Turn.objects.filter(pk=turn.pk).update(clock_started_at=timezone.now() - dt.timedelta(seconds=40))
    act("chair", "stop_clock")
    turn.refresh_from_db()
    assert turn.clock_started_at is None and 40 <= turn.used_seconds <= 42
    screen = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert 'data-limit="180"' in screen and f'data-used="{turn.used_seconds}"' in screen
    assert f"2:{180 - turn.used_seconds - 120:02d}" in screen
    act("chair", "give_floor")  # Austria is done; Brazil speaks
    turn.refresh_from_db()
    assert turn.state == TurnState.DONE and turn.ended_at is not None


def test_the_gavel_is_refused_while_an_objection_stands(setting: Any, act: Callable[..., Any]) -> None:
    act("chair", "put")
    act("austria", "object")
    response = act("chair", "gavel", expect=409)
    error = response.json()["error"]
    assert error["code"] == "out_of_order" and "objection" in error["message"].lower()
    setting.question.refresh_from_db()
    assert setting.question.state == "objected"
    act("austria", "withdraw_objection")
    assert act("chair", "gavel").json()["message"] == "It is so decided."
    setting.question.refresh_from_db()
    assert setting.question.state == "adopted"
    # The decisions app journalled its own steps; the floor repeats none of them.
    kinds = list(JournalEntry.objects.filter(kind__startswith="decision.").values_list("kind", flat=True))
    assert kinds[-4:] == ["decision.put", "decision.object", "decision.withdraw_objection", "decision.gavel"]
    screen = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert "It is so decided." in screen and "adopted without a vote" in screen


def test_a_recorded_vote_shows_who_voted_then_the_result(setting: Any, act: Callable[..., Any]) -> None:
    from consensio.floor.actions import do_take_up

    do_take_up(None, setting.meeting, item=setting.item, question=setting.second)
    for who, step in [
        ("chair", "put"),
        ("austria", "object"),
        ("chair", "record_exhausted"),
        ("austria", "request_vote"),
    ]:
        act(who, step)
    act("chair", "open_voting", method="recorded")
    act("austria", "cast", vote="yes")
    screen = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert '<tr data-member="AUT" class="voted">' in screen  # the AHC rulebook's board shows voters
    assert '<tr data-member="BRA">' in screen and "Voting is open (recorded): 1 ballots cast." in screen
    act("brazil", "cast", vote="no")
    act("chair", "close_voting")
    act("chair", "announce")
    screen = setting.client("anonymous").get(f"/floor/{setting.meeting.pk}/").content.decode()
    assert 'data-count="yes">1<' in screen and 'data-count="no">1<' in screen
    assert "Result announced." in screen


def test_without_javascript_a_form_posts_and_comes_back(setting: Any, act: Callable[..., Any]) -> None:
    chair = setting.client("chair")
    response = chair.post(f"/floor/{setting.meeting.pk}/act/", {"step": "put"})
    assert response.status_code == 302 and response["Location"] == f"/floor/{setting.meeting.pk}/chair/"
    page = chair.get(response["Location"]).content.decode()
    assert "The question is put: is there any objection?" in page
    act("austria", "object")
    response = chair.post(f"/floor/{setting.meeting.pk}/act/", {"step": "gavel"})
    assert response.status_code == 409
    assert 'class="floor-message error"' in response.content.decode()


def test_a_statement_is_attached_through_the_statements_parser(setting: Any, act: Callable[..., Any]) -> None:
    from consensio.actors.models import Statement

    act("austria", "inscribe", on_behalf_of="EUMS")
    act("chair", "give_floor")
    turn = Turn.objects.get(delegation__actor__key="AUT")
    response = act(
        "brazil", "attach_statement", expect=403, turn=str(turn.pk), text="On behalf of Brazil\n\nNo."
    )
    assert "You act for BRA only" in response.json()["error"]["message"]
    text = "Statement by Austria on behalf of the European Union and its member States\n\nMr Chair, we support it."
    act("austria", "attach_statement", turn=str(turn.pk), text=text)
    turn.refresh_from_db()
    statement = Statement.objects.get(pk=turn.statement_id)
    assert statement.delivered_by.key == "AUT"
    assert statement.parties.get().group.key == "EUMS"
    # A national statement names no list: it is recorded as the delegation's own.
    act("brazil", "inscribe")
    act("chair", "give_floor")
    brazil = Turn.objects.get(delegation__actor__key="BRA")
    act("brazil", "attach_statement", turn=str(brazil.pk), text="Mr Chair, Brazil supports the text.")
    brazil.refresh_from_db()
    assert brazil.statement.parties.get().actor.key == "BRA"


def test_the_pages_render_with_a_fixed_number_of_queries(
    setting: Any, act: Callable[..., Any], django_assert_num_queries: Any
) -> None:
    for who in ("austria", "brazil", "observer"):
        act(who, "inscribe")
    act("chair", "put")
    anonymous = setting.client("anonymous")
    with django_assert_num_queries(9 + 2):  # + 2: the page cache, first anonymous request
        assert anonymous.get(f"/floor/{setting.meeting.pk}/").status_code == 200
    with django_assert_num_queries(1 + 2):  # + 2: the page cache, first anonymous request
        assert anonymous.get("/floor/").status_code == 200
    chair = setting.client("chair")
    page = chair.get(f"/floor/{setting.meeting.pk}/chair/").content.decode()
    assert 'id="step-gavel"' in page and 'id="give-floor"' in page
    controls = setting.client("austria").get(f"/floor/{setting.meeting.pk}/controls/").content.decode()
    assert 'id="step-object"' in controls and 'id="step-gavel"' not in controls


def test_the_api_reads_the_floor_as_the_public_screen_shows_it(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    act("brazil", "inscribe", on_behalf_of="G77")
    act("chair", "put")
    act("austria", "object")
    body = setting.client("anonymous").get(f"/api/floors/{setting.meeting.pk}").json()
    assert body["question_subject"] == "Article 41 (test)" and body["question_state"] == "objected"
    assert body["objections"] == ["AUT"]
    assert [(t["delegation"], t["on_behalf_of"]) for t in body["waiting"]] == [
        ("Brazil", "the Group of 77 and China"),
        ("Austria", None),
    ]
    assert setting.client("anonymous").get("/api/floors/999999").status_code == 404
