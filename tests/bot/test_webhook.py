"""The same bot receives updates by webhook: the local server POSTs them, replies go out as usual."""

from __future__ import annotations

from bot.access import REFUSAL
from bot.app import build_dispatcher, make_bot
from bot.webhook import webhook
from botapi.app import DEFAULT_TOKEN
from botapi.client import ControlClient
from nianbao.bot_process import StorageDirectory
from storage.kinds import RoleName
from tests.bot.conftest import Office
from tests.workflows.cycle_env import CycleWorld


async def test_webhook_mode_serves_strangers_and_registration(
    world: CycleWorld, server_url: str, control: ControlClient, unused_tcp_port: int
) -> None:
    telegram = make_bot(DEFAULT_TOKEN, server_url)
    dispatcher = build_dispatcher(temporal=world.client, directory=StorageDirectory(world.engine))
    public_url = f"http://127.0.0.1:{unused_tcp_port}"
    async with webhook(dispatcher, telegram, public_url=public_url, port=unused_tcp_port) as url:
        assert (await telegram.get_webhook_info()).url == url
        office = Office(world, control)
        stranger = office.person("路人乙")
        assert await stranger.say("你好") == [REFUSAL]
        await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    assert (await telegram.get_webhook_info()).url == ""
    await telegram.session.close()
