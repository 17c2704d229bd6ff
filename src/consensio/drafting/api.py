"""JSON API of the drafting app (mounted under /api/ by consensio.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["drafting"])
