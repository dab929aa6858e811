"""Deadlines on simulated days (1 s each): reminders, overdue flag and search attribute, escalation."""

from __future__ import annotations

import asyncio

from contracts import UPDATE_REMIND, Remind
from tests.workflows.cycle_env import CycleWorld, outbox_texts, start_cycle, wait_for_notice, wait_for_status

YEAR = 2019


async def test_overdue_cycle_reminds_officers_and_escalates_to_coordinators(world: CycleWorld) -> None:
    # 30 January 2020 is inside the Spring Festival holiday: the first working day is 3 February,
    # after the 31 January deadline, so the cycle is overdue from its first notice on.
    await start_cycle(world, "hq-gxj", YEAR, "2020-01-30")
    officer, coordinator = world.people["赵填报"], world.people["郑协调"]
    overdue = await wait_for_status(world, "hq-gxj", YEAR, lambda s: s.overdue, seconds=20)
    assert overdue.days_left < 0

    escalations = await wait_for_notice(world.engine, coordinator, "督办")
    assert "已逾期" in escalations[0]
    reminders = outbox_texts(world.engine, officer)
    assert any("超过发布截止日" in t for t in reminders)
    assert any("尚缺" in t for t in reminders)

    query = f'NianbaoAgency = "{world.code("hq-gxj")}" AND NianbaoOverdue = true'
    for _ in range(50):
        if (await world.client.count_workflows(query)).count == 1:
            break
        await asyncio.sleep(0.2)
    assert (await world.client.count_workflows(query)).count == 1


async def test_coordinator_reminds_whoever_holds_the_report(world: CycleWorld) -> None:
    await start_cycle(world, "hq-xfb", YEAR, "2020-01-02")
    handle = world.handle("hq-xfb", YEAR)
    reminded = await handle.execute_update(UPDATE_REMIND, Remind(world.actor("郑协调")), result_type=int)
    assert reminded == 1
    await wait_for_notice(world.engine, world.people["王填报"], "郑协调提醒")
