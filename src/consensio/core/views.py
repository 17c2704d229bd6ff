"""Home, log-in with a failure limit, log-out and the language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from consensio.core.access import public
from consensio.core.pagecache import cached_page

# Failed log-ins allowed per address and per username within the window, before a pause.
LOGIN_FAILURE_LIMIT = 5
LOGIN_WINDOW_SECONDS = 300


@public
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    from consensio.actors.models import Actor, Statement

    context = {
        "member_count": Actor.objects.filter(un_member=True).count(),
        "recent_statements": Statement.objects.select_related("delivered_by")[:5],
    }
    return render(request, "core/home.html", context)


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _failure_keys(request: HttpRequest, username: str) -> list[str]:
    return [f"login-fail:addr:{_client_address(request)}", f"login-fail:user:{username.strip().lower()}"]


@public
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = AuthenticationForm(request, data=request.POST or None)
    status = 200
    if request.method == "POST":
        keys = _failure_keys(request, request.POST.get("username", ""))
        if any((cache.get(k) or 0) >= LOGIN_FAILURE_LIMIT for k in keys):
            limited = _("Too many failed log-ins. Wait five minutes and try again.")
            return render(request, "core/login.html", {"form": AuthenticationForm(request), "next": next_url,
                                                       "limited": limited}, status=429)
        if form.is_valid():
            for k in keys:
                cache.delete(k)
            auth_login(request, form.get_user())
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        for k in keys:
            cache.add(k, 0, LOGIN_WINDOW_SECONDS)
            cache.incr(k)
        status = 400
    return render(request, "core/login.html", {"form": form, "next": next_url}, status=status)


@public
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("home")


@public
@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: a cookie, then back to the page the reader was on.

    The switch on every page is a GET form, so that pages for readers who are not logged in
    carry no CSRF token and can be served from the page cache (core/pagecache.py); a
    language choice is a preference, not a change to the record. POST still works (with
    the CSRF check), as Django's own view expects it.
    """
    params = request.POST if request.method == "POST" else request.GET
    code = params.get("language", "")
    if code not in dict(settings.LANGUAGES):
        return render(request, "core/error.html",
                      {"status": 400, "message": _("Unknown language code: %(code)s") % {"code": code[:20]}},
                      status=400)
    if request.method == "POST":
        return django_set_language(request)
    target = params.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The error page, or for the API the one JSON error shape."""
    if request.path.startswith("/api/"):
        body = {"error": {"status": status, "code": code, "message": str(message), "details": []}}
        return JsonResponse(body, status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return _error(request, 400, "too_large",
                      _("The request is larger than %(n)s bytes; send less at a time.") % {"n": f"{limit:,}"})
    return _error(request, 400, "bad_request", _("The request could not be read."))


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "forbidden", _("You may not do this."))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "not_found", _("There is no page at this address."))


def error_500(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "server_error", _("Something went wrong on our side; nothing was saved."))
