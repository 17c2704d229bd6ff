"""The demo floor loads on top of the decisions demo, once, and its pages render."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_demo_floor_is_idempotent_and_ready_for_the_chair() -> None:
    from consensio.demo import load_demo
    from consensio.floor.demo import FIRST, load_floor_demo
    from consensio.floor.models import Floor, TurnState

    assert load_floor_demo() is False  # no forum demo yet
    load_demo()  # calls load_floor_demo() once wired into consensio.demo
    load_floor_demo()
    assert load_floor_demo() is False
    assert Floor.objects.count() == 1
    floor = Floor.objects.select_related("question", "item").get()
    assert floor.question.subject == FIRST and floor.question.state == "drafted"
    turns = list(floor.item.speakers_list.turns.filter(state=TurnState.WAITING).order_by("position"))
    assert [t.delegation.name for t in turns] == [
        "Nigeria",
        "Japan",
        "European Union",
        "Electronic Frontier Foundation",
    ]
    html = Client().get(f"/floor/{floor.meeting_id}/").content.decode()
    assert FIRST in html and "on behalf of African Group" in html
    assert Client().get("/floor/").status_code == 200
