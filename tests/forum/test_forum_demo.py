"""The Ad Hoc Committee demo: real bureau, sessions, dates and venues; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from consensio.forum.models import Body, Document, Meeting, Session, Venue, VenueFigure

pytestmark = pytest.mark.django_db


def test_load_forum_demo_is_idempotent_and_sourced() -> None:
    from consensio.demo import load_demo
    from consensio.forum.demo import load_forum_demo

    assert load_demo() is True  # the whole demo, forum included
    counts = (Session.objects.count(), Meeting.objects.count(), Document.objects.count())
    assert min(counts) > 0
    assert load_forum_demo() is False
    assert (Session.objects.count(), Meeting.objects.count(), Document.objects.count()) == counts

    body = Body.objects.get(key="ahc")
    assert body.mandate == "A/RES/74/247" and body.rulebook == "ahc-74-247"
    bureau = list(body.bureau.select_related("state"))
    assert len(bureau) == 15
    assert (bureau[0].office, bureau[0].state.key) == ("chair", "DZA")
    assert sum(1 for m in bureau if m.office == "vice_chair") == 13
    sessions = list(body.sessions.select_related("venue"))
    assert (sessions[0].starts_on, sessions[0].ends_on, sessions[0].venue.city) == (
        dt.date(2021, 5, 10), dt.date(2021, 5, 12), "New York")
    last = sessions[-1]
    assert (last.label, last.starts_on, last.ends_on) == ("Reconvened concluding session", dt.date(2024, 7, 29),
                                                        dt.date(2024, 8, 9))
    assert [s.venue.city for s in sessions if s.number in (2, 4, 5)] == ["Vienna"] * 3
    assert all(s.source for s in sessions)
    first = Meeting.objects.filter(session=last).order_by("date", "starts_at").first()
    assert (first.starts_at, first.ends_at) == (dt.time(10), dt.time(13))
    assert Venue.objects.count() == 3
    assert not VenueFigure.objects.filter(illustrative=False).exists()
    assert all("Illustrative demo value" in f.source for f in VenueFigure.objects.all())

    page = Client().get(f"/sessions/{last.pk}/").content.decode()
    assert "Thursday, Aug. 8, 2024" in page
