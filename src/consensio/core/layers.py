"""A single-process channel layer whose costs grow with the work, not with the audience.

Channels' own `InMemoryChannelLayer` walks every channel and every group member on each
`receive()` and `group_send()` to drop expired messages, so one broadcast to N clients
costs O(N²) (research/perf-baseline.md: 630 ms of CPU at N=1,000, unresponsive at 5,000).

`MemoryChannelLayer` keeps the same contract the app relies on (`new_channel`, `send`,
`receive`, `group_add`, `group_discard`, `group_send`, `flush`, a capacity per channel,
message and membership expiry) with these costs:

* `send` / `receive`: O(1); a waiting receiver is handed the message directly.
* `group_send`: O(members); the message is deep-copied once, each member gets its own
  top-level dict.
* expiry: a channel's expired messages are dropped when that channel is touched, and a
  sweep over everything runs at most once per `sweep_interval` seconds (default: half
  of `expiry`), so its cost is spread over many calls instead of paid on each one.

As with the stock layer, a channel whose oldest message expired unread is taken as dead
and removed from its groups.

The queues live on the event loop that the consumers run on (the "home" loop). A call
from any other thread or loop — `send_on_commit()` from a WSGI worker thread, through
`async_to_sync` — is carried over to the home loop, so that state is only ever changed
there.
"""

from __future__ import annotations

import asyncio
import copy
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer


class _Inbox:
    """The messages waiting on one channel, or the receivers waiting for one."""

    __slots__ = ("messages", "waiters", "capacity")

    def __init__(self, capacity: int) -> None:
        self.messages: deque[tuple[float, dict[str, Any]]] = deque()
        self.waiters: deque[asyncio.Future[dict[str, Any]]] = deque()
        self.capacity = capacity


