"""Pacing outgoing messages to Telegram's limits: about 30 per second overall and one per second per chat.

Each send books the earliest instant that is at least ``per_chat_interval`` after its chat's last booked
send and at least ``1/per_second`` away from every send booked for any chat. Booked instants are kept
sorted, so a chat with a long backlog holds only the slots it needs, one a second, and another chat's
message slips into the free slots between them instead of queueing behind the backlog. A 429 keeps
everything back until its ``retry_after`` has passed, since Telegram counts the limit per bot.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Callable

# Slot times are floats built by addition: treat gaps this much short of the interval as wide enough.
_SLACK = 1e-9
_PRUNE_CHATS_ABOVE = 10_000


class Pacer:
    def __init__(
        self,
        *,
        per_second: float = 30.0,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._global_interval = 1.0 / per_second
        self._per_chat_interval = per_chat_interval
        self._clock = clock
        self._booked: list[float] = []
        self._next_in_chat: dict[int, float] = {}
        self._paused_until = 0.0

    def reserve(self, chat_id: int) -> float:
        """Book the next free slot for ``chat_id``; returns the seconds to wait before sending."""
        now = self._clock()
        self._forget_before(now)
        start = max(now, self._paused_until, self._next_in_chat.get(chat_id, 0.0))
        gap = self._global_interval - _SLACK
        index = bisect.bisect_right(self._booked, start - gap)
        while index < len(self._booked) and self._booked[index] < start + gap:
            start = max(start, self._booked[index] + self._global_interval)
            index += 1
        self._booked.insert(index, start)
        self._next_in_chat[chat_id] = start + self._per_chat_interval
        return start - now

    async def wait_turn(self, chat_id: int) -> None:
        delay = self.reserve(chat_id)
        while delay > 0:
            await asyncio.sleep(delay)
            # A 429 arrived while this send slept: book again behind the pause rather than send into it.
            delay = self.reserve(chat_id) if self._paused_until > self._clock() else 0.0

    def pause(self, seconds: float) -> None:
        """Telegram said ``retry_after``: nothing goes out before it has passed."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _forget_before(self, now: float) -> None:
        del self._booked[: bisect.bisect_left(self._booked, now - self._global_interval)]
        if len(self._next_in_chat) > _PRUNE_CHATS_ABOVE:
            self._next_in_chat = {chat: at for chat, at in self._next_in_chat.items() if at > now}
