"""The websocket end of live updates: a read-only subscription to one stream.

Clients never write through this socket: every change goes through an HTTP action
that checks the user's rights. Anything a client sends is ignored, so a forged
message can change nothing.
"""

from __future__ import annotations

import json
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from consensio.core.live import STREAMS, group_name


class LiveConsumer(AsyncWebsocketConsumer):
    stream: str

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes stale database connections in a thread before every handler call,
        # once per client per broadcast; this consumer never touches the database, so the
        # hop is skipped (research/perf-baseline.md: about 3x faster fan-out to 1,000 clients).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        self.stream = self.scope["url_route"]["kwargs"]["stream"]
        if self.stream not in STREAMS:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(group_name(self.stream), self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "stream", None) in STREAMS:
            await self.channel_layer.group_discard(group_name(self.stream), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return None

    async def live_fragment(self, event: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps({"target": event["target"], "html": event["html"], "mode": event["mode"]}))
