"""PostgreSQL crashes (immediate stop: every connection cut) and comes back mid-cycle: no answer is lost.

Runs on a throw-away PostgreSQL server of its own (skipped where no PostgreSQL binaries exist).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.faults.harness import answer_plan, assert_nothing_lost, report, walk
from tests.postgres_server import NoPostgresError, PostgresServer

ANSWERS = 40
CRASH_AFTER = 10
DOWN_SECONDS = 3.0


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer()
    except NoPostgresError as missing:
        pytest.skip(str(missing))
    server.start()
    try:
        yield server
    finally:
        server.remove()


def create_database(server: PostgresServer) -> str:
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text('CREATE DATABASE "nianbao"'))
    finally:
        admin.dispose()
    return server.url.rsplit("/", 1)[0] + "/nianbao"


async def test_postgresql_restarted_mid_cycle(postgres: PostgresServer, tmp_path: Path) -> None:
    with walk(tmp_path, database_url=create_database(postgres)) as state:
        await state.open_cycle()
        plan = answer_plan(ANSWERS)
        crashed = asyncio.Event()

        async def crash_once(acknowledged: int) -> None:
            if acknowledged >= CRASH_AFTER and not crashed.is_set():
                crashed.set()
                await asyncio.to_thread(postgres.stop, "immediate")
                await asyncio.sleep(DOWN_SECONDS)
                await asyncio.to_thread(postgres.start)

        await state.answer(plan, during=crash_once)
        assert crashed.is_set()
        counts = state.count("postgresql-restart", plan, state.draft_cells())
        counts.published = await state.publish()
    report(counts)
    assert_nothing_lost(counts)
