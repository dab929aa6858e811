"""A whole system for conversations: Temporal dev server + worker + SQLite, the local Bot API server, the bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from aiogram import Dispatcher
from docx import Document

from bot.app import build_dispatcher, make_bot
from bot.cycle import CycleGateway, CycleRef
from botapi.app import DEFAULT_TOKEN
from botapi.client import ControlClient
from nianbao.bot_process import StorageDirectory
from nianbao.conversation_storage import DatabaseStorage
from storage.engine import session_scope
from storage.invites import create_invite
from storage.kinds import RoleName
from tests.botapi.conftest import bot, control, server_url
from tests.workflows.cycle_env import (
    CycleWorld,
    engine_fixture,
    settings_fixture,
    start_cycle,
    temporal_env_fixture,
    wait_for_status,
    world_fixture,
)

__all__ = [
    "bot",
    "control",
    "engine_fixture",
    "server_url",
    "settings_fixture",
    "temporal_env_fixture",
    "world_fixture",
]
YEAR = 2019
REPLY_WAIT = 30.0
SETTLE_SECONDS = 0.5


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, as a reader opening it in Word would see them."""
    document = Document(BytesIO(data))
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


@dataclass
class Person:
    """One person's phone: what they send, and the bot's messages as they read them."""

    name: str
    control: ControlClient

    async def say(self, text: str) -> list[str]:
        sent = await self.control.say(self.name, text)
        return await self._replies_after(sent["message_id"])

    async def say_all(self, text: str) -> list[dict[str, Any]]:
        """Every bot message answering ``text``, once the chat has stayed still for a moment."""
        sent = await self.control.say(self.name, text)
        view = await self.control.chat(self.name, after=sent["message_id"], wait=REPLY_WAIT)
        await self.quiet(view.version)
        view = await self.control.chat(self.name, after=sent["message_id"])
        return [m for m in view.messages if m["from"]["is_bot"]]

    async def replies(self, after: int | dict[str, Any], count: int) -> list[str]:
        """The text (or caption) of the first ``count`` bot messages after message ``after``."""
        return [str(m.get("text") or m.get("caption") or "") for m in await self.messages(after, count)]

    async def messages(self, after: int | dict[str, Any], count: int) -> list[dict[str, Any]]:
        """The first ``count`` bot messages after message ``after``, waiting for them to arrive."""
        after = after if isinstance(after, int) else int(after["message_id"])
        for _ in range(int(REPLY_WAIT / 0.2)):
            view = await self.control.chat(self.name, after=after)
            found = [m for m in view.messages if m["from"]["is_bot"]]
            if len(found) >= count:
                return found[:count]
            await asyncio.sleep(0.2)
        raise AssertionError(f"fewer than {count} bot messages: {found}")

    async def file(self, message: dict[str, Any]) -> bytes:
        """The bytes of the document a message carries, as the person would download them."""
        return await self.control.file(message["document"]["file_id"])

    async def upload(self, file_name: str, data: bytes) -> list[str]:
        sent = await self.control.upload(self.name, file_name, data)
        return await self._replies_after(sent["message_id"])

    async def press(self, message_id: int, *, button: int | None = None, data: str | None = None) -> None:
        before = (await self.control.chat(self.name)).version
        await self.control.press(self.name, message_id, button=button, data=data)
        await self.settle(before)

    async def settle(self, version: int) -> None:
        """Wait for the chat to change after ``version``, then until it stays still for a moment."""
        view = await self.control.chat(self.name, version=version, wait=REPLY_WAIT)
        await self.quiet(view.version)

    async def quiet(self, version: int) -> None:
        """Wait until the chat stays still for a moment after ``version``."""
        while True:
            later = await self.control.chat(self.name, version=version, wait=SETTLE_SECONDS)
            if later.version == version:
                return
            version = later.version

    async def last(self) -> dict[str, object]:
        return (await self.control.chat(self.name)).messages[-1]

    async def alerts(self) -> list[str]:
        return [a["text"] for a in (await self.control.chat(self.name)).callback_answers]

    async def _replies_after(self, message_id: int) -> list[str]:
        view = await self.control.chat(self.name, after=message_id, wait=REPLY_WAIT)
        return [str(m.get("text") or m.get("caption") or "") for m in view.messages if m["from"]["is_bot"]]


@dataclass
class Office:
    """The test's handle on everything: people to act as, invites, cycles."""

    world: CycleWorld
    control: ControlClient
    running: RunningBot | None = None

    @property
    def bot(self) -> RunningBot:
        """The bot the office fixture runs (a test that runs its own, e.g. by webhook, has none here)."""
        assert self.running is not None
        return self.running

    def person(self, name: str) -> Person:
        return Person(name, self.control)

    def invite(self, agency: str, role: RoleName, *, for_person: str | None = None) -> str:
        with session_scope(self.world.engine) as session:
            issued = create_invite(
                session=session,
                agency_code=self.world.code(agency),
                role=role,
                ttl=timedelta(hours=1),
                for_person_id=self.world.people[for_person] if for_person else None,
            )
            return issued.code

    async def register(self, name: str, agency: str, role: RoleName) -> Person:
        person = self.person(name)
        replies = await person.say(f"/start {self.invite(agency, role, for_person=name)}")
        assert "登记成功" in replies[0]
        return person

    async def start_cycle(self, agency: str, year: int = YEAR) -> None:
        await start_cycle(self.world, agency, year, f"{year + 1}-01-02")
        # Until drafting has begun the status shows the code for the name and a provisional format.
        await wait_for_status(self.world, agency, year, lambda s: bool(s.history))
        await self.listed(agency, year)

    async def listed(self, agency: str, year: int) -> None:
        """Wait until the bot can find the cycle: Temporal's visibility listing lags a little behind."""
        gateway = CycleGateway(self.world.client)
        for _ in range(int(REPLY_WAIT / 0.1)):
            if CycleRef(self.world.code(agency), year) in {
                CycleRef(ref.agency, ref.year)
                for ref in await gateway.open_cycles((self.world.code(agency),))
            }:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{agency} {year} never showed in the visibility listing")


class RunningBot:
    """The bot as its process runs it (conversations in the database), which a test may restart."""

    def __init__(self, world: CycleWorld, server_url: str) -> None:
        self._world, self._server_url = world, server_url
        self._dispatcher: Dispatcher | None = None
        self._polling: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._telegram = make_bot(DEFAULT_TOKEN, self._server_url)
        self._dispatcher = build_dispatcher(
            temporal=self._world.client,
            directory=StorageDirectory(self._world.engine),
            storage=DatabaseStorage(self._world.engine),
        )
        self._polling = asyncio.create_task(
            self._dispatcher.start_polling(self._telegram, polling_timeout=1, handle_signals=False)
        )

    async def stop(self) -> None:
        assert self._dispatcher is not None
        assert self._polling is not None
        await self._dispatcher.stop_polling()
        await self._polling
        await self._dispatcher.storage.close()
        await self._telegram.session.close()

    async def feed(self, update: dict[str, Any]) -> None:
        """Hand the bot an update as if the server delivered it (again)."""
        assert self._dispatcher is not None
        await self._dispatcher.feed_raw_update(self._telegram, update)

    async def restart(self) -> None:
        """Stop the bot and start a new one from nothing but the database, as a process restart does."""
        await self.stop()
        await self.start()


@pytest.fixture
async def office(world: CycleWorld, server_url: str) -> AsyncIterator[Office]:
    running = RunningBot(world, server_url)
    await running.start()
    async with ControlClient(server_url) as control:
        yield Office(world, control, running)
    await running.stop()
