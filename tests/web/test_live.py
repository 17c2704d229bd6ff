"""Live updates: a websocket subscriber receives the fragment only after the transaction commits."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from consensio.asgi import application


async def connect(stream: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/live/{stream}/", headers=[(b"host", b"localhost"),
                                                                                      (b"origin", b"http://localhost")])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_saved_statement_reaches_subscribers_after_commit(seed_text: str) -> None:
    from consensio.actors.actions import do_save_statement

    async def scenario() -> dict[str, str]:
        communicator = await connect("statements")
        await sync_to_async(do_save_statement)(None, title="Live one", text=seed_text)
        message = json.loads(await communicator.receive_from(timeout=5))
        # Anything a client sends is ignored: a forged message changes nothing.
        await communicator.send_to(text_data=json.dumps({"target": "statement-list", "html": "<li>forged</li>"}))
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return message

    message = asyncio.run(scenario())
    assert message["target"] == "statement-list"
    assert message["mode"] == "prepend"
    assert "Live one" in message["html"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nothing_is_sent_when_the_transaction_rolls_back() -> None:
    from consensio.actors.actions import StatementRejected, do_save_statement

    async def scenario() -> bool:
        communicator = await connect("statements")
        with pytest.raises(StatementRejected):
            await sync_to_async(do_save_statement)(None, title="", text="On behalf of Austria")
        nothing = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return nothing

    assert asyncio.run(scenario())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_meetings_stream_carries_that_meeting_only() -> None:
    from django.db import connections, transaction

    from consensio.core.live import scoped, send_on_commit

    def send(meeting: int) -> None:
        with transaction.atomic():
            send_on_commit(scoped("floor", meeting), f"floor-{meeting}-now", f"<section>room {meeting}</section>")

    async def scenario() -> tuple[dict[str, str], bool, dict[str, str]]:
        room_7 = await connect(scoped("floor", 7))
        room_8 = await connect("floor-8")
        await sync_to_async(send)(8)
        to_8 = json.loads(await room_8.receive_from(timeout=5))
        nothing_for_7 = await room_7.receive_nothing(timeout=0.3)
        await sync_to_async(send)(7)
        to_7 = json.loads(await room_7.receive_from(timeout=5))
        for communicator in (room_7, room_8):
            await communicator.disconnect()
        await sync_to_async(connections.close_all)()  # the worker thread's connection, before teardown
        return to_8, nothing_for_7, to_7

    to_8, nothing_for_7, to_7 = asyncio.run(scenario())
    assert to_8["target"] == "floor-8-now" and nothing_for_7 and to_7["html"] == "<section>room 7</section>"


def test_scoped_names_are_checked() -> None:
    from consensio.core.live import is_stream, scoped

    assert scoped("floor", 12) == "floor-12" and is_stream("floor-12")
    for name in ("floor", "floor-", "floor-x", "floor-012", "floor--1", "statements-3", "secrets-1"):
        assert not is_stream(name), name
    with pytest.raises(ValueError):
        scoped("statements", 1)


@pytest.mark.django_db
@pytest.mark.parametrize("stream", ["secrets", "floor", "floor-x", "statements-3"])
def test_unknown_stream_is_refused(stream: str) -> None:
    async def scenario() -> bool:
        communicator = WebsocketCommunicator(application, f"/ws/live/{stream}/", headers=[(b"host", b"localhost"),
                                                                                         (b"origin", b"http://localhost")])
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert asyncio.run(scenario()) is False
