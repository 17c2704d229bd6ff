"""The forum: negotiating bodies, their bureau, sessions, meetings, agenda, delegations,
documents (with language versions and full-text search) and the venues they meet at.

Writes go through consensio.forum.actions; reads of anything guarded through
consensio.forum.access.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

# The six official languages of the United Nations, with the PostgreSQL text search
# configuration used for each ('simple' where PostgreSQL has no stemmer).
LANGUAGES = [("ar", _("Arabic")), ("zh", _("Chinese")), ("en", _("English")),
             ("fr", _("French")), ("ru", _("Russian")), ("es", _("Spanish"))]
SEARCH_CONFIG = {"ar": "simple", "zh": "simple", "en": "english", "fr": "french", "ru": "russian", "es": "spanish"}


class Venue(models.Model):
    key = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=160)
    city = models.CharField(max_length=80)
    country = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["city", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class FigureKind(models.TextChoices):
    CONFERENCE = "conference_per_day", _("Conference services, per day")
    INTERPRETATION = "interpretation_per_day", _("Interpretation in six languages, per day")
    DOCUMENTATION = "documentation_per_page", _("Documentation, per page")
    SUBSISTENCE = "subsistence_per_day", _("Daily subsistence allowance, per person")
    TRAVEL = "travel_per_delegation", _("Average travel cost, per funded delegation")


class VenueFigure(models.Model):
    """One cost figure of a venue, with where it comes from and the date it was true."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(max_length=32, choices=FigureKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    source = models.CharField(max_length=400)
    as_of = models.DateField()
    illustrative = models.BooleanField(default=False, help_text="A demo value with no public source behind it")

    class Meta:
        ordering = ["venue", "kind"]
        constraints = [models.UniqueConstraint(fields=["venue", "kind"], name="one_figure_per_kind")]

    def __str__(self) -> str:
        return f"{self.venue_id}:{self.kind}={self.amount} {self.currency}"


class Body(models.Model):
    key = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=40)
    mandate = models.CharField(max_length=80, help_text="Symbol of the founding resolution, e.g. A/RES/74/247")
    mandate_adopted_on = models.DateField(null=True, blank=True)
    rulebook = models.CharField(max_length=64, help_text="Name of the rulebook, e.g. ahc-74-247")
    secretariat = models.TextField(blank=True)
    document_prefix = models.CharField(max_length=40, blank=True, help_text="e.g. A/AC.291")
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Office(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-Chair")
    RAPPORTEUR = "rapporteur", _("Rapporteur")


class BureauMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="bureau")
    office = models.CharField(max_length=16, choices=Office.choices)
    person = models.CharField(max_length=160)
    state = models.ForeignKey("actors.Actor", on_delete=models.PROTECT, related_name="+")
    regional_group = models.CharField(max_length=64)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["body", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_office_display()}: {self.person}"


class ParticipantKind(models.TextChoices):
    IGO = "igo", _("Intergovernmental organization")
    NGO = "ngo", _("Non-governmental organization (ECOSOC status)")
    OTHER = "other", _("Other stakeholder (civil society, academia, private sector)")


