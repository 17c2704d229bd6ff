"""Live updates: an event is sent to a Channels group only after its transaction commits.

Pages subscribe to named streams (`/ws/live/<stream>/`). An event carries the HTML
fragment that the page itself renders for the changed part, so that a screen that
applies events looks exactly like a fresh render of the page.

Some streams are kept per object: the floor has one stream per meeting, `floor-<meeting>`,
so that a screen in one room receives that room's fragments only, whatever the number of
meetings running at once.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

STREAMS = frozenset({"statements", "decisions", "drafting"})
#: Streams kept per object: "<stream>-<object id>".
SCOPED = frozenset({"floor"})


def scoped(stream: str, key: int) -> str:
    """The name of `stream`'s stream for one object (a meeting for the floor)."""
    if stream not in SCOPED:
        raise ValueError(f"{stream!r} is not a stream kept per object")
    return f"{stream}-{int(key)}"


def is_stream(name: str) -> bool:
    if name in STREAMS:
        return True
    family, _, key = name.rpartition("-")
    return family in SCOPED and key.isdigit() and key == str(int(key))


def group_name(stream: str) -> str:
    return f"live.{stream}"


def send_on_commit(stream: str, target: str, html: str, mode: str = "replace") -> None:
    """Queue a fragment for `target` (a DOM id) on `stream`, sent once the current transaction commits."""
    if not is_stream(stream):
        raise ValueError(f"unknown live stream {stream!r}")
    message = {"type": "live.fragment", "target": target, "html": html, "mode": mode}

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group_name(stream), message)

    transaction.on_commit(send)
