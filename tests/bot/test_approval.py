"""Approvers pass or return the report with buttons; forged, replayed and stale presses change nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiogram import Bot

from bot.delivery import Delivery
from bot.pacing import Pacer
from contracts import Stage
from nianbao.bot_process import OutboxSender
from storage.kinds import RoleName
from tests.bot.conftest import YEAR, Office, Person, docx_text
from tests.workflows.cycle_env import wait_for_notice, wait_for_status

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "reports"


async def submitted(office: Office) -> Person:
    """区工信局's officer uploads a complete report and declares it ready: it waits for approval."""
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    path = next(REPORTS.glob("002_*.txt"))
    await officer.upload(path.name, path.read_bytes())
    (ready,) = await officer.say("/ready")
    assert "已提请校验" in ready
    assert (await office.world.status("hq-gxj", YEAR)).stage == Stage.APPROVING
    return officer


async def test_reviewer_approves_and_head_returns_with_a_comment(office: Office) -> None:
    await submitted(office)
    reviewer = await office.register("钱审核", "hq-gxj", RoleName.REVIEWER)
    document, card = await reviewer.say_all("/review")
    assert document["document"]["file_name"].endswith(".docx")
    text = docx_text(await reviewer.file(document))
    assert "区工信局" in text
    assert "区工信局 2019 年度报告 · 分管领导审核（第1轮）" in str(card["text"])
    buttons = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["通过", "退回"]
    await reviewer.press(int(card["message_id"]), button=1)
    assert "您已通过区工信局 2019 年度报告" in str((await reviewer.last())["text"])

    await reviewer.press(
        int(card["message_id"]), data=card["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    )
    assert len((await office.world.status("hq-gxj", YEAR)).approvals) == 1  # the replayed press did nothing

    head = await office.register("孙局长", "hq-gxj", RoleName.HEAD)
    document, card = await head.say_all("/review")
    assert "区工信局" in docx_text(await head.file(document))
    await head.press(int(card["message_id"]), button=2)
    assert "请输入退回意见" in str((await head.last())["text"])
    (returned,) = await head.say("第三部分数字有误")
    assert "已退回区工信局 2019 年度报告" in returned
    status = await wait_for_status(office.world, "hq-gxj", YEAR, lambda s: s.stage != Stage.APPROVING)
    assert status.stage == Stage.DRAFTING
    assert status.approvals[-1].comment == "第三部分数字有误"


async def test_forged_and_foreign_presses_change_nothing(office: Office) -> None:
    officer = await submitted(office)
    code = office.world.code("hq-gxj")
    message_id = int((await officer.last())["message_id"])

    await officer.press(message_id, data=f"dc:{code}:{YEAR}:1:0:1")
    await officer.press(message_id, data="dc:garbage")
    await officer.press(message_id, data="x" * 64)
    alerts = await officer.alerts()
    assert "赵填报" in alerts[0]
    assert "无权" in alerts[0]
    assert alerts[1:] == ["此按钮已失效，未做任何更改。", "此按钮已失效，未做任何更改。"]
    status = await office.world.status("hq-gxj", YEAR)
    assert status.stage == Stage.APPROVING
    assert status.approvals == ()


async def test_nothing_to_review_is_said_plainly(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    reviewer = await office.register("钱审核", "hq-gxj", RoleName.REVIEWER)
    assert await reviewer.say("/review") == ["目前没有等待您审核的报告。"]


async def test_approval_notice_leads_to_the_review_card(office: Office, bot: Bot) -> None:
    reviewer = await office.register("钱审核", "hq-gxj", RoleName.REVIEWER)
    await submitted(office)
    sender = OutboxSender(office.world.engine, Delivery(bot, pacer=Pacer(per_chat_interval=0.1)))
    for _ in range(50):
        await sender.send_due()
        texts = [str(m.get("text")) for m in (await office.control.chat("钱审核")).messages]
        if any("请进行“分管领导审核”" in t for t in texts):
            break
        await asyncio.sleep(0.2)
    notice = (await office.control.chat("钱审核")).messages[-1]
    assert "请进行“分管领导审核”" in notice["text"]
    await reviewer.press(notice["message_id"], button=1)
    _, card = await reviewer.messages(notice, 2)  # the DOCX, then the card under it
    assert "区工信局 2019 年度报告 · 分管领导审核（第1轮）" in str(card["text"])
    assert [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row] == ["通过", "退回"]


async def test_approver_who_registers_after_the_notice_still_gets_it_with_the_report(
    office: Office, bot: Bot
) -> None:
    await submitted(office)
    await wait_for_notice(office.world.engine, office.world.people["钱审核"], "分管领导审核")
    reviewer = await office.register("钱审核", "hq-gxj", RoleName.REVIEWER)
    sender = OutboxSender(office.world.engine, Delivery(bot, pacer=Pacer(per_chat_interval=0.1)))
    while await sender.send_due():
        pass
    notice = (await office.control.chat("钱审核")).messages[-1]
    assert "请进行“分管领导审核”" in notice["text"]
    await reviewer.press(notice["message_id"], button=1)
    document, card = await reviewer.messages(notice, 2)
    assert "区工信局" in docx_text(await reviewer.file(document))
    assert [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row] == ["通过", "退回"]
