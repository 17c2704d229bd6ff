"""`consensio demo` loads the demo once; running it again changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from consensio.actors.models import Actor, GroupMembership, Statement
from consensio.demo import DEMO_ACCOUNTS, load_demo
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, ...]:
    return (
        get_user_model().objects.count(),
        Actor.objects.count(),
        GroupMembership.objects.count(),
        Statement.objects.count(),
        JournalEntry.objects.count(),
    )


def test_demo_is_idempotent() -> None:
    assert load_demo() is True
    first = snapshot()
    assert load_demo() is False
    assert snapshot() == first


def test_every_demo_account_can_log_in_with_the_printed_password() -> None:
    load_demo()
    for account in DEMO_ACCOUNTS:
        client = Client()
        assert client.login(username=account.username, password=account.password), account.username
        assert client.get("/").status_code == 200


def test_the_seed_statement_is_in_the_demo() -> None:
    load_demo()
    statement = Statement.objects.get()
    assert statement.parties.filter(actor__kind="state").count() == 40
    assert statement.parties.filter(actor__key="EU").exists()
