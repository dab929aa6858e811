"""同上年 takes the figure from last year's published report, and says so plainly when there is none."""

from __future__ import annotations

from contracts import (
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    CycleStatus,
    Decision,
    DeclareReady,
    SetCells,
    Stage,
    SubmitDocument,
)
from contracts.client import CycleClient
from domain.document import from_document
from domain.values import format_value
from storage.kinds import RoleName
from tests.bot.conftest import YEAR, Office
from tests.workflows.cycle_env import report_document, start_cycle, wait_for_status

LAST_YEAR = YEAR - 1


async def publish_last_year(office: Office, agency: str) -> dict[str, object]:
    """区工信局's report of last year, submitted, approved and published; returns its document."""
    world = office.world
    await start_cycle(world, agency, LAST_YEAR, f"{YEAR}-01-02")
    document = report_document("002")
    document["meta"]["year"] = LAST_YEAR
    handle = world.handle(agency, LAST_YEAR)
    officer = world.actor("赵填报")
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, document, "002.txt"))
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    status = await wait_for_status(world, agency, LAST_YEAR, lambda s: s.stage is Stage.APPROVING)
    for step, name in enumerate(("钱审核", "孙局长")):
        decision = Decision(world.actor(name), status.approval_round, step, approve=True)
        await handle.execute_update(UPDATE_DECIDE, decision, result_type=CycleStatus)
    await wait_for_status(world, agency, LAST_YEAR, lambda s: s.stage is Stage.PUBLISHED)
    return document


async def test_same_as_last_year_stores_last_years_published_figure(office: Office) -> None:
    last_year = from_document(await publish_last_year(office, "hq-gxj"))
    await office.start_cycle("hq-gxj")
    missing = (await office.world.status("hq-gxj", YEAR)).missing
    # The walk starts at the first missing cell that had a figure other than 0 last year.
    target = next(key for key in missing if last_year.cells.get(key))
    before = dict.fromkeys(missing[: missing.index(target)], "0")
    await office.world.handle("hq-gxj", YEAR).execute_update(
        UPDATE_SET_CELLS, SetCells(office.world.actor("赵填报"), before)
    )
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    await officer.say("/fill")

    expected = format_value(last_year.cells[target])
    (saved,) = await officer.say("同上年")
    assert saved.startswith("已保存 ")
    assert f"“{expected}”" in saved
    draft = await CycleClient(office.world.client).draft(office.world.code("hq-gxj"), YEAR)
    assert from_document(draft).cells[target] == last_year.cells[target]


async def test_same_as_last_year_without_a_published_report_saves_nothing(office: Office) -> None:
    await office.start_cycle("hq-xfb")
    officer = await office.register("王填报", "hq-xfb", RoleName.OFFICER)
    (question,) = await officer.say("/fill")
    assert "同上年" in question
    (answer,) = await officer.say("同上年")
    assert answer == f"{LAST_YEAR}年度已发布的报告中没有这一项的数字，请直接填写数字。"
    status = await office.world.status("hq-xfb", YEAR)
    assert status.filled == 0
    (saved,) = await officer.say("4")
    assert "“4”" in saved
