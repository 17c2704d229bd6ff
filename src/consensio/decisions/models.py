"""Questions before a body and the record of how each was decided.

The engine (``consensio.engine.procedure``) is the source of truth: a question is the replay
of its ``QuestionEvent`` rows, in ``seq`` order, under its rulebook. The other columns are
caches for listing (``state``, ``how``, ``tally``, ``silence_deadline``) kept in step by the
actions in ``consensio.decisions.actions``, which are the only writers.

``Ballot`` repeats the ``cast`` events as rows so that the database itself refuses a second
ballot of the same member on the same question (unique constraint), even if two requests
race past every other check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consensio.engine.procedure.question import Kind as EngineKind
from consensio.engine.procedure.question import State as EngineState
from consensio.engine.procedure.rulebook import QUESTION_TYPES


class Kind(models.TextChoices):
    PROVISION = EngineKind.PROVISION.value, _("Provision")
    ARTICLE = EngineKind.ARTICLE.value, _("Article")
    CHAPTER = EngineKind.CHAPTER.value, _("Chapter")
    INSTRUMENT = EngineKind.INSTRUMENT.value, _("The whole instrument")
    REPORT = EngineKind.REPORT.value, _("Report")
    MOTION = EngineKind.MOTION.value, _("Procedural motion")
    AMENDMENT = EngineKind.AMENDMENT.value, _("Amendment")
    RECONSIDERATION = EngineKind.RECONSIDERATION.value, _("Reconsideration")
    APPEAL = EngineKind.APPEAL.value, _("Appeal against the Chair's ruling")


#: The rulebook's majority table is keyed by these types (``procedural``, ``substantive``...).
QUESTION_TYPE_CHOICES = [(t, t) for t in QUESTION_TYPES]


class State(models.TextChoices):
    DRAFTED = EngineState.DRAFTED.value, _("Drafted")
    OPEN = EngineState.OPEN.value, _("Before the body")
    OBJECTED = EngineState.OBJECTED.value, _("Objection stands")
    DEFERRED = EngineState.DEFERRED.value, _("Deferred")
    VOTE_REQUESTED = EngineState.VOTE_REQUESTED.value, _("Vote requested")
    VOTING = EngineState.VOTING.value, _("Voting")
    VOTING_CLOSED = EngineState.VOTING_CLOSED.value, _("Voting closed")
    SILENCE = EngineState.SILENCE.value, _("Under silence procedure")
    SILENCE_BROKEN = EngineState.SILENCE_BROKEN.value, _("Silence broken")
    WITHDRAWN = EngineState.WITHDRAWN.value, _("Withdrawn")
    ADOPTED = EngineState.ADOPTED.value, _("Adopted")
    REJECTED = EngineState.REJECTED.value, _("Rejected")


class Question(models.Model):
    body = models.ForeignKey("forum.Body", on_delete=models.PROTECT, related_name="questions")
    session = models.ForeignKey(
        "forum.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    agenda_item = models.ForeignKey(
        "forum.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    question_type = models.CharField(max_length=16, choices=QUESTION_TYPE_CHOICES)
    subject = models.TextField()
    rulebook = models.CharField(max_length=64, help_text="Name of the rulebook the question is decided under")
    sponsors = models.JSONField(default=list, blank=True, help_text="Actor keys of the sponsors")
    # Caches for listing, rewritten by every action from the replayed question.
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFTED, db_index=True)
    how = models.CharField(max_length=16, blank=True, help_text="consensus, vote or silence, once decided")
    without_a_vote = models.BooleanField(
        default=False,
        help_text="Adopted with an objection withdrawn or a "
        "disassociation: recorded as adopted without a vote",
    )
    tally = models.JSONField(null=True, blank=True)
    silence_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session", "created_at", "id"]

    def __str__(self) -> str:
        return self.subject[:80]


class QuestionEvent(models.Model):
    """One step of the procedure, exactly as the engine recorded it (``Event.to_payload()``)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    trigger = models.CharField(max_length=32)
    payload = models.JSONField()
    at = models.DateTimeField()
    member = models.CharField(max_length=16, blank=True, help_text="Actor key acting, or 'chair'")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["question", "seq"], name="event_seq_once_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}#{self.seq} {self.trigger}"


class Vote(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")
    NOT_PARTICIPATING = "not_participating", _("Not participating")


class Ballot(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="ballots")
    actor = models.ForeignKey("actors.Actor", on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=20, choices=Vote.choices)
    cast_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question", "actor__name"]
        constraints = [models.UniqueConstraint(fields=["question", "actor"], name="one_ballot_per_member")]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.actor_id}={self.vote}"
