"""Fixtures for the floor: a meeting of a body under the Ad Hoc Committee's rulebook, with
Austria, Brazil, France, Algeria and Japan accredited as members, the European Union as an
observer and a non-governmental organization; item 3 on the floor with a question drafted
and taken up, and a second question drafted for a vote.

``act(persona, step, **fields)`` posts one step to the floor as ``floor.js`` does (JSON
answer); ``sent`` records every live fragment that reaches the channel layer after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client


@dataclass
class Setting:
    body: Any
    session: Any
    item: Any
    other_item: Any
    meeting: Any
    question: Any
    second: Any
    persona: Callable[[str], Client] | None = None
    logged_in: dict[str, Client] = field(default_factory=dict)

    def client(self, name: str) -> Client:
        """The persona's client, logged in on first use (hashing passwords is the slow part)."""
        if name not in self.logged_in:
            assert self.persona is not None
            self.logged_in[name] = self.persona(name)
        return self.logged_in[name]

    @property
    def act_url(self) -> str:
        return f"/floor/{self.meeting.pk}/act/"


class Recorder:
    """A channel layer that only records what is sent to groups."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.messages.append((group, message))

    def fragments(self) -> list[dict[str, Any]]:
        return [m for _g, m in self.messages]

    def clear(self) -> None:
        self.messages.clear()


@pytest.fixture
def setting(db: None, persona: Callable[[str], Client]) -> Setting:
    from consensio.actors.models import Actor
    from consensio.decisions.actions import do_draft_question
    from consensio.floor.actions import do_take_up
    from consensio.forum import actions as a

    venue = a.do_save_venue(
        None, key="vic", name="Vienna International Centre", city="Vienna", country="Austria"
    )
    body = a.do_create_body(
        None,
        key="ahc",
        name="Ad Hoc Committee",
        short_name="AHC",
        mandate="A/RES/74/247",
        rulebook="ahc-74-247",
        document_prefix="A/AC.291",
        secretariat="UNODC",
    )
    today = dt.date.today()
    session = a.do_create_session(
        None, body, label="Fifth session", number=5, starts_on=today, ends_on=today, venue=venue
    )
    item, other = a.do_set_agenda(
        None, session, [("3", "Consideration of the draft convention"), ("4", "Adoption of the report")]
    )
    meeting = a.do_schedule_meetings(
        None,
        session,
        [
            {
                "kind": "formal",
                "date": today,
                "starts_at": dt.time(10),
                "ends_at": dt.time(13),
                "number": 1,
                "agenda": ["3", "4"],
            }
        ],
    )[0]
    for key in ("AUT", "BRA", "FRA", "DZA", "JPN", "EU"):
        a.do_accredit(None, session, actor=Actor.objects.get(key=key))
    ngo = a.do_register_participant(None, key="eff", name="Electronic Frontier Foundation", kind="other")
    a.do_accredit(None, session, participant=ngo)
    question = do_draft_question(
        None, body=body, session=session, agenda_item=item, kind="article", subject="Article 41 (test)"
    )
    second = do_draft_question(
        None,
        body=body,
        session=session,
        agenda_item=item,
        kind="amendment",
        question_type="amendment",
        subject="Amendment to article 53 (test)",
        sponsors=["JPN"],
    )
    do_take_up(None, meeting, item=item, question=question)
    return Setting(body, session, item, other, meeting, question, second, persona)


@pytest.fixture
def act(setting: Setting, sent: Recorder, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """act("chair", "put") -> the JSON response of the floor's action endpoint; what it sent
    after commit is in ``sent``."""

    def post(who: str, step: str, expect: int | None = 200, **fields: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = setting.client(who).post(
                setting.act_url, {"step": step, **fields}, HTTP_X_REQUESTED_WITH="floor"
            )
        if expect is not None:
            assert response.status_code == expect, response.content.decode()
        return response

    return post


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """The fragments that reached the channel layer (after commit) through ``act``."""
    import consensio.core.live as live

    recorder = Recorder()
    monkeypatch.setattr(live, "get_channel_layer", lambda: recorder)
    return recorder
