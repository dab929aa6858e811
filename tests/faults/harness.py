"""A cycle walked through real processes while something breaks, and the books kept on every answer.

The Temporal dev server and the worker run as child processes (loopback only, killable with SIGKILL); the
test process plays the officer, sending each figure as the cycle's ``set_cells`` update with an update id
(``answer-N``), retried until the cycle acknowledges it, as a careful client would. Afterwards the
database is read: an acknowledged figure must be in its cell, with exactly one audit entry, and no figure
may turn up in another cell. ``FaultCounts`` holds the numbers each fault test prints on one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from temporalio.client import Client, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

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
from domain.formats import CellKind, report_format
from nianbao.namespace import register_attributes
from nianbao.settings import Settings
from storage.audit import audit_trail
from storage.drafts import current_draft
from storage.engine import make_engine, session_scope
from storage.migrate import upgrade
from tests.databases import fresh_database_url
from tests.nianbao.devserver import DevServer
from tests.workflows.cycle_env import CycleWorld, report_document, seed, start_cycle, wait_for_status

YEAR = 2019
AGENCY, OFFICER, APPROVERS, REPORT = "hq-gxj", "赵填报", ("钱审核", "孙局长"), "002"
# Figures that make report 002 pass validation (as in tests/workflows/test_worker_crash.py).
CONSISTENT = {"s4.review.upheld": "2", "s4.review.total": "2"}
ANSWER_DEADLINE = 180.0
RESULTS: list[str] = []


@dataclass
class FaultCounts:
    fault: str
    sent: int = 0
    acknowledged: int = 0
    stored: int = 0
    lost: int = 0
    misplaced: int = 0
    duplicated: int = 0
    published: bool = False

    def line(self) -> str:
        return (
            f"FAULT {self.fault}: sent={self.sent} acknowledged={self.acknowledged} stored={self.stored} "
            f"lost={self.lost} misplaced={self.misplaced} duplicated={self.duplicated} "
            f"published={'yes' if self.published else 'no'}"
        )


def answer_plan(count: int) -> dict[str, str]:
    """``count`` count cells of the 2019 format, each with a figure no other cell gets (and no report has)."""
    cells = [c.key for c in report_format("2019").cells if c.kind is CellKind.COUNT]
    return {key: str(700_000 + n) for n, key in enumerate(cells[:count])}


@dataclass
class Walk:
    """One agency's cycle on a dev server and a worker that the fault may kill."""

    root: Path
    server: DevServer
    settings: Settings
    engine: Engine
    world: CycleWorld | None = None
    worker: subprocess.Popen[bytes] | None = None
    acknowledged: dict[str, str] = field(default_factory=dict)

    def start_worker(self) -> None:
        variables = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
        variables |= {
            "NIANBAO_TEMPORAL_ADDRESS": self.server.address,
            "NIANBAO_DATABASE_URL": self.settings.database_url,
            "NIANBAO_TASK_QUEUE": self.settings.task_queue,
            "NIANBAO_PUBLISH_DIR": str(self.settings.publish_dir),
            "NIANBAO_DAY_SECONDS": str(self.settings.day_seconds),
        }
        with (self.root / "worker.log").open("ab") as log:
            command = [str(Path(sys.executable).parent / "nianbao"), "worker"]
            self.worker = subprocess.Popen(command, env=variables, stdout=log, stderr=log)

    def kill_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            os.kill(self.worker.pid, signal.SIGKILL)
            self.worker.wait()

    async def connect(self) -> Client:
        return await Client.connect(self.server.address)

    async def open_cycle(self) -> CycleWorld:
        client = await self.connect()
        await register_attributes(client)
        prefix = f"f{uuid.uuid4().hex[:6]}-"
        self.world = CycleWorld(client, self.settings, self.engine, seed(self.engine, prefix), prefix)
        await start_cycle(self.world, AGENCY, YEAR, "2020-01-02")
        document = report_document(REPORT)
        await self.update(
            UPDATE_SUBMIT_DOCUMENT, SubmitDocument(self.world.actor(OFFICER), document), "doc-1"
        )
        return self.world

    async def update(self, name: str, payload: Any, update_id: str, result_type: type | None = None) -> Any:
        """Send one update until the cycle answers; the same id makes a retry harmless."""
        assert self.world is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ANSWER_DEADLINE
        while True:
            try:
                # The handle is fetched anew: after a server restart the old client reconnects by itself.
                handle = self.world.handle(AGENCY, YEAR)
                return await handle.execute_update(name, payload, id=update_id, result_type=result_type)
            except (RPCError, WorkflowUpdateRPCTimeoutOrCancelledError):
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.5)

    async def answer(self, plan: dict[str, str], *, during: Callable[[int], Awaitable[None]]) -> None:
        """Send every figure of ``plan``, five at a time; ``during(n)`` runs after the n-th acknowledgement."""
        assert self.world is not None
        gate = asyncio.Semaphore(5)
        actor = self.world.actor(OFFICER)

        async def one(n: int, key: str, value: str) -> None:
            async with gate:
                try:
                    await self.update(UPDATE_SET_CELLS, SetCells(actor, {key: value}), f"answer-{n}")
                except (RPCError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError):
                    return
                self.acknowledged[key] = value
            await during(len(self.acknowledged))

        await asyncio.gather(*(one(n, key, value) for n, (key, value) in enumerate(plan.items())))

    async def publish(self) -> bool:
        """Put the report right again and walk it through approval to publication."""
        assert self.world is not None
        world = self.world
        await self.update(
            UPDATE_SUBMIT_DOCUMENT, SubmitDocument(world.actor(OFFICER), report_document(REPORT)), "doc-2"
        )
        await self.update(UPDATE_SET_CELLS, SetCells(world.actor(OFFICER), CONSISTENT), "consistent")
        ready = await self.update(
            UPDATE_DECLARE_READY, DeclareReady(world.actor(OFFICER)), "ready", ReadyResult
        )
        assert ready.stage is Stage.APPROVING, ready
        for step, name in enumerate(APPROVERS):
            await self.update(
                UPDATE_DECIDE, Decision(world.actor(name), 1, step, approve=True), f"decide-{step}"
            )
        status = await wait_for_status(world, AGENCY, YEAR, lambda s: s.stage is Stage.PUBLISHED, seconds=120)
        return len(status.publications) == 1

    def count(self, fault: str, plan: dict[str, str], draft_cells: dict[str, Any]) -> FaultCounts:
        """The books: ``draft_cells`` is every cell of the draft as read right after the answers."""
        assert self.world is not None
        code = self.world.code(AGENCY)
        counts = FaultCounts(fault, sent=len(plan), acknowledged=len(self.acknowledged))
        owner = {value: key for key, value in plan.items()}
        with session_scope(self.engine) as session:
            for key, value in self.acknowledged.items():
                trail = audit_trail(session=session, agency_code=code, year=YEAR, target=key)
                entries = sum(entry.new_value == value for entry in trail)
                counts.duplicated += entries > 1
                in_cell = draft_cells.get(key)
                if entries == 1 and in_cell is not None and str(in_cell) == value:
                    counts.stored += 1
                else:
                    counts.lost += 1
        counts.misplaced = sum(
            1 for key, value in draft_cells.items() if str(value) in owner and owner[str(value)] != key
        )
        return counts

    def draft_cells(self) -> dict[str, Any]:
        assert self.world is not None
        with session_scope(self.engine) as session:
            draft = current_draft(session=session, agency_code=self.world.code(AGENCY), year=YEAR)
            assert draft is not None
            return {
                k: v
                for section in draft.document["sections"].values()
                for k, v in section.get("cells", {}).items()
            }


