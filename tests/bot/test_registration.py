"""Strangers are turned away once; invites bind a chat to a person and their role."""

from __future__ import annotations

import asyncio

from bot.access import REFUSAL
from storage.kinds import RoleName
from tests.bot.conftest import Office


async def test_stranger_gets_one_polite_refusal_and_nothing_else(office: Office) -> None:
    stranger = office.person("路人甲")
    assert await stranger.say("你好") == [REFUSAL]
    await office.control.say("路人甲", "/fill")
    await office.control.say("路人甲", "/status")
    await asyncio.sleep(1.5)
    texts = [m["text"] for m in (await office.control.chat("路人甲")).messages if m["from"]["is_bot"]]
    assert texts == [REFUSAL]


async def test_invite_registers_and_a_bad_code_is_explained(office: Office) -> None:
    officer = office.person("赵填报")
    assert await officer.say("/start NOTACODE12") == ["邀请码无效，请核对后重新输入"]
    code = office.invite("hq-gxj", RoleName.OFFICER, for_person="赵填报")
    (welcome,) = await officer.say(f"/start {code}")
    assert "登记成功" in welcome
    assert "赵填报，您好" in welcome
    assert f"{office.world.code('hq-gxj')}：信息公开工作人员" in welcome
    assert "/fill 逐项填报" in welcome
    assert await officer.say(f"/start {code}") == ["邀请码已被使用，请向协调人索取新的邀请码"]
