"""A cycle with a long history continues as new and carries on exactly where it was."""

from __future__ import annotations

from contracts import (
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    CycleInput,
    Decision,
    DeclareReady,
    EditResult,
    SetCells,
    Stage,
    SubmitDocument,
    report_workflow_id,
)
from tests.workflows.cycle_env import CycleWorld, report_document, wait_for_status

YEAR = 2019


async def test_many_updates_continue_as_new_without_losing_anything(world: CycleWorld) -> None:
    code = world.code("hq-gxj")
    first = await world.client.start_workflow(
        "ReportCycle",
        CycleInput(code, YEAR, "2020-01-02", history_limit=80),
        id=report_workflow_id(code, YEAR),
        task_queue=world.settings.task_queue,
    )
    handle = world.handle("hq-gxj", YEAR)
    officer = world.actor("赵填报")
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, report_document("002")))
    for count in range(1, 21):
        result = await handle.execute_update(
            UPDATE_SET_CELLS, SetCells(officer, {"s4.review.upheld": str(count % 2)}), result_type=EditResult
        )
        assert result.filled == result.total

    described = await handle.describe()
    assert described.run_id != first.first_execution_run_id
    continued = await wait_for_status(world, "hq-gxj", YEAR, lambda s: s.filled == s.total)
    assert continued.stage is Stage.DRAFTING
    assert [change.note for change in continued.history] == ["年报工作启动"]

    await handle.execute_update(UPDATE_SET_CELLS, SetCells(officer, {"s4.review.upheld": "0"}))
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    for step, name in enumerate(("钱审核", "孙局长")):
        await handle.execute_update(UPDATE_DECIDE, Decision(world.actor(name), 1, step, approve=True))
    published = await wait_for_status(world, "hq-gxj", YEAR, lambda s: s.stage is Stage.PUBLISHED)
    assert published.revision == 1
    assert [c.stage for c in published.history] == [
        Stage.DRAFTING,
        Stage.VALIDATING,
        Stage.APPROVING,
        Stage.PUBLISHING,
        Stage.PUBLISHED,
    ]
