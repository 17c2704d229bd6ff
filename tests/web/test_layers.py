"""Channel layers: the in-memory default, and the Redis pub/sub layer used with REDIS_URL.

Correctness of MemoryChannelLayer (group delivery, discard, capacity, expiry, no cross-talk),
and for both layers: a mass disconnect of 1,000 live clients leaves no group member behind
and nothing keeps being sent to them.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.exceptions import ChannelFull
from channels.testing import WebsocketCommunicator

from consensio.core.layers import MemoryChannelLayer

REDIS_URL = os.environ.get("CONSENSIO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def run(scenario: Callable[[], Awaitable[Any]], timeout: float = 60) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), timeout)

    return asyncio.run(bounded())


async def pending(layer: MemoryChannelLayer, channel: str, wait: float = 0.05) -> list[dict[str, Any]]:
    """Everything waiting on `channel` now (receives until nothing comes within `wait`)."""
    got = []
    while True:
        try:
            got.append(await asyncio.wait_for(layer.receive(channel), wait))
        except TimeoutError:
            return got


def test_group_send_reaches_every_member_once() -> None:
    async def scenario() -> None:
        layer = MemoryChannelLayer()
        channels = [await layer.new_channel() for _ in range(50)]
        assert len(set(channels)) == 50
        for channel in channels:
            await layer.group_add("live.statements", channel)
            await layer.group_add("live.statements", channel)  # twice: still one membership
        await layer.group_send("live.statements", {"type": "live.fragment", "n": 1})
        for channel in channels:
            assert await pending(layer, channel) == [{"type": "live.fragment", "n": 1}]

    run(scenario)


def test_waiting_receivers_get_the_message_and_each_member_its_own_copy() -> None:
    async def scenario() -> None:
        layer = MemoryChannelLayer()
        a, b = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("g", a)
        await layer.group_add("g", b)
        waiting = [asyncio.ensure_future(layer.receive(a)), asyncio.ensure_future(layer.receive(b))]
        await asyncio.sleep(0)
        message = {"type": "x", "items": [1]}
        await layer.group_send("g", message)
        first, second = await asyncio.gather(*waiting)
        assert first == second == {"type": "x", "items": [1]}
        first["type"] = "changed"
        assert second["type"] == "x"
        message["items"].append(2)  # the sender's dict is not shared with receivers
        assert first["items"] == [1]
        assert layer.channel_count() == 2  # kept while in a group, for the next message
        await layer.group_discard("g", a)
        await layer.group_discard("g", b)
        assert layer.channel_count() == 0  # idle and in no group: nothing kept

    run(scenario)


def test_discard_stops_delivery_and_groups_do_not_cross_talk() -> None:
    async def scenario() -> None:
        layer = MemoryChannelLayer()
        a, b, c = [await layer.new_channel() for _ in range(3)]
        await layer.group_add("live.statements", a)
        await layer.group_add("live.statements", b)
        await layer.group_add("live.decisions", c)
        await layer.group_discard("live.statements", b)
        await layer.group_discard("live.statements", "specific..memory!unknown")  # not a member: no error
        await layer.group_send("live.statements", {"type": "s"})
        await layer.group_send("live.decisions", {"type": "d"})
        assert await pending(layer, a) == [{"type": "s"}]
        assert await pending(layer, b) == []
        assert await pending(layer, c) == [{"type": "d"}]
        await layer.group_discard("live.statements", a)
        assert layer.group_size("live.statements") == 0
        assert layer.group_size("live.decisions") == 1

    run(scenario)


def test_capacity_is_respected() -> None:
    async def scenario() -> None:
        layer = MemoryChannelLayer(capacity=3, channel_capacity={"small.*": 1})
        channel = await layer.new_channel()
        for n in range(3):
            await layer.send(channel, {"type": "m", "n": n})
        with pytest.raises(ChannelFull):
            await layer.send(channel, {"type": "m", "n": 3})
        await layer.group_add("g", channel)
        await layer.group_send("g", {"type": "m", "n": "dropped"})  # full: dropped silently, as in Channels
        assert [m["n"] for m in await pending(layer, channel)] == [0, 1, 2]
        await layer.send("small.one", {"type": "m"})
        with pytest.raises(ChannelFull):
            await layer.send("small.one", {"type": "m"})

    run(scenario)


def test_expired_messages_are_dropped_and_their_dead_channel_leaves_its_groups() -> None:
    async def scenario() -> None:
        layer = MemoryChannelLayer(expiry=0.3, sweep_interval=0.3)
        dead, alive = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("g", dead)
        await layer.group_add("g", alive)
        await layer.group_send("g", {"type": "old"})
        assert await pending(layer, alive, wait=0.01) == [{"type": "old"}]
        await asyncio.sleep(0.4)
        # The next call sweeps lazily: the unread message expired, so `dead` is out of the group.
        await layer.group_send("g", {"type": "new"})
        assert layer.group_size("g") == 1
        assert await pending(layer, alive, wait=0.01) == [{"type": "new"}]
        assert await pending(layer, dead, wait=0.01) == []

    run(scenario)


def test_a_message_from_another_thread_is_delivered_on_the_receivers_loop() -> None:
    """send_on_commit() calls group_send through async_to_sync from a worker thread."""

    async def scenario() -> dict[str, Any]:
        layer = MemoryChannelLayer()
        channel = await layer.new_channel()
        await layer.group_add("g", channel)
        receiving = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0)
        thread = threading.Thread(target=async_to_sync(layer.group_send), args=("g", {"type": "t"}))
        thread.start()
        message = await asyncio.wait_for(receiving, 5)
        thread.join(5)
        return message

    assert run(scenario) == {"type": "t"}


def test_one_broadcast_to_5000_members_is_linear() -> None:
    async def scenario() -> float:
        layer = MemoryChannelLayer()
        channels = [await layer.new_channel() for _ in range(5000)]
        for channel in channels:
            await layer.group_add("g", channel)
        waiting = [asyncio.ensure_future(layer.receive(c)) for c in channels]
        await asyncio.sleep(0)
        started = time.perf_counter()
        await layer.group_send("g", {"type": "m", "html": "<li>x</li>" * 20})
        await asyncio.gather(*waiting)
        return time.perf_counter() - started

    # Channels' InMemoryChannelLayer takes many seconds here; this one a few tens of ms.
    assert run(scenario) < 2.0


# -- a mass disconnect of live clients, through the real consumer -----------------------------

CLIENTS = 1000


async def mass_disconnect(application: Any, group_members: Callable[[], int]) -> tuple[int, int]:
    """Connect CLIENTS live clients, broadcast once, drop them all at once; return members before and after."""
    from consensio.core.live import group_name

    headers = [(b"host", b"localhost"), (b"origin", b"http://localhost")]
    clients = [
        WebsocketCommunicator(application, "/ws/live/statements/", headers=headers) for _ in range(CLIENTS)
    ]
    results = await asyncio.gather(*(c.connect(timeout=30) for c in clients))
    assert all(ok for ok, _ in results)
    before = group_members()
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    await layer.group_send(
        group_name("statements"), {"type": "live.fragment", "target": "t", "html": "h", "mode": "append"}
    )
    frames = await asyncio.gather(*(c.receive_from(timeout=30) for c in clients))
    assert all(json.loads(f)["html"] == "h" for f in frames)
    await asyncio.gather(*(c.disconnect(timeout=30) for c in clients))
    return before, group_members()


def test_memory_layer_mass_disconnect_leaves_the_group_empty(settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "consensio.core.layers.MemoryChannelLayer"}}
    from channels.layers import get_channel_layer

    from consensio.asgi import application
    from consensio.core.live import group_name

    async def scenario() -> tuple[int, int, int]:
        layer = get_channel_layer()
        assert isinstance(layer, MemoryChannelLayer)
        before, after = await mass_disconnect(application, lambda: layer.group_size(group_name("statements")))
        await layer.group_send(group_name("statements"), {"type": "live.fragment"})
        return before, after, layer.channel_count()

    before, after, channels_left = run(scenario, timeout=120)
    assert (before, after, channels_left) == (CLIENTS, 0, 0)


def redis_available() -> bool:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis on CONSENSIO_TEST_REDIS_URL")
def test_redis_pubsub_mass_disconnect_leaves_nothing_subscribed(settings: Any) -> None:
    """The pub/sub layer keeps group membership in the process and one Redis SUBSCRIBE per channel.

    After 1,000 clients leave, the process's group is gone, no channel is subscribed any
    more, and Redis has no subscriber for the group: nothing is delivered to anyone.
    """
    prefix = f"consensio-test-{os.getpid()}-"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": prefix},
        }
    }
    import redis.asyncio as redis_asyncio
    from channels.layers import get_channel_layer

    from consensio.asgi import application
    from consensio.core.live import group_name

    async def scenario() -> dict[str, Any]:
        layer = get_channel_layer()
        loop_layer = layer._get_layer()
        group_channel = loop_layer._get_group_channel_name(group_name("statements"))
        before, after = await mass_disconnect(
            application, lambda: len(loop_layer.groups.get(group_channel, ()))
        )
        client = redis_asyncio.from_url(REDIS_URL)
        try:
            numsub = dict(await client.pubsub_numsub(group_channel))
            # Channel names may have been left subscribed; list every subscription of this test's prefix.
            left = await client.pubsub_channels(f"{prefix}*")
            receivers = await client.publish(group_channel, b"probe")
        finally:
            await client.aclose()
        result = {
            "before": before,
            "after": after,
            "groups": dict(loop_layer.groups),
            "channels": len(loop_layer.channels),
            "numsub": numsub.get(group_channel.encode(), 0),
            "subscriptions_left": left,
            "receivers": receivers,
        }
        await layer.flush()
        return result

    result = run(scenario, timeout=120)
    assert result == {
        "before": CLIENTS,
        "after": 0,
        "groups": {},
        "channels": 0,
        "numsub": 0,
        "subscriptions_left": [],
        "receivers": 0,
    }
