"""429 and 5xx storms from the Bot API while a cycle walks to publication: every notice arrives exactly once.

Real processes: the local Bot API server (``python -m botapi``), the worker and the bot (``nianbao bot``,
draining the outbox the worker fills). The officer's figures go through the cycle's updates, not the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

from botapi.client import ControlClient
from storage.engine import session_scope
from storage.outbox import list_messages
from storage.people import bind_chat
from tests.faults.harness import FaultCounts, Walk, answer_plan, assert_nothing_lost, report, walk
from tests.nianbao.devserver import free_port, listening

TOKEN = "4242:fault-storm"
ANSWERS = 10
# A killed bot's claimed notices wait for their lease (storage.outbox.DEFAULT_LEASE, 2 minutes).
DELIVERY_DEADLINE = 200.0


@contextlib.asynccontextmanager
async def bot_api_server(root: Path) -> AsyncIterator[tuple[str, ControlClient]]:
    port = free_port()
    server = spawn_bot_api_server(root, port)
    try:
        for _ in range(200):
            if listening(port):
                break
            await asyncio.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        async with ControlClient(url, bot_token=TOKEN) as control:
            yield url, control
    finally:
        server.kill()
        server.wait()


def spawn_bot_api_server(root: Path, port: int) -> subprocess.Popen[bytes]:
    with (root / "botapi.log").open("ab") as log:
        command = [sys.executable, "-m", "botapi", "--port", str(port), "--token", TOKEN]
        return subprocess.Popen(command, stdout=log, stderr=log)


def start_bot(state: Walk, url: str) -> subprocess.Popen[bytes]:
    variables = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    variables |= {
        "NIANBAO_TEMPORAL_ADDRESS": state.server.address,
        "NIANBAO_DATABASE_URL": state.settings.database_url,
        "NIANBAO_TASK_QUEUE": state.settings.task_queue,
        "NIANBAO_BOT_TOKEN": TOKEN,
        "NIANBAO_BOT_API_URL": url,
    }
    with (state.root / "bot.log").open("ab") as log:
        command = [str(Path(sys.executable).parent / "nianbao"), "bot"]
        return subprocess.Popen(command, env=variables, stdout=log, stderr=log)


async def delivered_outbox(state: Walk) -> list[tuple[str, str, bool]]:
    """(person name, text, marked sent) of every notice, once none is pending any more (or the deadline)."""
    assert state.world is not None
    names = {person_id: name for name, person_id in state.world.people.items()}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DELIVERY_DEADLINE
    while True:
        with session_scope(state.engine) as session:
            rows = [
                (names.get(m.person_id or 0, "?"), m.text, m.sent_at is not None)
                for m in list_messages(session=session, limit=10_000)
            ]
        if all(sent for _, _, sent in rows) or loop.time() > deadline:
            return rows
        await asyncio.sleep(0.5)


async def test_storms_of_429_and_5xx_lose_and_double_no_notice(tmp_path: Path) -> None:
    with walk(tmp_path) as state:
        world = await state.open_cycle()
        async with bot_api_server(tmp_path) as (url, control):
            with session_scope(state.engine) as session:
                for name, person_id in world.people.items():
                    bind_chat(session=session, person_id=person_id, chat_id=await control.open_chat(name))
            await control.enforce_limits(per_second=30, per_chat_interval=1.0)
            await control.inject("retry_after", count=15, retry_after=1)
            await control.inject("server_error", count=15, status=502)
            await control.inject("server_error", count=15, status=500)
            bot = start_bot(state, url)
            try:
                plan = answer_plan(ANSWERS)
                await state.answer(plan, during=_nothing)
                figures = state.count("bot-api-storm (figures)", plan, state.draft_cells())
                figures.published = await state.publish()
                outbox = await delivered_outbox(state)
                chats = {
                    name: Counter(
                        str(m.get("text")) for m in (await control.chat(name)).messages if m["from"]["is_bot"]
                    )
                    for name in world.people
                }
                served = (await control.stats())["faults_served"]
            finally:
                bot.terminate()
                bot.wait(timeout=30)
    notices = notice_counts(outbox, chats)
    report(figures)
    report(notices)
    assert served["retry_after"] == 15
    assert served["server_error"] == 30
    assert_nothing_lost(figures)
    assert notices.sent > 0
    assert (notices.acknowledged, notices.stored) == (notices.sent, notices.sent), notices.line()
    assert (notices.lost, notices.misplaced, notices.duplicated) == (0, 0, 0), notices.line()


async def _nothing(_acknowledged: int) -> None:
    return None


def notice_counts(outbox: list[tuple[str, str, bool]], chats: dict[str, Counter[str]]) -> FaultCounts:
    """Notices queued vs. what each person's chat shows (the bot's own replies are not in the outbox)."""
    counts = FaultCounts("bot-api-storm (notices)", sent=len(outbox), published=True)
    counts.acknowledged = sum(sent for _, _, sent in outbox)
    expected: dict[str, Counter[str]] = {}
    for name, text, _ in outbox:
        expected.setdefault(name, Counter())[text] += 1
    for name, texts in expected.items():
        seen = chats.get(name, Counter())
        for text, times in texts.items():
            counts.stored += min(times, seen[text])
            counts.lost += max(0, times - seen[text])
            counts.duplicated += max(0, seen[text] - times)
            counts.misplaced += sum(
                other[text]
                for who, other in chats.items()
                if who != name and text not in expected.get(who, {})
            )
    return counts


async def test_bot_killed_mid_walk_loses_no_notice(tmp_path: Path) -> None:
    with walk(tmp_path) as state:
        world = await state.open_cycle()
        async with bot_api_server(tmp_path) as (url, control):
            with session_scope(state.engine) as session:
                for name, person_id in world.people.items():
                    bind_chat(session=session, person_id=person_id, chat_id=await control.open_chat(name))
            # Every send takes a second, so the kill finds deliveries in flight.
            await control.inject("delay", count=10, seconds=1.0)
            bots = [start_bot(state, url)]
            try:
                plan = answer_plan(ANSWERS)
                await state.answer(plan, during=_nothing)
                figures = state.count("bot-kill-9 (figures)", plan, state.draft_cells())
                walking = asyncio.create_task(state.publish())
                await first_notice_sent(state)
                bots[0].kill()
                bots[0].wait()
                bots.append(start_bot(state, url))
                figures.published = await walking
                outbox = await delivered_outbox(state)
                chats = {
                    name: Counter(
                        str(m.get("text")) for m in (await control.chat(name)).messages if m["from"]["is_bot"]
                    )
                    for name in world.people
                }
            finally:
                for bot in bots:
                    if bot.poll() is None:
                        bot.terminate()
                        bot.wait(timeout=30)
    notices = notice_counts(outbox, chats)
    notices.fault = "bot-kill-9 (notices)"
    report(figures)
    report(notices)
    assert_nothing_lost(figures)
    assert notices.sent > 0
    assert (notices.acknowledged, notices.lost, notices.misplaced) == (notices.sent, 0, 0), notices.line()
    # A notice the server took but the killed bot had not yet marked sent goes out again: Telegram has no
    # idempotency key, so at most the sends in flight at the kill may show twice.
    assert notices.duplicated <= 5, notices.line()


async def first_notice_sent(state: Walk) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DELIVERY_DEADLINE
    while loop.time() < deadline:
        with session_scope(state.engine) as session:
            if any(m.sent_at is not None for m in list_messages(session=session)):
                return
        await asyncio.sleep(0.1)
    raise AssertionError("no notice was ever sent")
