"""The kickoff starts each agency's cycle once; a government's draft receives its departments' roll-up."""

from __future__ import annotations

import asyncio
import uuid

from contracts import (
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_SUBMIT_DOCUMENT,
    Decision,
    DeclareReady,
    KickoffInput,
    KickoffResult,
    Stage,
    SubmitDocument,
)
from storage.drafts import current_draft
from storage.engine import session_scope
from tests.workflows.cycle_env import CycleWorld, report_document, wait_for_notice, wait_for_status

YEAR = 2019


async def kickoff(world: CycleWorld) -> KickoffResult:
    result: KickoffResult = await world.client.execute_workflow(
        "Kickoff",
        KickoffInput(year=YEAR, start_date="2020-01-02", batch_size=2),
        id=f"kickoff-test-{uuid.uuid4().hex[:8]}",
        task_queue=world.settings.task_queue,
        result_type=KickoffResult,
    )
    return result


async def count_visible(world: CycleWorld, query: str, expected: int) -> int:
    """Visibility is eventually consistent: poll until the count settles on ``expected`` (or give up)."""
    count = -1
    for _ in range(50):
        count = (await world.client.count_workflows(query)).count
        if count == expected:
            return count
        await asyncio.sleep(0.2)
    return count


async def test_kickoff_twice_starts_every_cycle_once(world: CycleWorld) -> None:
    first = await kickoff(world)
    second = await kickoff(world)
    assert (first.started, first.already_running) == (3, 0)
    assert (second.started, second.already_running) == (0, 3)
    for agency in ("hq", "hq-xfb", "hq-gxj"):
        query = f'NianbaoAgency = "{world.code(agency)}" AND NianbaoYear = {YEAR}'
        assert await count_visible(world, query, 1) == 1
    drafting = f'NianbaoAgency STARTS_WITH "{world.prefix}" AND NianbaoStage = "drafting"'
    assert await count_visible(world, drafting, 3) == 3


async def publish_department(
    world: CycleWorld, agency: str, report: str, officer: str, approvers: tuple[str, str]
) -> None:
    handle = world.handle(agency, YEAR)
    actor = world.actor(officer)
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(actor, report_document(report)))
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(actor))
    status = await world.status(agency, YEAR)
    if status.stage is Stage.ACKNOWLEDGING:
        for finding in status.findings:
            await handle.execute_update(
                "acknowledge", {"actor": actor, "rule_id": finding.rule_id, "reason": "已核实"}
            )
    for step, name in enumerate(approvers):
        await wait_for_status(
            world,
            agency,
            YEAR,
            lambda s, step=step: s.current_step is not None and s.current_step.index == step,
        )
        await handle.execute_update(UPDATE_DECIDE, Decision(world.actor(name), 1, step, approve=True))
    await wait_for_status(world, agency, YEAR, lambda s: s.stage is Stage.PUBLISHED)


async def test_government_draft_starts_from_the_sum_of_its_departments(world: CycleWorld) -> None:
    await kickoff(world)
    waiting = await wait_for_status(world, "hq", YEAR, lambda s: bool(s.deadline))
    assert set(waiting.waiting_for_departments) == {world.code("hq-xfb"), world.code("hq-gxj")}
    assert waiting.deadline == "2020-03-31"

    await publish_department(world, "hq-xfb", "000", "王填报", ("李审核", "张主任"))
    await publish_department(world, "hq-gxj", "002", "赵填报", ("钱审核", "孙局长"))

    rolled = await wait_for_status(world, "hq", YEAR, lambda s: s.filled > 0)
    assert rolled.waiting_for_departments == ()
    await wait_for_notice(world.engine, world.people["周填报"], "汇总")
    with session_scope(world.engine) as session:
        draft = current_draft(session=session, agency_code=world.code("hq"), year=YEAR)
        assert draft is not None
        government = draft.document["sections"]
    departments = [report_document("000")["sections"], report_document("002")["sections"]]
    for section in ("s2", "s3", "s4"):
        for key, value in government[section]["cells"].items():
            figures = [
                d[section]["cells"][key] for d in departments if d[section]["cells"].get(key) is not None
            ]
            assert value == (sum(figures) if figures else None), key
    assert government["s3"]["cells"]["s3.new.natural"] == 1