class MemoryChannelLayer(BaseChannelLayer):  # type: ignore[misc]
    extensions = ["groups", "flush"]

    def __init__(
        self,
        expiry: float = 60,
        group_expiry: float = 86400,
        capacity: int = 100,
        channel_capacity: dict[Any, int] | None = None,
        sweep_interval: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(expiry=expiry, capacity=capacity, channel_capacity=channel_capacity, **kwargs)
        # The base class keeps the raw dict; get_capacity() expects compiled patterns.
        self.channel_capacity = self.compile_capacities(channel_capacity or {})
        self.group_expiry = group_expiry
        self.sweep_interval = sweep_interval if sweep_interval is not None else max(expiry / 2, 0.05)
        self._inboxes: dict[str, _Inbox] = {}
        self._groups: dict[str, dict[str, float]] = {}
        self._member_of: dict[str, set[str]] = {}
        self._next_sweep = time.monotonic() + self.sweep_interval
        self._home: asyncio.AbstractEventLoop | None = None

    # -- the channel layer API --------------------------------------------------------------

    async def new_channel(self, prefix: str = "specific.") -> str:
        return f"{prefix}.memory!{secrets.token_hex(8)}"

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        assert "__asgi_channel__" not in message
        self.require_valid_channel_name(channel)
        await self._at_home(self._send, channel, copy.deepcopy(message))

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        loop = asyncio.get_running_loop()
        self._adopt(loop)
        inbox = self._inbox(channel)
        self._drop_expired(channel, inbox, time.monotonic())
        if inbox.messages:
            message = inbox.messages.popleft()[1]
            self._forget_if_idle(channel, inbox)
            return message
        waiter: asyncio.Future[dict[str, Any]] = loop.create_future()
        inbox.waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                # Handed a message just as the receiver was cancelled: keep it for the next one.
                inbox.messages.appendleft((time.monotonic() + self.expiry, waiter.result()))
            raise
        finally:
            # Not `remove()` in a try: its ValueError formats the repr of the future and its result.
            if waiter in inbox.waiters:
                inbox.waiters.remove(waiter)
            self._forget_if_idle(channel, inbox)

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        await self._at_home(self._add, group, channel)

    async def group_discard(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        await self._at_home(self._discard, group, channel)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        await self._at_home(self._fan_out, group, copy.deepcopy(message))

    async def flush(self) -> None:
        for inbox in self._inboxes.values():
            for waiter in inbox.waiters:
                if not waiter.done():
                    waiter.cancel()
        self._inboxes = {}
        self._groups = {}
        self._member_of = {}

    async def close(self) -> None:
        return None

    # -- introspection, for tests and benchmarks --------------------------------------------

    def group_size(self, group: str) -> int:
        return len(self._groups.get(group, ()))

    def channel_count(self) -> int:
        return len(self._inboxes)

    # -- the work, always done on the home loop ---------------------------------------------

    def _send(self, channel: str, message: dict[str, Any]) -> None:
        now = time.monotonic()
        self._maybe_sweep(now)
        self._put(channel, message, now)

    def _put(self, channel: str, message: dict[str, Any], now: float, group: str | None = None) -> None:
        inbox = self._inboxes.get(channel)
        if inbox is not None:
            while inbox.waiters:
                waiter = inbox.waiters.popleft()
                if not waiter.done():
                    _resolve(waiter, message)
                    return
            self._drop_expired(channel, inbox, now)
            if group is not None and channel not in self._groups.get(group, ()):
                return  # found dead just now: it left the group
        inbox = self._inbox(channel)  # (again: dropping expired messages may have let it go)
        if len(inbox.messages) >= inbox.capacity:
            raise ChannelFull(channel)
        inbox.messages.append((now + self.expiry, message))

    def _fan_out(self, group: str, message: dict[str, Any]) -> None:
        now = time.monotonic()
        self._maybe_sweep(now)
        members = self._groups.get(group)
        if not members:
            return
        for channel in list(members):
            try:  # noqa: SIM105 - a plain try is cheaper than contextlib.suppress in this loop
                # Each member gets its own top-level dict; the deep copy was made once.
                self._put(channel, dict(message), now, group)
            except ChannelFull:
                pass

    def _add(self, group: str, channel: str) -> None:
        self._maybe_sweep(time.monotonic())
        self._groups.setdefault(group, {})[channel] = time.monotonic()
        self._member_of.setdefault(channel, set()).add(group)

    def _discard(self, group: str, channel: str) -> None:
        members = self._groups.get(group)
        if members is not None:
            members.pop(channel, None)
            if not members:
                del self._groups[group]
        groups = self._member_of.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self._member_of[channel]
                inbox = self._inboxes.get(channel)
                if inbox is not None:
                    self._forget_if_idle(channel, inbox)

    def _leave_all_groups(self, channel: str) -> None:
        for group in list(self._member_of.get(channel, ())):
            self._discard(group, channel)

    def _inbox(self, channel: str) -> _Inbox:
        inbox = self._inboxes.get(channel)
        if inbox is None:
            inbox = self._inboxes[channel] = _Inbox(self.get_capacity(channel))
        return inbox

    def _forget_if_idle(self, channel: str, inbox: _Inbox) -> None:
        # An inbox is kept while its channel is in a group (a live consumer comes back for the
        # next message) and dropped once it is idle and in no group.
        if (
            not inbox.messages
            and not inbox.waiters
            and channel not in self._member_of
            and self._inboxes.get(channel) is inbox
        ):
            del self._inboxes[channel]

    def _drop_expired(self, channel: str, inbox: _Inbox, now: float) -> None:
        expired = False
        while inbox.messages and inbox.messages[0][0] < now:
            inbox.messages.popleft()
            expired = True
        if expired:
            # Nobody read it in time: the consumer is gone, as the stock layer assumes too.
            self._leave_all_groups(channel)

    def _maybe_sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.sweep_interval
        for channel, inbox in list(self._inboxes.items()):
            self._drop_expired(channel, inbox, now)
            self._forget_if_idle(channel, inbox)
        too_old = now - self.group_expiry
        for group, members in list(self._groups.items()):
            for channel, joined in list(members.items()):
                if joined < too_old:
                    self._discard(group, channel)

    # -- staying on one loop ----------------------------------------------------------------

    def _adopt(self, loop: asyncio.AbstractEventLoop) -> None:
        home = self._home
        if home is not loop and (home is None or home.is_closed() or not home.is_running()):
            self._home = loop

    async def _at_home(self, work: Callable[..., None], *args: Any) -> None:
        home = self._home
        loop = asyncio.get_running_loop()
        if home is None or home is loop or home.is_closed() or not home.is_running():
            work(*args)
            return

        async def on_home() -> None:
            work(*args)

        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(on_home(), home))


def _resolve(waiter: asyncio.Future[dict[str, Any]], message: dict[str, Any]) -> None:
    loop = waiter.get_loop()
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        waiter.set_result(message)
    else:
        loop.call_soon_threadsafe(_set_unless_done, waiter, message)


def _set_unless_done(waiter: asyncio.Future[dict[str, Any]], message: dict[str, Any]) -> None:
    if not waiter.done():
        waiter.set_result(message)
