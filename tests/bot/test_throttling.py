"""Floods and invite guessing are held back per user, over the real wire, without slowing anyone else."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message

from bot.throttling import ThrottlingMiddleware, TokenBucket
from botapi.client import ControlClient

Handled = Counter[str]


def router(handled: Handled) -> Router:
    routes = Router()

    @routes.message(CommandStart())
    async def start(message: Message) -> None:
        handled["start"] += 1
        await message.answer("邀请码无效。")

    @routes.message(Command("help"))
    async def help_(message: Message) -> None:
        handled["help"] += 1
        await message.answer("帮助")

    @routes.message()
    async def anything(message: Message) -> None:
        handled[f"text:{message.chat.id}"] += 1

    return routes


@pytest.fixture
async def handled(bot: Bot) -> AsyncIterator[Handled]:
    counts: Handled = Counter()
    dispatcher = Dispatcher()
    dispatcher.update.outer_middleware(ThrottlingMiddleware())
    dispatcher.include_router(router(counts))
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1))
    yield counts
    await dispatcher.stop_polling()
    with contextlib.suppress(asyncio.CancelledError):
        await polling


def bot_texts(view_messages: list[dict[str, object]]) -> list[str]:
    return [str(m.get("text")) for m in view_messages if m["from"]["is_bot"]]  # type: ignore[index]


async def test_a_flood_is_cut_off_and_another_user_is_answered_at_once(
    control: ControlClient, handled: Handled
) -> None:
    flooder = await control.open_chat("刷屏者")
    await asyncio.gather(*(control.say("刷屏者", f"第{n}条") for n in range(300)))
    began = time.monotonic()
    sent = await control.say("王填报", "/help")
    view = await control.chat("王填报", after=sent["message_id"], wait=10)
    assert bot_texts(view.messages) == ["帮助"]
    assert time.monotonic() - began < 2.0
    await asyncio.sleep(0.5)
    assert handled[f"text:{flooder}"] <= 40
    told = bot_texts((await control.chat("刷屏者")).messages)
    assert len(told) == 1
    assert "过于频繁" in told[0]


async def test_invite_guesses_are_limited_per_chat_with_a_clear_reply(
    control: ControlClient, handled: Handled
) -> None:
    for n in range(12):
        await control.say("猜码者", f"/start GUESS{n:04d}")
    await asyncio.sleep(1.0)
    assert handled["start"] == 5
    replies = bot_texts((await control.chat("猜码者")).messages)
    assert replies[:5] == ["邀请码无效。"] * 5
    assert len(replies) == 6
    assert "邀请码尝试次数过多" in replies[5]
    assert "分钟后再试" in replies[5]
    sent = await control.say("新同事", "/start RIGHT0001")
    view = await control.chat("新同事", after=sent["message_id"], wait=10)
    assert bot_texts(view.messages) == ["邀请码无效。"]


def test_the_bucket_refills_evenly() -> None:
    now = [0.0]
    bucket = TokenBucket(burst=5, per_seconds=600, clock=lambda: now[0])
    assert [bucket.take(1) for _ in range(5)] == [0.0] * 5
    assert bucket.take(1) == pytest.approx(120.0)
    assert bucket.take(2) == 0.0
    now[0] += 120
    assert bucket.take(1) == 0.0
    assert bucket.take(1) > 0
