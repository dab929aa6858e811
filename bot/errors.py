"""The last word when a handler fails: a refusal's reason, or an apology, never silence."""

from __future__ import annotations

import logging

from aiogram import Dispatcher
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.cycle import RefusalError

SORRY = "系统暂时无法处理您的请求，请稍后再试。"
log = logging.getLogger(__name__)


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.message is not None:
        await update.message.answer(text)
    elif update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)


async def refused(event: ErrorEvent) -> None:
    await _tell(event, str(event.exception))


async def failed(event: ErrorEvent) -> None:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    await _tell(event, SORRY)


def register_error_handlers(dispatcher: Dispatcher) -> None:
    dispatcher.errors.register(refused, ExceptionTypeFilter(RefusalError))
    dispatcher.errors.register(failed)
