"""The floor of a meeting: what is before the body, and who speaks in which order.

- ``Floor``: one per meeting; the agenda item under consideration and the question now
  before the body (a ``decisions.Question``, decided only through the decisions actions).
- ``SpeakersList``: one per agenda item, kept across the meetings that take the item up
  (GA rules 109/115, research/domain.md §2.12); the chair may close it and sets the time
  limit of each statement (rule 114).
- ``Turn``: one inscription on a list: a statement, a right of reply (after the list) or a
  point of order (ahead of everyone, rule 113). The speaking time is kept as the moment the
  chair last started the clock plus the seconds already used, so every screen computes the
  same remaining time from the same two numbers. A delegation may withdraw its inscription
  (or the chair strike it) while it is still waiting: the turn stays, marked withdrawn, and
  no longer counts as being on the list, so the delegation may inscribe again. A member may
  appeal against the chair's ruling on a point of order once: ``appeal`` is the question put
  to the vote (rule 113), whose outcome says whether the ruling stands or is overruled.

Writes go through ``consensio.floor.actions``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Default speaking time, in seconds, until the chair sets another (rule 114; decision 34/401).
DEFAULT_TIME_LIMIT = 300


class Floor(models.Model):
    meeting = models.OneToOneField("forum.Meeting", on_delete=models.CASCADE, related_name="floor")
    item = models.ForeignKey(
        "forum.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(
        "decisions.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]

    def __str__(self) -> str:
        return f"Floor of {self.meeting}"


class SpeakersList(models.Model):
    item = models.OneToOneField("forum.AgendaItem", on_delete=models.CASCADE, related_name="speakers_list")
    time_limit = models.PositiveIntegerField(default=DEFAULT_TIME_LIMIT, help_text="Seconds per statement")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Speakers on {self.item}"

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class TurnKind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    REPLY = "reply", _("Right of reply")
    POINT_OF_ORDER = "point_of_order", _("Point of order")


class TurnState(models.TextChoices):
    WAITING = "waiting", _("Inscribed")
    SPEAKING = "speaking", _("Has the floor")
    DONE = "done", _("Spoke")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Turn(models.Model):
    speakers = models.ForeignKey(SpeakersList, on_delete=models.CASCADE, related_name="turns")
    delegation = models.ForeignKey("forum.Delegation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=TurnKind.choices, default=TurnKind.STATEMENT)
    on_behalf_of = models.ForeignKey(
        "actors.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=TurnState.choices, default=TurnState.WAITING)
    on_conduct_of_vote = models.BooleanField(default=False)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(null=True, blank=True)
    # The clock: running since ``clock_started_at`` (None when stopped), plus ``used_seconds`` before.
    clock_started_at = models.DateTimeField(null=True, blank=True)
    used_seconds = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    ruling = models.TextField(blank=True, help_text="The chair's ruling on a point of order")
    appeal = models.ForeignKey(
        "decisions.Question",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The appeal against the ruling (rule 113), put to the vote as a decisions question",
    )
    statement = models.ForeignKey(
        "actors.Statement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["speakers", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["speakers", "delegation", "kind"],
                condition=models.Q(state="waiting"),
                name="one_waiting_turn_per_delegation_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegation_id} ({self.kind}, {self.state})"

    def used_at(self, now: dt.datetime | None = None) -> int:
        """Seconds spoken so far: the stored seconds plus the running stretch."""
        if self.clock_started_at is None:
            return self.used_seconds
        now = now or timezone.now()
        return self.used_seconds + max(0, int((now - self.clock_started_at).total_seconds()))
