"""The pacer keeps Telegram's limits (30/s overall, 1/s per chat) and no chat's backlog delays another."""

from __future__ import annotations

import asyncio
import itertools
import random
import time

from bot.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_backlog_in_one_chat_does_not_hold_up_another_chat() -> None:
    pacer = Pacer(clock=Clock())
    waits = [pacer.reserve(1) for _ in range(100)]
    assert waits[-1] == 99.0
    assert pacer.reserve(2) <= 1 / 30 + 1e-9


def test_one_message_a_second_in_a_chat_and_thirty_a_second_overall() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock)
    rng = random.Random(7)
    booked: list[tuple[float, int]] = []
    for _ in range(2000):
        clock.now += rng.choice((0.0, 0.0, 0.01, 0.2))
        chat = rng.randrange(60)
        booked.append((clock.now + pacer.reserve(chat), chat))
    times = sorted(at for at, _ in booked)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 1 / 30 - 1e-6
    for chat in range(60):
        mine = sorted(at for at, c in booked if c == chat)
        assert all(b - a >= 1.0 - 1e-6 for a, b in itertools.pairwise(mine))


def test_many_chats_share_the_overall_rate_in_order() -> None:
    pacer = Pacer(clock=Clock())
    waits = [pacer.reserve(chat) for chat in range(90)]
    assert waits == sorted(waits)
    assert abs(waits[-1] - 89 / 30) < 1e-6


def test_a_429_holds_every_chat_back_until_retry_after() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock)
    pacer.pause(5.0)
    assert pacer.reserve(1) >= 5.0
    assert pacer.reserve(2) >= 5.0


async def test_a_message_to_a_quiet_chat_goes_out_while_another_chat_drains_its_backlog() -> None:
    pacer = Pacer(per_second=200, per_chat_interval=0.2)
    sent: list[tuple[int, float]] = []
    began = time.monotonic()

    async def send(chat: int) -> None:
        await pacer.wait_turn(chat)
        sent.append((chat, time.monotonic() - began))

    backlog = [asyncio.create_task(send(1)) for _ in range(20)]
    await asyncio.sleep(0.05)
    await send(2)
    quiet_chat_delay = sent[-1][1] - 0.05
    await asyncio.gather(*backlog)
    assert quiet_chat_delay < 0.1
    assert sent[-1][0] == 1
