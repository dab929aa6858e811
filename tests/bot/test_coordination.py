"""Coordinators watch and nudge; the nudge reaches the officer's chat once, through a storm of 429s and 5xx."""

from __future__ import annotations

from aiogram import Bot

from bot.delivery import Delivery
from bot.pacing import Pacer
from nianbao.bot_process import OutboxSender
from storage.kinds import RoleName
from tests.bot.conftest import YEAR, Office, docx_text


async def test_status_overdue_and_report(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    await office.start_cycle("hq-xfb")
    coordinator = await office.register("郑协调", "hq", RoleName.COORDINATOR)
    (board,) = await coordinator.say("/status")
    assert f"{YEAR} 年度报告进度" in board
    assert "起草中 2 家" in board
    assert f"区工信局（{office.world.code('hq-gxj')}）：起草中，已填 0/" in board
    assert f"区信访办（{office.world.code('hq-xfb')}）：起草中" in board
    assert await coordinator.say("/overdue") == ["目前没有逾期的单位。"]
    sent = await office.control.say("郑协调", f"/report {office.world.code('hq-gxj')}")
    report, draft = await coordinator.messages(sent, 2)  # the DOCX follows once rendered
    assert f"区工信局 {YEAR} 年度报告（起草中）" in str(report["text"])
    assert draft["caption"] == "当前草稿（第1版，起草中）"
    assert draft["document"]["file_name"].endswith(".docx")
    assert "区工信局" in docx_text(await coordinator.file(draft))
    (refused,) = await coordinator.say("/report 不存在的单位")
    assert "仅限您负责的单位" in refused


async def test_officer_cannot_use_coordinator_commands(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    assert await officer.say("/status") == ["此命令仅供政务公开主管部门使用。"]
    (refused,) = await officer.say(f"/remind {office.world.code('hq-gxj')}")
    assert "仅限您负责的单位" in refused


async def test_reminder_reaches_the_officer_once_through_a_storm(office: Office, bot: Bot) -> None:
    await office.start_cycle("hq-gxj")
    await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    coordinator = await office.register("郑协调", "hq", RoleName.COORDINATOR)
    (reminded,) = await coordinator.say(f"/remind {office.world.code('hq-gxj')}")
    assert "已向" in reminded
    assert "发出催办提醒" in reminded

    await office.control.inject("retry_after", count=2, retry_after=1)
    await office.control.inject("server_error", count=3)
    sender = OutboxSender(
        office.world.engine, Delivery(bot, pacer=Pacer(per_chat_interval=0.1), first_backoff=0.05)
    )
    while await sender.send_due():
        pass
    while await sender.send_due():
        pass

    texts = [m["text"] for m in (await office.control.chat("赵填报")).messages if m["from"]["is_bot"]]
    reminders = [t for t in texts if "郑协调提醒" in t]
    assert len(reminders) == 1
    assert reminders[0].startswith("【区工信局】2019年度报告尚待办理")
    assert "尚缺：" in reminders[0]
    assert (await office.control.stats())["faults_served"] == {
        "retry_after": 2,
        "server_error": 3,
        "delay": 0,
    }


async def test_coordinator_invites_a_new_officer_who_registers(office: Office) -> None:
    coordinator = await office.register("郑协调", "hq", RoleName.COORDINATOR)
    code = office.world.code("hq-gxj")
    (issued,) = await coordinator.say(f"/invite {code} officer")
    assert f"{code} 信息公开工作人员的邀请码" in issued
    invite_code = issued.split("/start ")[1].split("”")[0]
    newcomer = office.person("新同事")
    (welcome,) = await newcomer.say(f"/start {invite_code}")
    assert "登记成功" in welcome
    assert f"{code}：信息公开工作人员" in welcome
    (refused,) = await coordinator.say("/invite 别处 officer")
    assert "仅限您负责的单位" in refused


async def test_coordinators_see_every_open_year_and_name_one(office: Office) -> None:
    code = office.world.code("hq-gxj")
    await office.start_cycle("hq-gxj", 2019)
    await office.start_cycle("hq-gxj", 2020)
    coordinator = await office.register("郑协调", "hq", RoleName.COORDINATOR)
    (board,) = await coordinator.say("/status")
    assert board.index("2020 年度报告进度") < board.index("2019 年度报告进度")
    assert board.count(f"区工信局（{code}）：起草中") == 2
    for args, year in ((f"{code} 2019", 2019), (code, 2020)):
        sent = await office.control.say("郑协调", f"/report {args}")
        report, draft = await coordinator.replies(sent, 2)
        assert f"区工信局 {year} 年度报告（起草中）" in report
        assert draft.startswith("当前草稿")
    (reminded,) = await coordinator.say(f"/remind {code} 2019")
    assert "（2019 年度报告）" in reminded
    (nothing,) = await coordinator.say(f"/report {office.world.code('hq-xfb')}")
    assert nothing == f"{office.world.code('hq-xfb')}目前没有进行中的年度报告工作"
