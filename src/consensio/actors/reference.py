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

    for group in roster.groups:
        members = list(group.members)
        grow, _ = Group.objects.update_or_create(
            key=group.key,
            defaults={
                "name": group.name,
                "kind": group.kind,
                "aliases": list(group.aliases),
                "members_known": bool(getattr(group, "members_known", True)),
            },
        )
        wanted = set()
        for member in members:
            key, since, until = _membership(member)
            if key not in by_key:
                continue
            wanted.add((key, since))
            GroupMembership.objects.update_or_create(
                group=grow, actor=by_key[key], since=since, defaults={"until": until}
            )
        for m in GroupMembership.objects.filter(group=grow).select_related("actor"):
            if (m.actor.key, m.since) not in wanted:
                m.delete()


def _membership(member: Any) -> tuple[str, Any, Any]:
    """A roster member is a key, or an object with key/since/until."""
    if isinstance(member, str):
        return member, None, None
    return member.key, getattr(member, "since", None), getattr(member, "until", None)
