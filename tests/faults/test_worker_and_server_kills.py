"""kill -9 of the worker during a burst of answers, and of the Temporal server mid-walk: nothing is lost.

Each test is bounded (pytest-timeout-free: every wait in the harness has a deadline) and uses loopback only.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.faults.harness import answer_plan, assert_nothing_lost, report, walk

ANSWERS = 40
KILL_AFTER = 10


async def test_worker_killed_during_a_burst_of_answers(tmp_path: Path) -> None:
    with walk(tmp_path) as state:
        await state.open_cycle()
        plan = answer_plan(ANSWERS)
        killed = asyncio.Event()

        async def kill_worker_once(acknowledged: int) -> None:
            if acknowledged >= KILL_AFTER and not killed.is_set():
                killed.set()
                state.kill_worker()
                await asyncio.sleep(1.0)
                state.start_worker()

        await state.answer(plan, during=kill_worker_once)
        assert killed.is_set()
        counts = state.count("worker-kill-9", plan, state.draft_cells())
        counts.published = await state.publish()
    report(counts)
    assert_nothing_lost(counts)


async def test_temporal_server_killed_mid_walk_and_restarted_on_its_file(tmp_path: Path) -> None:
    with walk(tmp_path) as state:
        await state.open_cycle()
        plan = answer_plan(ANSWERS)
        killed = asyncio.Event()

        async def kill_server_once(acknowledged: int) -> None:
            if acknowledged >= KILL_AFTER and not killed.is_set():
                killed.set()
                state.server.kill()
                await asyncio.sleep(1.0)
                await asyncio.to_thread(state.server.start)

        await state.answer(plan, during=kill_server_once)
        assert killed.is_set()
        counts = state.count("temporal-kill-9", plan, state.draft_cells())
        counts.published = await state.publish()
    report(counts)
    assert_nothing_lost(counts)
