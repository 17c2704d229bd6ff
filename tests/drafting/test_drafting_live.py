"""Live updates of the rolling text: a change reaches subscribers after commit, as the fragment the
page itself renders, so that "page + events = fresh page"."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from consensio.asgi import application

ART1_P1 = "chp_1__art_1__para_1"


def element(html: str, element_id: str) -> str:
    from lxml import etree
    from lxml import html as lhtml

    found = lhtml.fromstring(html).get_element_by_id(element_id)
    return etree.tostring(found, encoding="unicode", method="html")


def closing(fn):  # type: ignore[no-untyped-def]
    """Run `fn` in the worker thread and close that thread's database connection afterwards, so
    that PostgreSQL can drop the test database at the end."""
    from django.db import connection

    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return fn(*args, **kwargs)
        finally:
            connection.close()

    return sync_to_async(run)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tabled_proposal_reaches_other_screens(instrument) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_cosponsor, do_table_proposal

    async def scenario() -> list[dict[str, str]]:
        communicator = WebsocketCommunicator(
            application,
            "/ws/live/drafting/",
            headers=[(b"host", b"localhost"), (b"origin", b"http://localhost")],
        )
        connected, _ = await communicator.connect()
        assert connected
        row = await closing(do_table_proposal)(
            None, instrument, kind="insert", eid=ART1_P1, sponsor="AUT", span="measures", text=" promptly"
        )
        first = json.loads(await communicator.receive_from(timeout=5))
        await closing(do_cosponsor)(None, row, delegation="BRA")
        second = json.loads(await communicator.receive_from(timeout=5))
        await communicator.disconnect()
        return [first, second]

    first, second = asyncio.run(scenario())
    target = f"prov-{instrument.pk}-chp_1__art_1"
    assert first["target"] == target and first["mode"] == "replace"
    assert "{AUT}" in first["html"] and "{AUT, BRA}" in second["html"]
    # The last fragment is exactly what a fresh page shows for that article.
    fresh = Client().get(f"/texts/{instrument.pk}/").content.decode()
    assert element(second["html"], target) == element(fresh, target)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_delegates_editing_at_the_same_moment(instrument, make_user) -> None:  # type: ignore[no-untyped-def]
    """Two threads quote version 1 at once: one edit is saved, the other gets ConflictError."""
    import threading

    from django.db import connection

    from consensio.drafting.actions import do_edit_proposal, do_table_proposal
    from consensio.drafting.models import Proposal
    from consensio.engine.text.errors import ConflictError

    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database (shared cache) refuses a second writer instead of queueing it"
        )
    row = do_table_proposal(
        None, instrument, kind="insert", eid=ART1_P1, sponsor="AUT", span="measures", text=" a"
    )
    users = [make_user("austria", "delegate", "AUT"), make_user("austria2", "delegate", "AUT")]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(user, words: str) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        try:
            do_edit_proposal(user, Proposal.objects.get(pk=row.pk), expected_version=1, text=words)
            outcomes[words] = "saved"
        except ConflictError as exc:
            outcomes[words] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(u, w)) for u, w in zip(users, (" one", " two"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values())[0].endswith("changed meanwhile: you had version 1, it is now at 2")
    assert sorted(outcomes.values())[1] == "saved"
    saved = next(w for w, o in outcomes.items() if o == "saved")
    row.refresh_from_db()
    assert (row.text, row.version) == (saved, 2)
