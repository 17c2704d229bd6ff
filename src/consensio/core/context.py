"""Template context shared by every page: who is looking, in which role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from consensio.core.access import role_of


def persona(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None else None
    profile = getattr(user, "profile", None) if role else None
    return {
        "role": role,
        "delegation": getattr(profile, "actor", None),
    }
