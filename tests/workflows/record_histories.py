"""Record the histories that ``test_replay.py`` replays: ``python -m tests.workflows.record_histories PREFIX``.

Runs a kickoff and full cycles (validation failure and fix, a warning acknowledged, a rejection, approval,
publication, a correction, the government roll-up) on a fresh dev server and writes each workflow's
history to ``histories/<name>.json``. Re-record only when a workflow change is deliberately incompatible
(and then behind ``workflow.patched``, so the old histories still replay). Each set of recordings gets
its own file-name prefix and the older sets stay: ``stored-`` are cycles that keep the draft only in storage
(``DRAFT_IN_STORAGE``), the unprefixed ones were recorded before.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from contracts import (
    UPDATE_ACKNOWLEDGE,
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_REQUEST_CORRECTION,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    Acknowledge,
    CorrectionRequest,
    CycleStatus,
    Decision,
    DeclareReady,
    KickoffInput,
    SetCells,
    SubmitDocument,
    kickoff_workflow_id,
)
from nianbao.worker import build_worker
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.workflows.cycle_env import (
    SEARCH_ATTRIBUTES,
    CycleWorld,
    make_settings,
    report_document,
    seed,
    temporal_binary,
    wait_for_status,
)

HISTORIES = Path(__file__).resolve().parent / "histories"
YEAR = 2019


async def wait_stage(world: CycleWorld, agency: str, stage: str) -> CycleStatus:
    return await wait_for_status(world, agency, YEAR, lambda s: s.stage.value == stage)


async def scenario(world: CycleWorld) -> None:
    await world.client.execute_workflow(
        "Kickoff",
        KickoffInput(year=YEAR, start_date="2020-01-02", batch_size=2),
        id=kickoff_workflow_id(YEAR),
        task_queue=world.settings.task_queue,
    )
    xfb, gxj = world.handle("hq-xfb", YEAR), world.handle("hq-gxj", YEAR)
    wang, zhao = world.actor("王填报"), world.actor("赵填报")
    await wait_stage(world, "hq-xfb", "drafting")
    await xfb.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(wang, report_document("000"), "000.txt"))
    await xfb.execute_update(UPDATE_SET_CELLS, SetCells(wang, {"s3.new.natural": "3"}))
    await xfb.execute_update(UPDATE_DECLARE_READY, DeclareReady(wang))
    await xfb.execute_update(UPDATE_SET_CELLS, SetCells(wang, {"s3.new.natural": "0"}))
    await xfb.execute_update(UPDATE_DECLARE_READY, DeclareReady(wang))
    await xfb.execute_update(UPDATE_ACKNOWLEDGE, Acknowledge(wang, "cells.money_unit", "已核实单位为万元"))
    await wait_stage(world, "hq-xfb", "approving")
    await xfb.execute_update(UPDATE_DECIDE, Decision(world.actor("李审核"), 1, 0, approve=True))
    await xfb.execute_update(UPDATE_DECIDE, Decision(world.actor("张主任"), 1, 1, False, "请补充第五部分"))
    await wait_stage(world, "hq-xfb", "drafting")
    await xfb.execute_update(UPDATE_DECLARE_READY, DeclareReady(wang))
    await xfb.execute_update(UPDATE_DECIDE, Decision(world.actor("李审核"), 2, 0, approve=True))
    await xfb.execute_update(UPDATE_DECIDE, Decision(world.actor("张主任"), 2, 1, approve=True))
    await wait_stage(world, "hq-xfb", "published")
    await xfb.execute_update(UPDATE_REQUEST_CORRECTION, CorrectionRequest(wang, "复议数字更正"))
    await xfb.execute_update(UPDATE_DECLARE_READY, DeclareReady(wang))
    await xfb.execute_update(UPDATE_ACKNOWLEDGE, Acknowledge(wang, "cells.money_unit", "已核实单位为万元"))
    await wait_stage(world, "hq-xfb", "approving")
    await xfb.execute_update(UPDATE_DECIDE, Decision(world.actor("李审核"), 3, 0, approve=True))
    await xfb.execute_update(UPDATE_DECIDE, Decision(world.actor("张主任"), 3, 1, approve=True))
    await wait_stage(world, "hq-xfb", "published")

    await gxj.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(zhao, report_document("002"), "002.txt"))
    await gxj.execute_update(UPDATE_DECLARE_READY, DeclareReady(zhao))
    await gxj.execute_update(UPDATE_DECIDE, Decision(world.actor("钱审核"), 1, 0, approve=True))
    await gxj.execute_update(UPDATE_DECIDE, Decision(world.actor("孙局长"), 1, 1, approve=True))
    await wait_stage(world, "hq-gxj", "published")
    await wait_for_status(world, "hq", YEAR, lambda s: s.filled > 0)


async def record(client: Client, workflow_id: str, name: str, prefix: str) -> None:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    (HISTORIES / f"{prefix}{name}.json").write_text(history.to_json(), encoding="utf-8")


async def main(prefix: str) -> None:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(), search_attributes=SEARCH_ATTRIBUTES
    )
    try:
        with tempfile.TemporaryDirectory() as directory:
            settings = make_settings(Path(directory), day_seconds=5.0)
            upgrade(settings.database_url)
            engine = make_engine(settings.database_url)
            world = CycleWorld(env.client, settings, engine, seed(engine, ""), "")
            with ThreadPoolExecutor(max_workers=8) as executor:
                async with build_worker(env.client, settings, engine, executor, activity_threads=8):
                    await scenario(world)
            engine.dispose()
        HISTORIES.mkdir(exist_ok=True)
        await record(env.client, kickoff_workflow_id(YEAR), "kickoff", prefix)
        await record(env.client, "report-hq-xfb-2019", "department-rejected-corrected", prefix)
        await record(env.client, "report-hq-gxj-2019", "department-published", prefix)
        await record(env.client, "report-hq-2019", "government-rolled-up", prefix)
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else ""))
    # The Temporal runtime's threads can abort interpreter shutdown (PyGILState_Release): leave at once.
    sys.stdout.flush()
    os._exit(0)
