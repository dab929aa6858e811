"""The worker process is killed (SIGKILL) in the middle of cycles; a new one finishes them, losing nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from temporalio.testing import WorkflowEnvironment

from contracts import (
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    Decision,
    DeclareReady,
    ReadyResult,
    SetCells,
    Stage,
    SubmitDocument,
)
from nianbao.settings import Settings
from storage.audit import audit_trail
from storage.drafts import current_draft
from storage.engine import session_scope
from tests.workflows.cycle_env import CycleWorld, report_document, seed, start_cycle, wait_for_status

YEAR = 2019
NAMES = {"hq-gxj": "区工信局", "hq-xfb": "区信访办"}
DEPARTMENTS = {
    "hq-gxj": ("赵填报", "002", ("钱审核", "孙局长")),
    "hq-xfb": ("王填报", "002", ("李审核", "张主任")),
}


@contextmanager
def worker_process(
    env: WorkflowEnvironment, settings: Settings, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    variables = {
        **os.environ,
        "NIANBAO_TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "NIANBAO_DATABASE_URL": settings.database_url,
        "NIANBAO_TASK_QUEUE": settings.task_queue,
        "NIANBAO_PUBLISH_DIR": str(settings.publish_dir),
        "NIANBAO_DAY_SECONDS": str(settings.day_seconds),
    }
    command = [str(Path(sys.executable).parent / "nianbao"), "worker"]
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=variables, stdout=output, stderr=output)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


async def test_killed_worker_loses_no_figure_and_every_cycle_completes(
    temporal_env: WorkflowEnvironment, settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    prefix = f"t{uuid.uuid4().hex[:6]}-"
    world = CycleWorld(temporal_env.client, settings, engine, seed(engine, prefix), prefix)
    log = tmp_path / "worker.log"
    figures = {"s4.review.upheld": "2", "s4.review.total": "2"}
    with worker_process(temporal_env, settings, log) as first:
        for agency, (officer, report, _) in DEPARTMENTS.items():
            await start_cycle(world, agency, YEAR, "2020-01-02")
            handle = world.handle(agency, YEAR)
            document = report_document(report)
            # Both bureaus file 区工信局's figures; each as its own report (another agency's is refused).
            document["meta"]["agency"] = NAMES[agency]
            await handle.execute_update(
                UPDATE_SUBMIT_DOCUMENT, SubmitDocument(world.actor(officer), document)
            )
            await handle.execute_update(UPDATE_SET_CELLS, SetCells(world.actor(officer), figures))
        ready = [
            asyncio.create_task(
                world.handle(agency, YEAR).execute_update(
                    UPDATE_DECLARE_READY, DeclareReady(world.actor(officer)), result_type=ReadyResult
                )
            )
            for agency, (officer, _, _) in DEPARTMENTS.items()
        ]
        await asyncio.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()

    with worker_process(temporal_env, settings, log):
        outcomes = await asyncio.gather(*ready)
        assert [o.stage for o in outcomes] == [Stage.APPROVING, Stage.APPROVING]
        for agency, (_, _, approvers) in DEPARTMENTS.items():
            for step, name in enumerate(approvers):
                decision = Decision(world.actor(name), 1, step, approve=True)
                await world.handle(agency, YEAR).execute_update(UPDATE_DECIDE, decision)
            published = await wait_for_status(world, agency, YEAR, lambda s: s.stage is Stage.PUBLISHED)
            assert len(published.publications) == 1

    with session_scope(engine) as session:
        for agency in DEPARTMENTS:
            code = world.code(agency)
            draft = current_draft(session=session, agency_code=code, year=YEAR)
            assert draft is not None
            assert draft.published_at is not None
            assert draft.document["sections"]["s4"]["cells"]["s4.review.upheld"] == 2
            trail = audit_trail(session=session, agency_code=code, year=YEAR, target="s4.review.upheld")
            assert [entry.new_value for entry in trail][-1:] == ["2"]
            assert len([e for e in trail if e.new_value == "2"]) == 1
