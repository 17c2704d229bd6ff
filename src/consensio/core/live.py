"""Live updates: an event is sent to a Channels group only after its transaction commits.

Pages subscribe to named streams (`/ws/live/<stream>/`). An event carries the HTML
fragment that the page itself renders for the changed part, so that a screen that
applies events looks exactly like a fresh render of the page.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

STREAMS = frozenset({"statements", "decisions", "drafting", "floor"})


def group_name(stream: str) -> str:
    return f"live.{stream}"


def send_on_commit(stream: str, target: str, html: str, mode: str = "replace") -> None:
    """Queue a fragment for `target` (a DOM id) on `stream`, sent once the current transaction commits."""
    if stream not in STREAMS:
        raise ValueError(f"unknown live stream {stream!r}")
    message = {"type": "live.fragment", "target": target, "html": html, "mode": mode}

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group_name(stream), message)

    transaction.on_commit(send)
