"""The demo decisions load on top of the forum demo, once."""

from __future__ import annotations

import pytest
from django.test import Client

from consensio.decisions.models import Question

pytestmark = pytest.mark.django_db


def test_demo_decisions_are_idempotent_and_read_as_the_record_says() -> None:
    from consensio.decisions.demo import load_decisions_demo
    from consensio.demo import load_demo

    assert load_decisions_demo() is False  # no forum demo yet: nothing to hang decisions on
    assert load_demo() is True  # reference actors, accounts, the forum demo and these decisions
    assert load_decisions_demo() is False
    from consensio.floor.demo import FIRST, SECOND

    # Four from the decisions demo; the floor demo adds two questions waiting on its floor.
    assert Question.objects.exclude(subject__in=[FIRST, SECOND]).count() == 4
    session = Question.objects.exclude(subject__in=[FIRST, SECOND]).first().session
    html = Client().get(f"/sessions/{session.pk}/decisions/").content.decode()
    for outcome in ("adopted by consensus", "adopted without a vote", "rejected", "under silence procedure"):
        assert f'<td class="outcome">{outcome}</td>' in html
