"""The silence procedure (GA decision 74/544): a deadline that passes with no process running
is read correctly at once, and `consensio procedure close-due` records it once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from consensio.cli import main
from consensio.decisions.models import QuestionEvent
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db


def circulated(draft: Any, monkeypatch: pytest.MonkeyPatch, *, hours_ago: int, hours: int = 72) -> Any:
    """A question circulated ``hours_ago`` with a deadline ``hours`` after circulation."""
    from consensio.decisions import actions as a

    start = timezone.now() - dt.timedelta(hours=hours_ago)
    question = draft("Draft decision on the organization of work", kind="report")
    with monkeypatch.context() as m:
        m.setattr(a, "_now", lambda: start)
        a.do_circulate_silence(None, question, start + dt.timedelta(hours=hours))
    return question


def test_a_passed_deadline_is_read_as_adopted_and_close_due_records_it_once(  # type: ignore[no-untyped-def]
    floor, draft, monkeypatch, capsys
) -> None:
    question = circulated(draft, monkeypatch, hours_ago=80)
    open_one = circulated(draft, monkeypatch, hours_ago=1)
    # No process ran at the deadline: the row still says "silence", every read says adopted.
    question.refresh_from_db()
    assert question.state == "silence"
    page = Client().get(f"/decisions/{question.pk}/").content.decode()
    assert re.search(
        r'data-state="adopted">\s*<p><strong>Stage:</strong> <span class="state">Adopted</span>', page
    )
    assert "adopted under silence procedure" in page
    listing = Client().get(f"/sessions/{floor.session.pk}/decisions/").content.decode()
    assert listing.count('<td class="outcome">adopted under silence procedure</td>') == 1
    assert '<td class="outcome">under silence procedure</td>' in listing

    assert main(["procedure", "close-due"]) == 0
    out = capsys.readouterr().out
    assert f"question {question.pk}: adopted under silence procedure" in out
    assert "1 silence procedure(s) settled" in out
    assert main(["procedure", "close-due"]) == 0
    assert "0 silence procedure(s) settled" in capsys.readouterr().out

    question.refresh_from_db()
    assert (question.state, question.how) == ("adopted", "silence")
    ended = QuestionEvent.objects.filter(question=question, trigger="silence_ended")
    assert ended.count() == 1 and ended.get().at == question.silence_deadline
    assert JournalEntry.objects.filter(kind="decision.silence_ended").count() == 1
    open_one.refresh_from_db()
    assert open_one.state == "silence"


def test_breaking_silence_before_the_deadline_and_after_it(floor, draft, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    late = circulated(draft, monkeypatch, hours_ago=80)
    on_time = circulated(draft, monkeypatch, hours_ago=2)
    austria = persona("austria")
    response = austria.post(f"/decisions/{late.pk}/step/", {"step": "break_silence"})
    assert response.status_code == 409
    assert (
        "Decision 74/544: the silence period has ended: the text stands adopted" in response.content.decode()
    )
    assert not QuestionEvent.objects.filter(
        question=late, trigger__in=["break_silence", "silence_ended"]
    ).exists()

    assert austria.post(f"/decisions/{on_time.pk}/step/", {"step": "break_silence"}).status_code == 302
    on_time.refresh_from_db()
    assert on_time.state == "silence_broken"
    assert main(["procedure", "close-due"]) == 0
    on_time.refresh_from_db()
    assert on_time.state == "silence_broken"


def test_a_silence_period_shorter_than_the_rulebook_minimum_is_refused(floor, draft, persona) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    deadline = (timezone.now() + dt.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M")
    response = persona("chair").post(
        f"/decisions/{question.pk}/step/", {"step": "circulate", "deadline": deadline}
    )
    assert response.status_code == 409
    assert "Decision 74/544: the silence period must last at least 72 hours" in response.content.decode()
    assert QuestionEvent.objects.filter(question=question).count() == 1


def test_an_unreadable_deadline_is_a_400_naming_the_input(floor, draft, persona) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    response = persona("chair").post(
        f"/decisions/{question.pk}/step/", {"step": "circulate", "deadline": "friday"}
    )
    assert response.status_code == 400
    assert (
        "Deadline: &#x27;friday&#x27; is not a date and time such as 2024-08-09T18:00."
        in response.content.decode()
    )
    assert QuestionEvent.objects.filter(question=question).count() == 1


def test_the_chair_circulates_from_the_form(floor, draft, persona) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    deadline = (timezone.now() + dt.timedelta(hours=73)).replace(second=0, microsecond=0)
    response = persona("chair").post(
        f"/decisions/{question.pk}/step/",
        {"step": "circulate", "deadline": deadline.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.state, question.silence_deadline) == ("silence", deadline)
