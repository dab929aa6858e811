"""Whatever no feature took: stale or forged buttons change nothing; other text gets a pointer to /help."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message


async def unknown_button(query: CallbackQuery) -> None:
    await query.answer("此按钮已失效，未做任何更改。", show_alert=True)


async def unknown_message(message: Message) -> None:
    await message.answer("没有理解您的意思。发送 /help 查看可用操作，或 /missing 查看尚缺的项目。")


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="fallback")
    router.callback_query.register(unknown_button)
    router.message.register(unknown_message)
    return router
