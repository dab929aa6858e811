"""The database locked by another process for 30 s while the officer answers: answers wait, none is lost.

An answer sent during the lock is acknowledged only once it is stored (the cycle's activity retries the
write), so the officer either hears nothing yet or hears the truth; nothing lands in another cell.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.faults.harness import answer_plan, assert_nothing_lost, lock_database, report, walk

ANSWERS = 30
LOCK_AFTER = 8
LOCK_SECONDS = 30.0


async def test_answers_during_a_30_second_database_lock(tmp_path: Path) -> None:
    with walk(tmp_path) as state:
        await state.open_cycle()
        plan = answer_plan(ANSWERS)
        held: list[float] = []

        async def lock_once(acknowledged: int) -> None:
            if acknowledged >= LOCK_AFTER and not held:
                held.append(time.monotonic())
                locker = await asyncio.to_thread(lock_database, state.settings, LOCK_SECONDS)
                held.append(time.monotonic())
                await asyncio.to_thread(locker.wait, LOCK_SECONDS + 30)
                assert locker.stdout is not None
                locker.stdout.close()

        began = time.monotonic()
        await state.answer(plan, during=lock_once)
        assert held, "the lock was never taken"
        assert time.monotonic() - began >= LOCK_SECONDS
        counts = state.count("database-locked-30s", plan, state.draft_cells())
        counts.published = await state.publish()
    report(counts)
    assert_nothing_lost(counts)
