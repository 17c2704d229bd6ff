"""Whole public pages, rendered once and served again while the data behind them is unchanged.

Who it is for: readers who are not logged in (the public, the screen in the room, a press
officer refreshing the document list). A request qualifies when it is a GET or HEAD that
carries neither a session cookie nor a messages cookie: such a reader is anonymous for
certain, and nothing on the page depends on who they are. Everyone else gets the page
rendered for them, as before.

Two parts: views opt in with ``@cached_page`` (under their access rule); ``PageCacheMiddleware``
sits just below WhiteNoise and answers a qualifying request from the cache before the session,
locale, CSRF, authentication and messages middleware run — the stored response is the one
those middleware produced on the first request, headers included. Entries are keyed by the
full path and the language the locale middleware would choose (cookie, then Accept-Language).

When an entry is valid: it was rendered at the journal's last entry number (every ``do_*``
action appends to the journal inside its transaction, so that number moves with every
change an action makes), it is younger than ``PAGE_CACHE_SECONDS``, and no registered
clock says the page changes by itself before now (a silence procedure that ends, see
``changes_at``). A change made outside the actions (Django's admin) reaches the cached
pages within ``PAGE_CACHE_SECONDS``. The number is read before the view runs, so an entry
is never labelled newer than what it shows.

What is per request: the server's clock (the floor's timer corrects the reader's clock by it)
is rendered as a placeholder and filled in on the way out. A page that carries a CSRF token
(a form that posts) is never stored: it is rendered with a placeholder token, which is then
replaced by the reader's own. The language switch is a GET form for this reason. The
placeholders carry a random part chosen when the process starts, so no text can contain one.

The cache lives in each server process's memory, bounded by ``PAGE_CACHE_MAX_BYTES`` (least
recently used entries go first). ``PAGE_CACHE_SECONDS = 0`` turns it off.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language_from_request

from consensio.records.journal import last_seq

V = TypeVar("V", bound=Callable[..., HttpResponse])

CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(16)
NOW_PLACEHOLDER = "now" + secrets.token_hex(16)
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()
_NOW_BYTES = NOW_PLACEHOLDER.encode()
_RENDERING = "_consensio_page_cache_render"
_QUALIFIES = "_consensio_page_cache_qualifies"
# Headers not kept with an entry: the server sets them on every response anyway.
_NOT_KEPT = {"content-length", "set-cookie", "date", "server", "x-page-cache"}

# Functions that return the next moment (aware datetime) after `now` at which some page
# changes with no write at all, or None; registered by the apps that have such moments.
_clocks: list[Callable[[dt.datetime], dt.datetime | None]] = []


def changes_at(clock: Callable[[dt.datetime], dt.datetime | None]) -> Callable[[dt.datetime], dt.datetime | None]:
    """Register a clock (usable as a decorator): no entry outlives the moment it returns."""
    _clocks.append(clock)
    return clock


@dataclass(frozen=True)
class Entry:
    version: int
    expires: float  # time.monotonic()
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    has_now: bool


class PageCache:
    """A least-recently-used map bounded by the bytes of its bodies; safe across threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, ...]) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, ...], entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


_cache: PageCache | None = None


def cache() -> PageCache:
    global _cache
    if _cache is None:
        _cache = PageCache(int(getattr(settings, "PAGE_CACHE_MAX_BYTES", 64 * 1024 * 1024)))
    return _cache


def clear() -> None:
    cache().clear()


def _qualifies(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def rendering_for_cache(request: HttpRequest) -> bool:
    return bool(getattr(request, _RENDERING, False))


def server_now(request: HttpRequest) -> str:
    """The server's clock in ISO 8601 for the page, or the placeholder filled in when served."""
    return NOW_PLACEHOLDER if rendering_for_cache(request) else timezone.now().isoformat()


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor: while a page is rendered for the cache, forms carry the placeholder."""
    return {"csrf_token": CSRF_PLACEHOLDER} if rendering_for_cache(request) else {}


def _lifetime(now: dt.datetime) -> float:
    seconds = float(settings.PAGE_CACHE_SECONDS)
    for clock in _clocks:
        moment = clock(now)
        if moment is not None:
            seconds = min(seconds, max(0.0, (moment - now).total_seconds()))
    return seconds


def _fill_now(body: bytes) -> bytes:
    return body.replace(_NOW_BYTES, timezone.now().isoformat().encode())


def cached_page(view: V) -> V:
    """Let the page cache keep what `view` renders for readers who qualify (see the module's text)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request, _QUALIFIES, False):  # logged in, or the middleware is not installed
            return view(request, *args, **kwargs)
        version = last_seq()  # before rendering: an entry is never labelled newer than it is
        setattr(request, _RENDERING, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            setattr(request, _RENDERING, False)
        if response.streaming:
            return response
        body = response.content
        if _CSRF_BYTES in body:
            # A form that posts: the page is the reader's own. Not stored; their token goes in.
            response.content = body.replace(_CSRF_BYTES, get_token(request).encode())
        elif response.status_code == 200:
            response.page_cache = (version, body, _NOW_BYTES in body)  # type: ignore[attr-defined]
        if _NOW_BYTES in body:
            response.content = _fill_now(response.content)
        return response

    return wrapper  # type: ignore[return-value]


class PageCacheMiddleware:
    """Answer qualifying requests from the cache; keep the responses that ``@cached_page`` marks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _qualifies(request):
            return self.get_response(request)
        store = cache()
        language = get_language_from_request(request)
        key = (request.get_full_path(), language)
        entry = store.get(key)
        # The version is read only where an entry exists: other views cost no query.
        if entry is not None and entry.expires > time.monotonic() and entry.version == last_seq():
            store.hits += 1
            response = HttpResponse(_fill_now(entry.body) if entry.has_now else entry.body, status=entry.status)
            for name, value in entry.headers:
                response.headers[name] = value
            response.headers["X-Page-Cache"] = "hit"
            return response
        store.misses += 1
        setattr(request, _QUALIFIES, True)
        response = self.get_response(request)
        marked = getattr(response, "page_cache", None)
        if marked is None:
            return response
        response.headers["X-Page-Cache"] = "miss"
        if response.cookies or response.headers.get("Content-Language", language) != language:
            return response
        rendered_at, body, has_now = marked
        store.put(
            key,
            Entry(
                version=rendered_at,
                expires=time.monotonic() + _lifetime(timezone.now()),
                status=response.status_code,
                body=body,
                headers=tuple((k, v) for k, v in response.headers.items() if k.lower() not in _NOT_KEPT),
                has_now=has_now,
            ),
        )
        return response
