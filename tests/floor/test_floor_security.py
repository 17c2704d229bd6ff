"""Who may act on the floor: every forged or misplaced step is refused, with a clear message
and the right status, and nothing is recorded."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from consensio.decisions.models import Ballot, QuestionEvent
from consensio.floor.models import Turn
from consensio.records.models import JournalEntry


def voting(setting: Any, act: Callable[..., Any]) -> None:
    from consensio.floor.actions import do_take_up

    do_take_up(None, setting.meeting, item=setting.item, question=setting.second)
    for who, step, fields in [
        ("chair", "put", {}),
        ("austria", "object", {}),
        ("chair", "record_exhausted", {}),
        ("austria", "request_vote", {}),
        ("chair", "open_voting", {"method": "recorded"}),
    ]:
        act(who, step, **fields)


def recorded() -> tuple[int, int, int, int]:
    return (
        QuestionEvent.objects.count(),
        Ballot.objects.count(),
        Turn.objects.count(),
        # Logging a persona in creates its account, which is journalled too; that is not the
        # refused step's doing.
        JournalEntry.objects.exclude(kind="account.created").count(),
    )


def refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status
    assert words in error["message"], error["message"]


def test_a_delegate_votes_only_for_their_own_delegation(setting: Any, act: Callable[..., Any]) -> None:
    voting(setting, act)
    before = recorded()
    response = act("austria", "cast", expect=None, vote="yes", member="BRA")
    refused(response, 403, "You act for AUT only")
    assert recorded() == before
    assert not Ballot.objects.filter(actor__key="BRA").exists()


def test_a_delegate_objects_only_for_their_own_delegation(setting: Any, act: Callable[..., Any]) -> None:
    act("chair", "put")
    before = recorded()
    refused(act("brazil", "object", expect=None, member="AUT"), 403, "You act for BRA only")
    assert recorded() == before
    assert setting.question.events.filter(trigger="object").count() == 0


def test_an_observer_never_votes_and_sees_no_vote_buttons(setting: Any, act: Callable[..., Any]) -> None:
    voting(setting, act)
    page = setting.client("observer").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    assert 'id="vote-yes"' not in page and "European Union" in page
    assert (
        'id="vote-yes"'
        in setting.client("brazil").get(f"/floor/{setting.meeting.pk}/delegate/").content.decode()
    )
    before = recorded()
    refused(
        act("observer", "cast", expect=None, vote="yes"),
        403,
        "observers take part in the debate but never vote",
    )
    refused(act("observer", "cast", expect=None, vote="yes", member="EU"), 403, "never vote")
    assert recorded() == before


def test_a_delegate_does_not_conduct_the_meeting(setting: Any, act: Callable[..., Any]) -> None:
    act("austria", "inscribe")
    before = recorded()
    for step in ("put", "gavel", "give_floor", "close_list", "start_clock", "take_up"):
        refused(act("austria", step, expect=None), 403, "only the chair or the secretariat")
    refused(act("brazil", "inscribe", expect=None, member="AUT"), 403, "You act for BRA only")
    assert recorded() == before
    assert setting.client("austria").get(f"/floor/{setting.meeting.pk}/chair/").status_code == 403


@pytest.mark.parametrize("path", ["act/", "controls/", "chair/", "delegate/"])
def test_the_public_is_sent_to_log_in(setting: Any, path: str) -> None:
    before = recorded()
    anonymous = Client()
    response = anonymous.post(
        f"/floor/{setting.meeting.pk}/{path}", {"step": "put"}, HTTP_X_REQUESTED_WITH="floor"
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert recorded() == before
    assert anonymous.get(f"/floor/{setting.meeting.pk}/").status_code == 200  # the public screen is public


def test_a_post_without_the_csrf_token_is_refused(setting: Any) -> None:
    from tests.conftest import PASSWORD

    setting.client("chair")  # creates the chair's account
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="chair", password=PASSWORD)
    before = recorded()
    assert client.post(f"/floor/{setting.meeting.pk}/act/", {"step": "put"}).status_code == 403
    assert recorded() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_forged_websocket_message_changes_nothing() -> None:
    from consensio.asgi import application
    from consensio.decisions.models import Question
    from consensio.floor.models import Floor

    setup = _small_floor()
    question = Question.objects.get(pk=setup)
    floor = Floor.objects.get(question=question)
    headers = [(b"host", b"localhost"), (b"origin", b"http://localhost")]

    async def scenario() -> tuple[bool, dict[str, Any]]:
        ws = WebsocketCommunicator(application, f"/ws/live/floor-{floor.meeting_id}/", headers=headers)
        connected, _ = await ws.connect()
        assert connected
        for forged in (
            {"step": "gavel", "meeting": floor.meeting_id},
            {"target": f"floor-{floor.meeting_id}-now", "html": "<section>It is so decided.</section>"},
            {
                "type": "live.fragment",
                "target": f"floor-{floor.meeting_id}-now",
                "html": "x",
                "mode": "replace",
            },
        ):
            await ws.send_to(text_data=json.dumps(forged))
        nothing = await ws.receive_nothing(timeout=0.3)
        # A real step, through an action, does reach the subscriber.
        from consensio.decisions.actions import do_put_question

        await sync_to_async(do_put_question)(None, question)
        await sync_to_async(_send_floor)(floor.meeting_id)
        message = json.loads(await ws.receive_from(timeout=5))
        await ws.disconnect()
        await sync_to_async(connections.close_all)()  # the worker thread's connection, before teardown
        return nothing, message

    events_before = QuestionEvent.objects.filter(question=question).count()
    nothing, message = asyncio.run(scenario())
    assert nothing
    assert message["target"] == f"floor-{floor.meeting_id}-now"
    # Only the real step was recorded; the forged "gavel" changed nothing.
    assert QuestionEvent.objects.filter(question=question).count() == events_before + 1
    assert Question.objects.get(pk=question.pk).state == "open"


def _send_floor(meeting_id: int) -> None:
    from django.db import transaction

    from consensio.floor.regions import send_regions
    from consensio.forum.models import Meeting

    with transaction.atomic():
        send_regions(Meeting.objects.get(pk=meeting_id), "now")


def _small_floor() -> int:
    """A meeting with one question on the floor (for tests that cannot use the transactional fixtures)."""
    import datetime as dt

    from consensio.actors.models import Actor
    from consensio.decisions.actions import do_draft_question
    from consensio.floor.actions import do_take_up
    from consensio.forum import actions as a

    venue = a.do_save_venue(None, key="vic", name="Vienna International Centre", city="Vienna")
    body = a.do_create_body(
        None,
        key="ahc",
        name="Ad Hoc Committee",
        short_name="AHC",
        mandate="A/RES/74/247",
        rulebook="ahc-74-247",
    )
    today = dt.date.today()
    session = a.do_create_session(
        None, body, label="Fifth session", starts_on=today, ends_on=today, venue=venue
    )
    a.do_set_agenda(None, session, [("3", "Consideration of the draft convention")])
    meeting = a.do_schedule_meetings(
        None, session, [{"date": today, "starts_at": dt.time(10), "ends_at": dt.time(13), "agenda": ["3"]}]
    )[0]
    for key in ("AUT", "BRA"):
        a.do_accredit(None, session, actor=Actor.objects.get(key=key))
    question = do_draft_question(
        None, body=body, session=session, kind="article", subject="Article 41 (test)"
    )
    do_take_up(None, meeting, question=question)
    return int(question.pk)
