"""Who a user is in the negotiation: their role, and the delegation they act for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    CHAIR = "chair", _("Chair")
    DELEGATE = "delegate", _("Delegate")
    OBSERVER = "observer", _("Observer")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=Role.choices)
    # The delegation a delegate or observer speaks for; a delegate acts only for this actor.
    actor = models.ForeignKey("actors.Actor", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"
