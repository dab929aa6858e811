"""Every update is tied to a known person before any handler runs; strangers get one polite refusal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject

from bot.identity import Directory

REFUSAL = (
    "您好！本助手仅供已登记的政府信息公开年报工作人员使用。"
    "如需使用，请向本单位政务公开主管部门索取邀请码，然后发送“/start 邀请码”。"
)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def is_registration(event: TelegramObject) -> bool:
    """``/start CODE``: the one thing a stranger may do."""
    if not isinstance(event, Message) or not event.text:
        return False
    words = event.text.split()
    return len(words) == 2 and words[0].split("@")[0] == "/start"


class IdentityMiddleware(BaseMiddleware):
    """Puts ``identity`` into the handler data, or refuses a stranger once per chat and drops the update."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory
        self._refused: set[int] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type != "private":
            return None
        identity = await self._directory.identify(chat.id)
        if identity is None and not is_registration(event):
            await self._refuse(event, chat.id)
            return None
        data["identity"] = identity
        return await handler(event, data)

    async def _refuse(self, event: TelegramObject, chat_id: int) -> None:
        if isinstance(event, CallbackQuery):
            await event.answer()
        if chat_id in self._refused:
            return
        self._refused.add(chat_id)
        if isinstance(event, Message):
            await event.answer(REFUSAL)
        elif isinstance(event, CallbackQuery) and event.bot is not None:
            await event.bot.send_message(chat_id, REFUSAL)
