"""Fixtures for the drafting tests: a small draft convention stored through do_import_text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

PASSWORD = "a-long-test-password-17"  # the personas' password (tests/conftest.py)

DRAFT = """Title: Draft convention (test)

Preamble
The States Parties to this Convention,

Chapter I — General provisions

Article 1 — Purposes
1. Each State Party shall adopt measures to prevent misuse of systems.
2. States Parties shall cooperate to the widest extent possible.

Article 2 — Terms used
For the purposes of this Convention, a system means any device.

Chapter II — Criminalization

Article 3 — Entry without right
1. Each State Party shall establish entry without right as an offence.
(a) when committed intentionally;
(b) when committed by means of a system.
2. A State Party may require that the offence be committed by infringing security measures.
"""


@pytest.fixture
def instrument(db: None):  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_import_text

    return do_import_text(None, data=DRAFT.encode(), filename="draft.txt")


@pytest.fixture
def table(instrument):  # type: ignore[no-untyped-def]
    """table(sponsor, eid, kind, **fields) tables a proposal as the system, on the delegation's behalf."""
    from consensio.drafting.actions import do_table_proposal

    def make(sponsor: str, eid: str, kind: str = "replace", **fields: object):  # type: ignore[no-untyped-def]
        return do_table_proposal(None, instrument, kind=kind, eid=eid, sponsor=sponsor, **fields)

    return make


@pytest.fixture
def delegate(make_user: Callable[..., object]) -> Callable[[str, str], object]:
    """A logged-in client for another delegate: delegate("austria2", "AUT")."""
    from django.test import Client

    def login(username: str, key: str) -> Client:
        make_user(username, "delegate", key)
        client = Client()
        assert client.login(username=username, password=PASSWORD)
        return client

    return login  # type: ignore[return-value]
