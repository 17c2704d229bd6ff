"""The JSON API: one NinjaAPI, one error shape, an OpenAPI document at /api/openapi.json.

Every error answers `{"error": {"status": int, "code": str, "message": str, "details": [...]}}`.
Reads are public; writes need a logged-in user with the right role (session cookie + CSRF).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

api = NinjaAPI(
    title="Consensio API",
    version="1",
    description="States, groups and statements of a negotiation by consensus.",
    urls_namespace="api",
    docs_url="/docs",
)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


def error_response(request: HttpRequest, status: int, code: str, message: str,
                   details: list[Any] | None = None) -> HttpResponse:
    return api.create_response(
        request, {"error": {"status": status, "code": code, "message": message, "details": details or []}},
        status=status,
    )


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "payload")), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    fields = ", ".join(d["field"] for d in details if d["field"]) or "the request"
    return error_response(request, 400, "invalid", f"Invalid input in {fields}.", details)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthenticated", "Log in first (session cookie and CSRF token).")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "error", str(exc))


def require_role(request: HttpRequest, *roles: str) -> None:
    from consensio.core.access import role_of

    if not request.user.is_authenticated:
        raise ApiError(401, "unauthenticated", "Log in first (session cookie and CSRF token).")
    if role_of(request.user) not in roles:
        raise ApiError(403, "forbidden", f"Only the {' or '.join(roles)} may do this.")


from consensio.actors.api import router as actors_router  # noqa: E402
from consensio.decisions.api import router as decisions_router  # noqa: E402
from consensio.drafting.api import router as drafting_router  # noqa: E402
from consensio.floor.api import router as floor_router  # noqa: E402
from consensio.forum.api import router as forum_router  # noqa: E402

api.add_router("/", actors_router)
api.add_router("/", forum_router)
api.add_router("/", drafting_router)
api.add_router("/", decisions_router)
api.add_router("/", floor_router)

__all__ = ["api", "ApiError", "django_auth", "require_role"]
