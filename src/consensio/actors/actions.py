"""Writes for actors and statements. Every write goes through a do_* function here."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from consensio.actors.models import Actor, Group, PartyRole, Statement, StatementParty
from consensio.actors.resolution import Resolution, resolve_statement
from consensio.core.live import send_on_commit
from consensio.records.journal import append_journal


class StatementRejected(ValueError):
    """The statement cannot be saved as it stands; `errors` say why, each naming the problem."""

    def __init__(self, errors: list[str], resolution: Resolution | None = None) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors
        self.resolution = resolution


@transaction.atomic
def do_save_statement(
    user: Any,
    *,
    title: str,
    text: str,
    source: str = "",
    delivered_on: dt.date | None = None,
    picks: dict[int, str] | None = None,
) -> Statement:
    """Parse and save a statement with its parties.

    `picks` maps the start offset of each name the parser could not resolve to the key of
    the actor the secretariat chose for it, or "" to leave the name out. Any name left
    neither resolved nor picked stops the save: nothing is written in part.
    """
    title = title.strip()
    errors: list[str] = []
    if not title:
        errors.append("Title: give the statement a title.")
    resolution = resolve_statement(text, picks or {})
    errors.extend(resolution.errors)
    if errors:
        raise StatementRejected(errors, resolution)

    keys = {p.actor_key for p in resolution.parties if p.actor_key} | {p.listed_under for p in resolution.parties if p.listed_under}
    if resolution.delivered_by:
        keys.add(resolution.delivered_by)
    actors = {a.key: a for a in Actor.objects.filter(key__in=keys)}
    groups = {g.key: g for g in Group.objects.filter(key__in={p.group_key for p in resolution.parties if p.group_key})}

    statement = Statement.objects.create(
        title=title,
        text=text,
        source=source.strip(),
        delivered_on=delivered_on,
        delivered_by=actors.get(resolution.delivered_by) if resolution.delivered_by else None,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        problems=resolution.problems,
    )
    StatementParty.objects.bulk_create(
        StatementParty(
            statement=statement,
            role=party.role,
            position=position,
            actor=actors[party.actor_key] if party.actor_key else None,
            group=groups[party.group_key] if party.group_key else None,
            listed_under=actors[party.listed_under] if party.listed_under else None,
        )
        for role in (PartyRole.ON_BEHALF_OF, PartyRole.ALIGNED)
        for position, party in enumerate(p for p in resolution.parties if p.role == role)
    )
    append_journal(
        "statement.recorded",
        {
            "statement": statement.pk,
            "title": statement.title,
            "by": user.get_username() if getattr(user, "is_authenticated", False) else None,
            "delivered_by": resolution.delivered_by,
            "on_behalf_of": [p.actor_key or p.group_key for p in resolution.parties if p.role == PartyRole.ON_BEHALF_OF],
            "aligned": [p.actor_key or p.group_key for p in resolution.parties if p.role == PartyRole.ALIGNED],
            "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        },
    )
    html = render_to_string("actors/_statement_row.html", {"statement": statement,
                                                            "party_count": len(resolution.parties)})
    send_on_commit("statements", "statement-list", html, mode="prepend")
    return statement
