"""JSON API of the floor app (mounted under /api/ by consensio.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["floor"])
