"""Reminders reach everyone exactly once through a storm of 429s and 5xx, within Telegram's limits."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from aiogram import Bot

from bot.delivery import Delivery, DeliveryRefusedError
from bot.pacing import Pacer
from botapi.client import ControlClient

PEOPLE = ("张三", "李四", "王五", "赵六", "钱七", "孙八")
REMINDERS_EACH = 3


async def test_storm_loses_and_doubles_nothing(bot: Bot, control: ControlClient) -> None:
    chats = {name: await control.open_chat(name) for name in PEOPLE}
    await control.inject("retry_after", count=3, retry_after=1)
    await control.inject("server_error", count=4, status=502)
    await control.inject("server_error", count=4, status=500)
    # Pacing is shown by the next test; here it only lengthens the storm.
    delivery = Delivery(bot, pacer=Pacer(per_chat_interval=0.1), first_backoff=0.05)
    sends = [
        (chats[name], f"{name}，请于12月31日前补全第{n}项", f"reminder-{name}-{n}")
        for name in PEOPLE
        for n in range(REMINDERS_EACH)
    ]

    first = await asyncio.gather(*(delivery.send_text(c, t, dedup_key=k) for c, t, k in sends))
    # The activity is retried after a crash: the same reminders are handed over again.
    again = await asyncio.gather(*(delivery.send_text(c, t, dedup_key=k) for c, t, k in sends))

    assert all(first)
    assert not any(again)
    for name in PEOPLE:
        texts = Counter(m["text"] for m in (await control.chat(name)).messages)
        assert texts == Counter(f"{name}，请于12月31日前补全第{n}项" for n in range(REMINDERS_EACH))
    assert (await control.stats())["faults_served"] == {"retry_after": 3, "server_error": 8, "delay": 0}


async def test_paced_delivery_stays_within_telegram_limits(bot: Bot, control: ControlClient) -> None:
    chat_id = await control.open_chat("张三")
    await control.enforce_limits(per_chat_interval=0.9)
    delivery = Delivery(bot)
    await asyncio.gather(*(delivery.send_text(chat_id, f"第{n}条", dedup_key=f"k{n}") for n in range(3)))

    stats = await control.stats()
    assert stats["limit_refusals"] == 0
    assert sorted(m["text"] for m in (await control.chat("张三")).messages) == ["第0条", "第1条", "第2条"]


async def test_unpaced_burst_is_refused_by_the_limits(bot: Bot, control: ControlClient) -> None:
    chat_id = await control.open_chat("李四")
    await control.enforce_limits(per_chat_interval=0.9)
    results = await asyncio.gather(
        *(bot.send_message(chat_id, f"第{n}条") for n in range(3)), return_exceptions=True
    )
    assert any(isinstance(result, Exception) for result in results)
    assert (await control.stats())["limit_refusals"] >= 1


async def test_unknown_chat_is_refused_not_retried(bot: Bot, control: ControlClient) -> None:
    delivery = Delivery(bot, first_backoff=0.05)
    with pytest.raises(DeliveryRefusedError, match="消息无法送达"):
        await delivery.send_text(424242, "提醒", dedup_key="nobody")
    assert (await control.stats())["calls"]["sendMessage"] == 1
