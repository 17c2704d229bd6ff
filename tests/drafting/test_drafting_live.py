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
    from lxml import etree, html as lhtml

    found = lhtml.fromstring(html).get_element_by_id(element_id)
    return etree.tostring(found, encoding="unicode", method="html")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tabled_proposal_reaches_other_screens(instrument) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_cosponsor, do_table_proposal

    async def scenario() -> list[dict[str, str]]:
        communicator = WebsocketCommunicator(application, "/ws/live/drafting/",
                                             headers=[(b"host", b"localhost"), (b"origin", b"http://localhost")])
        connected, _ = await communicator.connect()
        assert connected
        row = await sync_to_async(do_table_proposal)(None, instrument, kind="insert", eid=ART1_P1, sponsor="AUT",
                                                     span="measures", text=" promptly")
        first = json.loads(await communicator.receive_from(timeout=5))
        await sync_to_async(do_cosponsor)(None, row, delegation="BRA")
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
