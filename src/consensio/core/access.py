"""Access rules in one place.

Every view carries exactly one rule, set by a decorator here; a test walks every URL
and fails on a view without one (tests/test_access.py). Roles live on the user's
profile (consensio.accounts): secretariat, chair, delegate, observer; anyone else is
the public.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

V = TypeVar("V", bound=Callable[..., HttpResponse])

SECRETARIAT = "secretariat"
CHAIR = "chair"
DELEGATE = "delegate"
OBSERVER = "observer"


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    if profile is None:
        return SECRETARIAT if user.is_superuser else None
    return str(profile.role)


def is_secretariat(user: Any) -> bool:
    return role_of(user) == SECRETARIAT


def public(view: V) -> V:
    """Anyone, logged in or not, may see this view; it shows only public information."""
    view.access_rule = "public"  # type: ignore[attr-defined]
    return view


def roles_required(*roles: str) -> Callable[[V], V]:
    """Only logged-in users holding one of `roles`; others are sent to log in or get a 403 page."""

    def decorate(view: V) -> V:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                return forbidden(request, "This page is for the secretariat only." if roles == (SECRETARIAT,)
                                 else "Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        guarded.access_rule = "roles:" + ",".join(roles)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


secretariat_required = roles_required(SECRETARIAT)


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"status": 403, "message": message}, status=403)
