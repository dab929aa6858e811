"""An officer fills the draft by chat: one cell at a time, bad input refused with the reason, 全部为0, upload."""

from __future__ import annotations

from pathlib import Path

from storage.kinds import RoleName
from tests.bot.conftest import YEAR, Office

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "reports"


async def test_missing_cells_are_prompted_grouped_with_the_deadline(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    (summary,) = await officer.say("/missing")
    assert f"区工信局 {YEAR} 年度报告（起草中）" in summary
    assert "已填 0/" in summary
    assert "三、收到和处理政府信息公开申请情况：缺" in summary
    assert "一、总体情况：尚未填写" in summary
    assert "截止日期" in summary
    assert (await officer.last())["reply_markup"]["inline_keyboard"][0][0]["text"] == "开始逐项填报"


async def test_cell_by_cell_with_bad_input_skip_and_all_zero(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    total = (await office.world.status("hq-gxj", YEAR)).total

    (first,) = await officer.say("/fill")
    assert "二、主动公开政府信息情况" in first
    assert f"已填 0/{total}" in first
    (saved,) = await officer.say("１２")
    assert "已保存" in saved
    assert "“12”" in saved
    assert f"已填 1/{total}" in saved

    (refused,) = await officer.say("十二")
    assert refused.startswith("未保存：")
    assert "请填写阿拉伯数字" in refused
    (negative,) = await officer.say("减3")
    assert "未保存：" in negative
    assert "负数" in negative
    assert (await office.world.status("hq-gxj", YEAR)).filled == 1

    (skipped,) = await officer.say("跳过")
    assert "已跳过" in skipped
    (zeros,) = await officer.say("全部为0")
    assert "二、主动公开政府信息情况：其余" in zeros
    assert "三、收到和处理政府信息公开申请情况" in zeros

    status = await office.world.status("hq-gxj", YEAR)
    section_two = [k for k in status.missing if k.startswith("s2.")]
    assert len(section_two) == 1  # only the skipped cell is left in 二
    for _ in range(2):
        await officer.say("全部为0")
    status = await office.world.status("hq-gxj", YEAR)
    assert status.missing == tuple(section_two)


async def test_edit_changes_a_given_cell(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    await officer.say("/fill")
    await officer.say("5")
    await officer.say("/stop")
    (choices,) = await officer.say("/edit 规章 新制作")
    assert "请选择要修改的项目" in choices
    last = await officer.last()
    await officer.press(int(last["message_id"]), button=1)
    assert "请输入新的数值" in str((await officer.last())["text"])
    (saved,) = await officer.say("7")
    assert "“7”" in saved
    status = await office.world.status("hq-gxj", YEAR)
    assert status.filled == 1


async def test_uploaded_report_fills_the_draft(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    path = next(REPORTS.glob("002_*.txt"))
    (reply,) = await officer.upload(path.name, path.read_bytes())
    status = await office.world.status("hq-gxj", YEAR)
    assert f"已从“{path.name}”导入 {status.filled}/{status.total} 项" in reply
    assert status.filled > 0

    (not_a_report,) = await officer.upload("照片.txt", "今天天气很好。".encode())
    assert not_a_report.startswith("未导入：")
    assert (await office.world.status("hq-gxj", YEAR)).filled == status.filled


async def test_officer_of_another_agency_cannot_touch_this_draft(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    other = await office.register("王填报", "hq-xfb", RoleName.OFFICER)
    (reply,) = await other.say("/fill")
    assert "尚未启动" in reply
    (reply,) = await other.say("/edit 规章")
    assert "尚未启动" in reply
    assert await other.say("/help")
    last = await other.last()
    await other.press(int(last["message_id"]), data=f"ed:{office.world.code('hq-gxj')}:{YEAR}:10")
    assert "您无权修改这份报告。" in await other.alerts()
    assert (await office.world.status("hq-gxj", YEAR)).filled == 0


async def test_answers_survive_a_storm_of_429s_and_5xx(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    await office.control.inject("retry_after", count=2, retry_after=1)
    await office.control.inject("server_error", count=2, status=502)
    (first,) = await officer.say("/fill")
    assert "已填 0/" in first
    (saved,) = await officer.say("3")
    assert "已填 1/" in saved
    texts = [m["text"] for m in (await office.control.chat("赵填报")).messages if m["from"]["is_bot"]]
    assert len(texts) == 3  # welcome, first question, saved + next question: nothing lost, nothing doubled
    assert (await office.control.stats())["faults_served"] == {
        "retry_after": 2,
        "server_error": 2,
        "delay": 0,
    }
