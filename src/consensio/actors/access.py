"""Fetching actors and statements for a user: all of these are public reference facts."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from consensio.actors.models import Actor, GroupMembership, Statement, StatementParty


def statements_with_parties() -> QuerySet[Statement]:
    parties = StatementParty.objects.select_related("actor", "group", "listed_under").order_by("role", "position")
    return Statement.objects.select_related("delivered_by").prefetch_related(Prefetch("parties", queryset=parties))


def get_statement(statement_id: int) -> Statement:
    return get_object_or_404(statements_with_parties(), pk=statement_id)


def get_actor(key: str) -> Actor:
    memberships = GroupMembership.objects.select_related("group").order_by("group__kind", "group__name")
    return get_object_or_404(
        Actor.objects.prefetch_related(Prefetch("memberships", queryset=memberships)), key=key.upper()
    )
