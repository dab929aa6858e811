"""Replies survive flood control and server hiccups: 429 waits ``retry_after``, 5xx backs off, then retries.

aiogram raises on the first 429; without this a busy hour would drop answers to officers.
Polling is left alone: the dispatcher's loop already backs off on its own.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(self, *, attempts: int = 8, first_backoff: float = 0.5, max_backoff: float = 30.0) -> None:
        self._attempts = attempts
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if method.__api_method__ == GetUpdates.__api_method__:
            return await make_request(bot, method)
        backoff = self._first_backoff
        for _ in range(self._attempts - 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as too_many:
                await asyncio.sleep(too_many.retry_after)
            except (TelegramServerError, TelegramNetworkError):
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
        return await make_request(bot, method)
