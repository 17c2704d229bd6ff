"""Negotiating texts in the database: an instrument's provisions, their status history, the
proposals delegations table on them with their co-sponsors, and named versions.

The rows carry the fields the text engine (consensio.engine.text) reads, under the engine's
names where they can; `consensio.drafting.text` turns them into engine values in one place.
Delegations are referred to by their roster key (ISO 3166 alpha-3, or EU), which is also the
code printed in a bracket's attribution: `[words]{EU, JPN}`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consensio.engine.text.proposals import ProposalKind as EngineProposalKind
from consensio.engine.text.proposals import ProposalStatus as EngineProposalStatus
from consensio.engine.text.status import Status as EngineStatus
from consensio.engine.text.tree import Kind as EngineKind


class ProvisionKind(models.TextChoices):
    PREAMBLE_PARAGRAPH = EngineKind.PREAMBLE_PARAGRAPH.value, _("Preambular paragraph")
    CHAPTER = EngineKind.CHAPTER.value, _("Chapter")
    ARTICLE = EngineKind.ARTICLE.value, _("Article")
    PARAGRAPH = EngineKind.PARAGRAPH.value, _("Paragraph")
    SUBPARAGRAPH = EngineKind.SUBPARAGRAPH.value, _("Subparagraph")


class Status(models.TextChoices):
    OPEN = EngineStatus.OPEN.value, _("Open")
    INFORMALLY_AGREED = EngineStatus.INFORMALLY_AGREED.value, _("Informally agreed")
    AGREED_AD_REF = EngineStatus.AGREED_AD_REF.value, _("Agreed ad referendum")
    ADOPTED = EngineStatus.ADOPTED.value, _("Adopted")
    DELETED = EngineStatus.DELETED.value, _("Deleted")


class ProposalKind(models.TextChoices):
    INSERT = EngineProposalKind.INSERT.value, _("Insert words")
    DELETE = EngineProposalKind.DELETE.value, _("Delete words")
    REPLACE = EngineProposalKind.REPLACE.value, _("Replace words")
    ALTERNATIVE = EngineProposalKind.ALTERNATIVE.value, _("Alternative wording")
    ADD_PROVISION = EngineProposalKind.ADD_PROVISION.value, _("New provision")
    DELETE_PROVISION = EngineProposalKind.DELETE_PROVISION.value, _("Delete the provision")


class ProposalStatus(models.TextChoices):
    TABLED = EngineProposalStatus.TABLED.value, _("Tabled")
    WITHDRAWN = EngineProposalStatus.WITHDRAWN.value, _("Withdrawn")
    MERGED = EngineProposalStatus.MERGED.value, _("Merged")
    NOT_RETAINED = EngineProposalStatus.NOT_RETAINED.value, _("Not retained")
    SUPERSEDED = EngineProposalStatus.SUPERSEDED.value, _("Superseded")


class Instrument(models.Model):
    title = models.CharField(max_length=500)
    body = models.ForeignKey(
        "forum.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="instruments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Provision(models.Model):
    """One node of the instrument's base text. `parent` is the parent's eId ("" for the body,
    "preamble" for the preamble); `position` is the document order, a parent before its children."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="provisions")
    eid = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=ProvisionKind.choices)
    parent = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField()
    heading = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    # The latest entry of the status history, kept here so that the rolling text reads one table.
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "eid"], name="provision_eid_unique"),
        ]

    def __str__(self) -> str:
        return self.eid


class ProvisionStatus(models.Model):
    """One status change of a provision: who set it, when, and the decision it rests on."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=24, choices=Status.choices)
    trigger = models.CharField(max_length=24, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()
    decision_ref = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["provision", "set_at", "id"]

    def __str__(self) -> str:
        return f"{self.provision_id}: {self.status}"


class Proposal(models.Model):
    """A proposal tabled by a delegation on one provision. `eid` is the provision it changes (for
    a new provision: the one it follows, or its parent when `new_parent` equals it)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="proposals")
    eid = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=ProposalKind.choices)
    sponsor = models.ForeignKey("actors.Actor", to_field="key", on_delete=models.PROTECT, related_name="+")
    tabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tabled_at = models.DateTimeField()
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    quoted = models.TextField(blank=True)
    heading = models.CharField(max_length=500, blank=True)
    new_eid = models.CharField(max_length=200, blank=True)
    new_kind = models.CharField(max_length=24, blank=True)
    new_parent = models.CharField(max_length=200, blank=True)
    justification = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.TABLED)
    # Optimistic concurrency: every change quotes the version it read and bumps it.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["instrument", "tabled_at", "id"]
        indexes = [models.Index(fields=["instrument", "eid"], name="proposal_instrument_eid")]

    def __str__(self) -> str:
        return f"P{self.pk} ({self.sponsor_id} on {self.eid})"


class CoSponsorship(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosponsorships")
    delegation = models.ForeignKey("actors.Actor", to_field="key", on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.delegation_id} on P{self.proposal_id}"


class Version(models.Model):
    """A named, immutable snapshot of the rolling text, stored in the bracket notation."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=80)
    notation = models.TextField()
    taken_at = models.DateTimeField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["instrument", "taken_at", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "name"], name="version_name_unique")]

    def __str__(self) -> str:
        return self.name