@contextlib.contextmanager
def walk(root: Path, *, database_url: str | None = None) -> Iterator[Walk]:
    """A dev server on its own file, a migrated database, a worker; all stopped afterwards.

    The database is ``database_url``, else the test database (SQLite, or NIANBAO_TEST_DATABASE_URL's server).
    """
    server = DevServer(root / "temporal.db", root / "temporal.log")
    server.start()
    settings = Settings(
        database_url=database_url or fresh_database_url(root),
        publish_dir=root / "published",
        task_queue=f"faults-{uuid.uuid4().hex[:8]}",
        day_seconds=60.0,
    )
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    state = Walk(root, server, settings, engine)
    state.start_worker()
    try:
        yield state
    finally:
        state.kill_worker()
        server.kill()
        engine.dispose()


def report(counts: FaultCounts) -> None:
    """Record the fault's line for the end of the run (tests/faults/conftest.py) and show it now."""
    RESULTS.append(counts.line())
    print(counts.line(), flush=True)


def assert_nothing_lost(counts: FaultCounts) -> None:
    assert counts.acknowledged == counts.sent, counts.line()
    assert (counts.stored, counts.lost, counts.misplaced, counts.duplicated) == (counts.sent, 0, 0, 0), (
        counts.line()
    )
    assert counts.published, counts.line()


_SQLITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""
_POSTGRES_LOCK = """
import sys, time
import psycopg
with psycopg.connect(sys.argv[1]) as connection:
    connection.execute("LOCK TABLE draft, audit_entry IN ACCESS EXCLUSIVE MODE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    connection.rollback()
"""


def lock_database(settings: Settings, seconds: float) -> subprocess.Popen[str]:
    """Another process holds the write lock (SQLite) or locks the draft tables (PostgreSQL) for ``seconds``."""
    if settings.sqlite_path is not None:
        code, target = _SQLITE_LOCK, str(settings.sqlite_path)
    else:
        code = _POSTGRES_LOCK
        target = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    locker = subprocess.Popen(
        [sys.executable, "-c", code, target, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert locker.stdout is not None
    assert locker.stdout.readline().strip() == "locked"
    return locker
