"""Sending prompts and reminders through the Bot API: paced, retried, and at most once per dedup key.

Worker activities send through :class:`Delivery`. A send is retried on 429 (after ``retry_after``) and on
5xx or network errors (exponential backoff) until it is accepted; its de-duplication key is recorded
only then, so a retried activity or a re-run kickoff never shows anyone the same reminder twice.
Refusals that retrying cannot fix (chat not found, bot blocked) raise :class:`DeliveryRefusedError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from bot.pacing import Pacer


class DeliveryError(Exception):
    """A message could not be delivered after every retry; the caller may try again later."""


class DeliveryRefusedError(DeliveryError):
    """Telegram refused the message for good (unknown chat, blocked bot, malformed message)."""


class SentKeys(Protocol):
    """Where delivered de-duplication keys are remembered (the outbox table in production)."""

    async def was_sent(self, dedup_key: str) -> bool: ...

    async def mark_sent(self, dedup_key: str) -> None: ...


class MemorySentKeys:
    """Keys remembered for the life of the process."""

    def __init__(self) -> None:
        self._keys: set[str] = set()

    async def was_sent(self, dedup_key: str) -> bool:
        return dedup_key in self._keys

    async def mark_sent(self, dedup_key: str) -> None:
        self._keys.add(dedup_key)


class Delivery:
    def __init__(
        self,
        bot: Bot,
        *,
        sent: SentKeys | None = None,
        pacer: Pacer | None = None,
        max_attempts: int = 10,
        first_backoff: float = 0.5,
        max_backoff: float = 30.0,
    ) -> None:
        self.bot = bot
        self._sent = sent or MemorySentKeys()
        self._pacer = pacer or Pacer()
        self._max_attempts = max_attempts
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self._in_flight: dict[str, asyncio.Lock] = {}

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        dedup_key: str,
        entities: list[Any] | None = None,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> bool:
        """Deliver once; False if this key was already delivered."""
        return await self._once(
            dedup_key,
            chat_id,
            lambda: self.bot.send_message(chat_id, text, entities=entities, reply_markup=reply_markup),
        )

    async def send_document(
        self, chat_id: int, data: bytes, *, file_name: str, caption: str | None = None, dedup_key: str
    ) -> bool:
        document = BufferedInputFile(data, filename=file_name)
        return await self._once(
            dedup_key, chat_id, lambda: self.bot.send_document(chat_id, document, caption=caption)
        )

    async def _once(self, dedup_key: str, chat_id: int, send: Callable[[], Awaitable[Message]]) -> bool:
        # One lock per key: two concurrent attempts at the same reminder must not both go out.
        lock = self._in_flight.setdefault(dedup_key, asyncio.Lock())
        async with lock:
            if await self._sent.was_sent(dedup_key):
                return False
            await self._with_retries(chat_id, send)
            await self._sent.mark_sent(dedup_key)
        self._in_flight.pop(dedup_key, None)
        return True

    async def _with_retries(self, chat_id: int, send: Callable[[], Awaitable[Message]]) -> Message:
        backoff = self._first_backoff
        for _ in range(self._max_attempts):
            await self._pacer.wait_turn(chat_id)
            try:
                return await send()
            except TelegramRetryAfter as too_many:
                self._pacer.pause(too_many.retry_after)
            except (TelegramServerError, TelegramNetworkError):
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
            except (TelegramBadRequest, TelegramForbiddenError, TelegramNotFound) as refusal:
                raise DeliveryRefusedError(f"消息无法送达（对话 {chat_id}）：{refusal.message}") from refusal
        raise DeliveryError(f"消息发送失败（对话 {chat_id}），已重试 {self._max_attempts} 次")
