"""Pacing outgoing messages to Telegram's limits: about 30 per second overall and one per second per chat.

Each send reserves the earliest slot free both globally and in its chat, then sleeps until it; a 429
pushes every later slot back by its ``retry_after``, since Telegram counts the limit per bot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


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
        self._next_global = 0.0
        self._next_in_chat: dict[int, float] = {}

    def reserve(self, chat_id: int) -> float:
        """Book the next free slot for ``chat_id``; returns the seconds to wait before sending."""
        now = self._clock()
        start = max(now, self._next_global, self._next_in_chat.get(chat_id, 0.0))
        self._next_global = start + self._global_interval
        self._next_in_chat[chat_id] = start + self._per_chat_interval
        return start - now

    async def wait_turn(self, chat_id: int) -> None:
        await asyncio.sleep(self.reserve(chat_id))

    def pause(self, seconds: float) -> None:
        """Telegram said ``retry_after``: nothing goes out before it has passed."""
        self._next_global = max(self._next_global, self._clock() + seconds)
