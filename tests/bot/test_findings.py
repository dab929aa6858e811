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
    # The bureau's own complete report, with heading 六 misspelt: one warning to explain.
    path = next(REPORTS.glob("002_*.txt"))
    text = path.read_text(encoding="utf-8").replace("六、其他需要报告的事项", "六、其他需求报告的事项")
    await officer.upload(path.name, text.encode("utf-8"))
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
    (done,) = await officer.say("沿用本局发文时的标题，已核实")
    assert "已确认" in done
    status = await office.world.status("hq-gxj", YEAR)
    assert any(f.acknowledged for f in status.findings)
