"""States, organizations and groups, their dated memberships, and the statements they deliver.

The rows mirror the roster engine (consensio.engine.roster), which is the source of the
reference facts; `consensio.actors.reference.sync_reference` keeps them in step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    STATE = "state", _("State")
    ORGANIZATION = "organization", _("Organization")


class Actor(models.Model):
    key = models.CharField(max_length=16, unique=True, help_text="ISO 3166 alpha-3 for a State; EU for the Union")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=ActorKind.choices)
    iso3 = models.CharField(max_length=3, null=True, blank=True, unique=True)
    un_member = models.BooleanField(default=False)
    observer = models.BooleanField(default=False)
    can_vote = models.BooleanField(default=False)
    regional_group = models.CharField(max_length=64, blank=True)
    special_case = models.CharField(max_length=64, blank=True)
    eu_member = models.BooleanField(default=False)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupKind(models.TextChoices):
    REGIONAL = "regional", _("UN regional group")
    ORGANIZATION = "organization", _("Organization and its member States")
    NEGOTIATING = "negotiating", _("Negotiating group")
    AD_HOC = "ad_hoc", _("Ad hoc group")


class Group(models.Model):
    key = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, choices=GroupKind.choices)
    aliases = models.JSONField(default=list, blank=True)
    # False where the roster does not know the membership: the group is then shown
    # without a member list rather than with a wrong one.
    members_known = models.BooleanField(default=True)
    members = models.ManyToManyField(Actor, through="GroupMembership", related_name="groups")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "actor", "since"], name="membership_once_per_start"),
        ]
        ordering = ["group", "actor__name"]

    def __str__(self) -> str:
        return f"{self.actor} in {self.group}"


class Statement(models.Model):
    title = models.CharField(max_length=300)
    text = models.TextField()
    source = models.CharField(max_length=300, blank=True, help_text="Where the text came from: a URL, a meeting")
    delivered_on = models.DateField(null=True, blank=True)
    delivered_by = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="statements_delivered")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-delivered_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PartyRole(models.TextChoices):
    ON_BEHALF_OF = "on_behalf_of", _("On behalf of")
    ALIGNED = "aligned", _("Aligned")


class StatementParty(models.Model):
    """One entry of a statement's list: an actor or a group, in the order the text gives."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=16, choices=PartyRole.choices)
    position = models.PositiveIntegerField()
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="statement_parties")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="statement_parties")
    listed_under = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["statement", "role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "role", "position"], name="party_position_unique"),
            models.CheckConstraint(
                condition=(models.Q(actor__isnull=False, group__isnull=True)
                           | models.Q(actor__isnull=True, group__isnull=False)),
                name="party_is_actor_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.actor or self.group}"
