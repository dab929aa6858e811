"""The bot process as ``nianbao bot`` composes it: stopped mid-walk and started again, the walk goes on."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from botapi.app import DEFAULT_TOKEN
from botapi.client import ControlClient
from contracts.client import CycleClient
from domain.document import from_document
from nianbao.bot_process import Receiving, run_bot
from storage.kinds import RoleName
from tests.bot.conftest import REPLY_WAIT, YEAR, Office, Person
from tests.workflows.cycle_env import CycleWorld


@asynccontextmanager
async def bot_process(world: CycleWorld, server_url: str) -> AsyncIterator[None]:
    """``run_bot`` with the test's Temporal server and database, cancelled at the end as SIGINT would."""
    settings = world.settings.model_copy(
        update={"temporal_address": world.client.service_client.config.target_host}
    )
    running = asyncio.create_task(
        run_bot(settings, receiving=Receiving(), api_url=server_url, token=DEFAULT_TOKEN)
    )
    try:
        yield
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def saved(officer: Person, answer: str) -> str:
    """The reply to ``answer``, among the notices the process's outbox sender delivers meanwhile."""
    sent = await officer.control.say(officer.name, answer)
    for _ in range(int(REPLY_WAIT / 0.2)):
        view = await officer.control.chat(officer.name, after=sent["message_id"])
        replies = [str(m.get("text")) for m in view.messages if str(m.get("text")).startswith("已保存 ")]
        if replies:
            return replies[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"no reply to {answer!r}")


async def test_the_walk_goes_on_across_a_restart_of_the_bot_process(
    world: CycleWorld, server_url: str, control: ControlClient
) -> None:
    office = Office(world, control)
    async with bot_process(world, server_url):
        await office.start_cycle("hq-gxj")
        officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
        missing = (await world.status("hq-gxj", YEAR)).missing
        await officer.say("/fill")
        assert "“11”" in await saved(officer, "11")
    async with bot_process(world, server_url):
        assert "“12”" in await saved(officer, "12")
    cells = from_document(await CycleClient(world.client).draft(world.code("hq-gxj"), YEAR)).cells
    assert (cells[missing[0]], cells[missing[1]]) == (11, 12)
