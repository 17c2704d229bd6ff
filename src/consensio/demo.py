"""The demo negotiation: reference actors, demo accounts and the seed joint statement.

`load_demo()` is idempotent: it creates what is missing and changes nothing that is
already there, so running `consensio demo` twice leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from django.db import transaction


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    delegation: str | None = None
    full_name: str = ""

    @property
    def delegation_name(self) -> str:
        if not self.delegation:
            return ""
        from consensio.actors.models import Actor

        return Actor.objects.filter(key=self.delegation).values_list("name", flat=True).first() or self.delegation


DEMO_ACCOUNTS = (
    DemoAccount("secretariat", "vienna-secretariat-2021", "secretariat", None, "Amina Secretariat"),
    DemoAccount("chair", "vienna-chair-2021", "chair", "DZA", "Demo Chair"),
    DemoAccount("austria", "vienna-austria-2021", "delegate", "AUT", "Delegate of Austria"),
    DemoAccount("brazil", "vienna-brazil-2021", "delegate", "BRA", "Delegate of Brazil"),
    DemoAccount("japan", "vienna-japan-2021", "delegate", "JPN", "Delegate of Japan"),
    DemoAccount("nigeria", "vienna-nigeria-2021", "delegate", "NGA", "Delegate of Nigeria"),
    DemoAccount("observer", "vienna-observer-2021", "observer", "EU", "Observer of the European Union"),
)

SEED_TITLE = (
    "Joint statement on the forum for negotiations and decision-making process towards the "
    "implementation of General Assembly resolution 74/247"
)


def seed_statement_text() -> str:
    return (resources.files("consensio.reference") / "examples" / "joint-statement-vienna-forum.txt").read_text("utf-8")


@transaction.atomic
def load_demo() -> bool:
    """Create the demo; returns True when anything was created."""
    from django.contrib.auth import get_user_model

    from consensio.accounts.actions import do_create_user
    from consensio.actors.actions import do_save_statement
    from consensio.actors.models import Statement
    from consensio.actors.reference import sync_reference

    created = False
    sync_reference()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        if not User.objects.filter(username=account.username).exists():
            do_create_user(account.username, account.password, account.role, account.delegation, account.full_name)
            created = True
    if not Statement.objects.filter(title=SEED_TITLE).exists():
        secretariat = User.objects.get(username="secretariat")
        do_save_statement(
            secretariat,
            title=SEED_TITLE,
            text=seed_statement_text(),
            source="Joint statement circulated before the organizational session of the Ad Hoc Committee (2021)",
            delivered_on=None,
        )
        created = True
    from consensio.forum.demo import load_forum_demo

    created = load_forum_demo() or created
    from consensio.drafting.demo import load_drafting_demo

    created = load_drafting_demo() or created
    from consensio.decisions.demo import load_decisions_demo

    created = load_decisions_demo() or created
    from consensio.floor.demo import load_floor_demo

    created = load_floor_demo() or created
    return created
