"""Per-user limits on incoming updates, checked before anything reads the database or calls Temporal.

Two token buckets: every update a user sends (a flood of thousands of messages is dropped after a burst,
so it cannot slow down anyone else's ``/help``), and invite codes tried in a chat (``/start CODE``: a few
attempts per window instead of hundreds per second of guessing). Whoever is held back is told once,
in Chinese, at most once a minute; the updates in between are dropped unanswered.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import Chat, TelegramObject, Update, User

from bot.access import is_registration

FLOOD_REPLY = "您发送消息过于频繁，这期间的消息未被处理，请稍候片刻再发送。"
INVITE_REPLY = (
    "邀请码尝试次数过多，请 {minutes} 分钟后再试；如邀请码有误，请向本单位政务公开主管部门重新索取。"
)
# Someone held back hears it again at most this often, however long they keep flooding.
TELL_AGAIN_AFTER = 60.0
_FORGET_ABOVE = 10_000
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class TokenBucket:
    """``burst`` events at once per key, refilled evenly over ``per_seconds``."""

    def __init__(
        self, *, burst: int, per_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._burst = float(burst)
        self._rate = burst / per_seconds
        self._clock = clock
        self._levels: dict[int, tuple[float, float]] = {}

    def take(self, key: int) -> float:
        """Spend one token: 0.0 if admitted, else the seconds until the next token."""
        now = self._clock()
        level, since = self._levels.get(key, (self._burst, now))
        level = min(self._burst, level + (now - since) * self._rate)
        if level >= 1.0:
            self._levels[key] = (level - 1.0, now)
            return 0.0
        self._levels[key] = (level, now)
        return (1.0 - level) / self._rate

    def forget_idle(self) -> None:
        """Drop keys whose bucket would be full again; they cost memory and mean nothing."""
        if len(self._levels) <= _FORGET_ABOVE:
            return
        now = self._clock()
        self._levels = {
            key: (level, since)
            for key, (level, since) in self._levels.items()
            if level + (now - since) * self._rate < self._burst
        }


class ThrottlingMiddleware(BaseMiddleware):
    """Outer middleware on ``update``: limits per user, and invite attempts per chat."""

    def __init__(
        self,
        *,
        burst: int = 30,
        per_seconds: float = 15.0,
        invite_attempts: int = 5,
        invite_window: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._updates = TokenBucket(burst=burst, per_seconds=per_seconds, clock=clock)
        self._invites = TokenBucket(burst=invite_attempts, per_seconds=invite_window, clock=clock)
        self._clock = clock
        self._told_until: dict[tuple[str, int], float] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        if user is None or chat is None:
            return await handler(event, data)
        self._updates.forget_idle()
        self._invites.forget_idle()
        wait = self._updates.take(user.id)
        if wait:
            await self._tell_once(data, "flood", chat.id, wait, FLOOD_REPLY)
            return None
        message = event.message if isinstance(event, Update) else None
        if message is not None and is_registration(message):
            wait = self._invites.take(chat.id)
            if wait:
                reply = INVITE_REPLY.format(minutes=math.ceil(wait / 60))
                await self._tell_once(data, "invite", chat.id, wait, reply)
                return None
        return await handler(event, data)

    async def _tell_once(self, data: dict[str, Any], kind: str, chat_id: int, wait: float, text: str) -> None:
        now = self._clock()
        if self._told_until.get((kind, chat_id), 0.0) > now:
            return
        if len(self._told_until) > _FORGET_ABOVE:
            self._told_until = {key: until for key, until in self._told_until.items() if until > now}
        self._told_until[(kind, chat_id)] = now + max(wait, TELL_AGAIN_AFTER)
        bot: Bot | None = data.get("bot")
        if bot is not None:
            await bot.send_message(chat_id, text)
