"""The websocket end of live updates: a read-only subscription to one stream.

Clients never write through this socket: every change goes through an HTTP action
that checks the user's rights. Anything a client sends is ignored, so a forged
message can change nothing.

`LiveConsumer` is a plain ASGI application rather than a Channels consumer class. A
Channels consumer handles each broadcast message by waiting on two new futures at once
(the socket and the channel layer) and, unless overridden, by hopping to a thread to close
stale database connections; for one event sent to 1,000 screens those per-message costs
were most of the server's work (bench/README.md, "bench_floor"). Here one task forwards
the stream's fragments to the socket and the connection's own task only waits for the
client to leave. It never touches the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from channels.layers import get_channel_layer

from consensio.core.live import group_name, is_stream

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

# Closing code for a stream that does not exist (the handshake is refused).
UNKNOWN_STREAM = 4404


class LiveConsumer:
    """One subscriber: joins the stream's group, forwards `live.fragment` events, leaves on disconnect."""

    @classmethod
    def as_asgi(cls) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await cls(scope, receive, send).run()

        return app

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send

    async def run(self) -> None:
        if (await self.receive())["type"] != "websocket.connect":
            return
        stream = self.scope["url_route"]["kwargs"]["stream"]
        if not is_stream(stream):
            await self.send({"type": "websocket.close", "code": UNKNOWN_STREAM})
            return
        layer = get_channel_layer()
        channel = await layer.new_channel()
        group = group_name(stream)
        await layer.group_add(group, channel)
        forwarding: asyncio.Future[None] | None = None
        try:
            await self.send({"type": "websocket.accept"})
            forwarding = asyncio.ensure_future(self.forward(layer, channel))
            while (await self.receive())["type"] != "websocket.disconnect":
                pass  # a client's message is ignored
        finally:
            if forwarding is not None:
                forwarding.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await forwarding
            await layer.group_discard(group, channel)

    async def forward(self, layer: Any, channel: str) -> None:
        while True:
            event = await layer.receive(channel)
            if event.get("type") != "live.fragment":
                continue
            text = json.dumps({"target": event["target"], "html": event["html"], "mode": event["mode"]})
            await self.send({"type": "websocket.send", "text": text})
