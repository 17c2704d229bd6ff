"""Bench-only server apps for bench/bench_floor.py — not part of the product, never routed by it.

Both answer `GET /__bench__/broadcast?round=K` by broadcasting one ≈270-byte live fragment
to every websocket client of the "statements" stream, and both serve websockets on
`/ws/live/statements/`.

* `product()`: the application `consensio serve` runs (consensio.commands.serve.application),
  with the trigger done the way an action does it: `send_on_commit()` inside a committed
  transaction, in a worker thread, so the event travels thread -> async_to_sync -> channel
  layer -> every LiveConsumer. `BENCH_LAYER=stock` swaps in Channels' InMemoryChannelLayer
  to show the layer this one replaced.
* `raw()`: the same protocol with no Django and no Channels — the physical floor of one
  uvicorn process on this machine.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
App = Callable[[Scope, Any, Any], Awaitable[None]]
TRIGGER = "/__bench__/broadcast"


def fragment(round_no: str) -> str:
    return (
        f'<li id="statement-{round_no}" class="statement" data-round="{round_no}">'
        f'<a href="/statements/{round_no}/">Statement {round_no} on behalf of the European Union '
        f'and its Member States</a> <span class="meta">27 States · 2026-11-29 16:00</span>'
        f'<span class="count">40 States</span></li>'
    )


async def answer(send: Any, status: int = 204) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


def round_of(scope: Scope) -> str:
    return parse_qs(scope.get("query_string", b"").decode()).get("round", ["0"])[0]


def product() -> App:
    if os.environ.get("BENCH_LAYER") == "stock":
        from django.conf import settings

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from consensio.commands.serve import application

    app = application()

    def raise_event(round_no: str) -> None:
        from django.db import transaction

        from consensio.core.live import send_on_commit

        with transaction.atomic():
            send_on_commit("statements", "statement-list", fragment(round_no), "prepend")

    profile_to = os.environ.get("BENCH_PROFILE")  # a file: cProfile of the event loop over rounds 2-6
    profiler = None

    async def route(scope: Scope, receive: Any, send: Any) -> None:
        nonlocal profiler
        if scope["type"] == "http" and scope["path"] == TRIGGER:
            if profile_to and round_of(scope) == "2":
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            if profiler is not None and round_of(scope) == "7":
                profiler.disable()
                profiler.dump_stats(profile_to)
                profiler = None
            await asyncio.get_running_loop().run_in_executor(None, raise_event, round_of(scope))
            await answer(send)
        else:
            await app(scope, receive, send)

    return route


def raw() -> App:
    import json

    clients: set[asyncio.Queue[str | None]] = set()

    async def route(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            if scope["path"] == TRIGGER:
                frame = json.dumps(
                    {"target": "statement-list", "html": fragment(round_of(scope)), "mode": "prepend"}
                )
                for queue in clients:
                    queue.put_nowait(frame)
            await answer(send)
            return
        if scope["type"] != "websocket":
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        clients.add(queue)

        async def watch() -> None:
            while (await receive())["type"] != "websocket.disconnect":
                pass
            queue.put_nowait(None)

        watcher = asyncio.ensure_future(watch())
        try:
            while (frame := await queue.get()) is not None:
                await send({"type": "websocket.send", "text": frame})
        finally:
            clients.discard(queue)
            watcher.cancel()

    return route