class Participant(models.Model):
    """An organization that takes part in a body's work but is not in the actors' roster."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=ParticipantKind.choices)
    basis = models.CharField(max_length=300, blank=True, help_text="e.g. A/RES/75/282, operative paragraph 9")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Standing(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class BodyMembership(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    actor = models.ForeignKey("actors.Actor", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    standing = models.CharField(max_length=8, choices=Standing.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(actor__isnull=False) ^ models.Q(participant__isnull=False),
                                   name="membership_actor_xor_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.body_id}:{self.actor_id or self.participant_id} ({self.standing})"


class Session(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    starts_on = models.DateField()
    ends_on = models.DateField()
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="sessions")
    room = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["body", "starts_on", "position"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="session_ends_after_start")]

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField(max_length=12)
    title = models.CharField(max_length=400)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="agenda_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeetingKind(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal")


class Meeting(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=8, choices=MeetingKind.choices, default=MeetingKind.FORMAL)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    room = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=200, blank=True)
    # The programme of work: which agenda items each meeting takes up.
    agenda_items = models.ManyToManyField(AgendaItem, blank=True, related_name="meetings")

    class Meta:
        ordering = ["session", "date", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} meeting, {self.date} {self.starts_at}"


class CredentialsStatus(models.TextChoices):
    NONE = "none", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted by the secretariat")


class Delegation(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="delegations")
    actor = models.ForeignKey("actors.Actor", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    standing = models.CharField(max_length=8, choices=Standing.choices)
    credentials = models.CharField(max_length=10, choices=CredentialsStatus.choices, default=CredentialsStatus.NONE)
    credentials_submitted_at = models.DateTimeField(null=True, blank=True)
    credentials_submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                 on_delete=models.SET_NULL, related_name="+")
    credentials_accepted_at = models.DateTimeField(null=True, blank=True)
    credentials_accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["session", "standing", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(actor__isnull=False) ^ models.Q(participant__isnull=False),
                                   name="delegation_actor_xor_participant"),
            models.UniqueConstraint(fields=["session", "actor"], name="one_delegation_per_actor"),
            models.UniqueConstraint(fields=["session", "participant"], name="one_delegation_per_participant"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.actor.name if self.actor else self.participant.name  # type: ignore[union-attr]


def can_vote(delegation: Delegation) -> bool:
    """The one rule on who votes: a Member State's delegation. Observers (observer States,
    the EU, intergovernmental and non-governmental organizations) never vote; a delegation
    whose credentials are pending takes part provisionally with the same rights (GA rule 29)."""
    return (
        delegation.standing == Standing.MEMBER
        and delegation.actor is not None
        and delegation.actor.un_member
        and delegation.actor.can_vote
    )


class DelegateFunction(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    ALTERNATE = "alternate", _("Alternate")
    ADVISER = "adviser", _("Adviser")


class Delegate(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(max_length=160)
    function = models.CharField(max_length=10, choices=DelegateFunction.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        ordering = ["delegation", "function", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_function_display()})"


class DocumentType(models.TextChoices):
    WORKING_PAPER = "working_paper", _("Working paper")
    CONFERENCE_ROOM_PAPER = "crp", _("Conference room paper")
    DRAFT_TEXT = "draft_text", _("Draft text")
    REPORT = "report", _("Report")
    SUBMISSION = "submission", _("Submission")
    STATEMENT = "statement", _("Statement")


class Distribution(models.TextChoices):
    GENERAL = "general", _("General")
    LIMITED = "limited", _("Limited")
    RESTRICTED = "restricted", _("Restricted")


class Document(models.Model):
    symbol = models.CharField(max_length=80, unique=True)
    base_symbol = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=400)
    doc_type = models.CharField(max_length=16, choices=DocumentType.choices)
    distribution = models.CharField(max_length=10, choices=Distribution.choices, db_index=True)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    issued_on = models.DateField(null=True, blank=True)
    sessions = models.ManyToManyField(Session, blank=True, related_name="documents")
    agenda_items = models.ManyToManyField(AgendaItem, blank=True, related_name="documents")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["symbol"]

    def __str__(self) -> str:
        return self.symbol


class LanguageVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    file = models.FileField(upload_to="forum/documents/")
    file_kind = models.CharField(max_length=4)  # pdf or docx
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    search_config = models.CharField(max_length=16, default="simple")
    # PostgreSQL only (GIN-indexed by migration 0002, stored inline in the row by 0003 so that
    # matching and ranking read no TOAST); on SQLite the FTS5 table is used instead.
    search_vector = SearchVectorField(null=True, editable=False)
    # A copy of document.distribution, so that the PostgreSQL search filters by access before
    # ranking without joining documents. Filled by consensio.forum.search.index_version() and
    # kept in step on PostgreSQL by a trigger on forum_document (migration 0003); the search
    # checks the document's own distribution again for the rows it returns.
    search_distribution = models.CharField(max_length=10, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["document", "language"]
        constraints = [models.UniqueConstraint(fields=["document", "language"], name="one_version_per_language")]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.language}"


