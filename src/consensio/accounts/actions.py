"""Writes to accounts: creating users with their role (used by the demo and the secretariat)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from consensio.accounts.models import Profile, Role
from consensio.records.journal import append_journal


@transaction.atomic
def do_create_user(username: str, password: str, role: str, actor_key: str | None = None,
                   full_name: str = "") -> AbstractBaseUser:
    from consensio.actors.models import Actor

    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(Role.values)}")
    actor = None
    if role in (Role.DELEGATE, Role.OBSERVER):
        if not actor_key:
            raise ValueError(f"a {role} must belong to a delegation")
        actor = Actor.objects.get(key=actor_key)
        if role == Role.DELEGATE and not actor.un_member:
            raise ValueError(f"{actor.name} is not a Member State: register its representatives as observers")
    first, _, last = full_name.partition(" ")
    user = get_user_model().objects.create_user(username=username, password=password, first_name=first, last_name=last)
    Profile.objects.create(user=user, role=role, actor=actor)
    # Who may act for whom is part of the record; the password never is.
    append_journal("account.created", {"username": username, "role": role, "delegation": actor.key if actor else None})
    return user
