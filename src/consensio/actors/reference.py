"""Keep the actor tables in step with the roster engine's reference facts.

Idempotent: run it any number of times (the migration runs it once; `consensio demo`
runs it again) and the tables end in the same state. Rows are matched by key, so
statements that point at actors keep pointing at them.
"""

from __future__ import annotations

from typing import Any


def sync_reference(apps: Any = None, schema_editor: Any = None) -> None:
    from consensio.engine.roster import load_roster

    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Actor = apps.get_model("actors", "Actor")
    Group = apps.get_model("actors", "Group")
    GroupMembership = apps.get_model("actors", "GroupMembership")
    roster = load_roster()

    by_key: dict[str, Any] = {}
    for actor in roster.actors:
        row, _ = Actor.objects.update_or_create(
            key=actor.key,
            defaults={
                "name": actor.name,
                "kind": actor.kind,
                "iso3": actor.iso3,
                "un_member": actor.un_member,
                "observer": actor.observer,
                "can_vote": actor.can_vote,
                "regional_group": actor.regional_group or "",
                "special_case": actor.special_case or "",
                "eu_member": actor.eu_member,
                "aliases": list(actor.aliases),
            },
        )
        by_key[actor.key] = row

    for group in roster.groups.values():
        grow, _ = Group.objects.update_or_create(
            key=group.key,
            defaults={
                "name": group.name,
                "kind": group.kind,
                "aliases": list(group.aliases),
                "members_known": group.members_known,
            },
        )
        wanted = set()
        for membership in group.memberships:
            if membership.member not in by_key:
                continue
            wanted.add((membership.member, membership.start))
            GroupMembership.objects.update_or_create(
                group=grow,
                actor=by_key[membership.member],
                since=membership.start,
                defaults={"until": membership.end, "note": "" if membership.role == "member" else membership.role},
            )
        for m in GroupMembership.objects.filter(group=grow).select_related("actor"):
            if (m.actor.key, m.since) not in wanted:
                m.delete()
