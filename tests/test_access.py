"""Every page carries an explicit access rule; a view without one fails this test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Namespaces whose views enforce access in their own way, each tested where it is defined:
# the admin (staff only) and the JSON API (tests/web/test_*_api.py check every write).
ALLOWED_NAMESPACES = {"admin", "api"}


def walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, Any, str | None]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback, namespace


def test_every_view_has_an_access_rule() -> None:
    missing = []
    seen = 0
    for route, callback, namespace in walk(get_resolver().url_patterns):
        if namespace in ALLOWED_NAMESPACES:
            continue
        seen += 1
        if not getattr(callback, "access_rule", None):
            missing.append(route)
    assert seen >= 8
    assert missing == [], f"views without an access rule: {missing}"
