"""Fixtures for the decisions tests: a body under the Ad Hoc Committee's rulebook with one
session at which Austria, Brazil, France, Algeria and Japan are accredited as members and
the European Union as an observer; and a session with no delegations, whose electorate is
then every UN Member State (193)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Floor:
    body: Any
    session: Any
    plenary: Any  # no delegations: all 193 Member States vote
    item: Any


@pytest.fixture
def floor(db: None) -> Floor:
    from consensio.actors.models import Actor
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
    session = a.do_create_session(
        None,
        body,
        label="Fifth session",
        number=5,
        starts_on=dt.date(2023, 4, 11),
        ends_on=dt.date(2023, 4, 21),
        venue=venue,
    )
    item = a.do_set_agenda(None, session, [("3", "Consideration of the draft convention")])[0]
    for key in ("AUT", "BRA", "FRA", "DZA", "JPN", "EU"):
        a.do_accredit(None, session, actor=Actor.objects.get(key=key))
    plenary = a.do_create_session(
        None,
        body,
        label="Reconvened concluding session",
        number=8,
        starts_on=dt.date(2024, 7, 29),
        ends_on=dt.date(2024, 8, 9),
        venue=venue,
    )
    return Floor(body, session, plenary, item)


@pytest.fixture
def draft(floor: Floor) -> Any:
    """draft(subject, **options) -> a question drafted by the system at the fifth session."""
    from consensio.decisions.actions import do_draft_question

    def make(subject: str = "Article 7: Illegal access", **options: Any) -> Any:
        options.setdefault("session", floor.session)
        options.setdefault("kind", "article")
        return do_draft_question(None, body=floor.body, subject=subject, **options)

    return make
