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


@pytest.mark.django_db
def test_unknown_stream_is_refused() -> None:
    async def scenario() -> bool:
        communicator = WebsocketCommunicator(application, "/ws/live/secrets/", headers=[(b"host", b"localhost"),
                                                                                       (b"origin", b"http://localhost")])
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert asyncio.run(scenario()) is False
