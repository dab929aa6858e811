"""Validation findings are explained with buttons: acknowledge a warning with a reason, or fix its cells."""

from __future__ import annotations

from pathlib import Path

from contracts import Stage
from storage.kinds import RoleName
from tests.bot.conftest import YEAR, Office

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "reports"


async def test_warnings_are_acknowledged_with_a_reason(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    path = next(REPORTS.glob("003_*.txt"))
    await officer.upload(path.name, path.read_bytes())
    (shown,) = await officer.say("/ready")
    print(shown)
    status = await office.world.status("hq-gxj", YEAR)
    print(status.stage, status.findings)
    assert "已提请校验" in shown
    assert status.stage == Stage.ACKNOWLEDGING
    assert "【警告】" in shown
    card = await officer.last()
    labels = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert "确认第1条（说明理由）" in labels

    await officer.press(int(card["message_id"]), button=labels.index("确认第1条（说明理由）") + 1)
    assert "请说明理由" in str((await officer.last())["text"])
    (refused,) = await officer.say("  ")
    assert refused.startswith("未确认：")
    (done,) = await officer.say("本年度申请数量统计口径与正文一致，已核实")
    assert "已确认" in done
    status = await office.world.status("hq-gxj", YEAR)
    assert any(f.acknowledged for f in status.findings)
