"""The journal table: one row per entry of the hash chain (consensio.engine.journal)."""

from __future__ import annotations

from django.db import models


class JournalEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.CharField(max_length=40)
    kind = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField()
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"{self.seq} {self.kind}"
