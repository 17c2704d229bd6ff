from __future__ import annotations

import datetime as dt

from django.apps import AppConfig


def next_silence_deadline(now: dt.datetime) -> dt.datetime | None:
    """The next moment a silence procedure ends: pages showing that question change then, unwritten."""
    from consensio.decisions.models import Question, State

    return (
        Question.objects.filter(state=State.SILENCE, silence_deadline__gt=now)
        .order_by("silence_deadline")
        .values_list("silence_deadline", flat=True)
        .first()
    )


class DecisionsConfig(AppConfig):
    name = "consensio.decisions"
    label = "decisions"

    def ready(self) -> None:
        from consensio.core import pagecache

        pagecache.changes_at(next_silence_deadline)
