"""Shared fixtures: the personas of the negotiation, each a logged-in test client."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

PASSWORD = "a-long-test-password-17"

PERSONAS = {
    # name: (role, delegation)
    "secretariat": ("secretariat", None),
    "chair": ("chair", "DZA"),
    "austria": ("delegate", "AUT"),
    "brazil": ("delegate", "BRA"),
    "observer": ("observer", "EU"),
}


@pytest.fixture
def make_user(db: None) -> Callable[..., object]:
    from consensio.accounts.actions import do_create_user

    def make(username: str, role: str, delegation: str | None = None) -> object:
        return do_create_user(username, PASSWORD, role, delegation)

    return make


@pytest.fixture
def persona(make_user: Callable[..., object]) -> Callable[[str], Client]:
    """persona("austria") -> a client logged in as the delegate of Austria; persona("anonymous") -> no log-in."""

    def client_for(name: str) -> Client:
        client = Client()
        if name == "anonymous":
            return client
        role, delegation = PERSONAS[name]
        make_user(name, role, delegation)
        assert client.login(username=name, password=PASSWORD)
        return client

    return client_for


@pytest.fixture
def seed_text() -> str:
    from consensio.demo import seed_statement_text

    return seed_statement_text()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """The log-in failure counter lives in the cache, public pages in the page cache; each test
    starts with neither (the test database is emptied between tests, the journal with it)."""
    from django.core.cache import cache

    from consensio.core import pagecache

    cache.clear()
    pagecache.clear()
