"""What one agency's cycle leaves behind: Temporal history (events, bytes) and database rows and bytes.

N departments (20 by default; ``python -m bench.cycle_footprint 50``) each walk kickoff → submit → FIGURES
single-figure edits (as officers answering in the bot) → ready → two approvals → publication, on a
file-backed dev server and a SQLite file. Printed per cycle: history events and JSON bytes, audit rows,
database bytes, and the same figures for the bare empty database, so a capacity plan can scale them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select
from temporalio.client import Client, WorkflowHistory
from temporalio.common import SearchAttributeKey
from temporalio.testing import WorkflowEnvironment

from bench.cycle_scale import YEAR, bounded, example_document, published, seed, start_worker, update
from contracts import (
    SEARCH_ATTRIBUTE_TYPES,
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    Actor,
    Channel,
    Decision,
    DeclareReady,
    KickoffInput,
    KickoffResult,
    SetCells,
    SubmitDocument,
    report_workflow_id,
)
from domain.formats import CellKind, report_format
from storage.engine import make_engine, session_scope
from storage.tables import AuditEntry, Draft, Outbox

AGENCIES = 20
FIGURES = 40


async def walk(client: Client, code: str, people: tuple[int, int, int], document: dict[str, object]) -> None:
    handle = client.get_workflow_handle(report_workflow_id(code, YEAR))
    officer, reviewer, head = (
        Actor(pid, f"{code}-{n}", Channel.BOT) for pid, n in zip(people, "orh", strict=True)
    )
    await update(handle, UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, document))
    cells = [c.key for c in report_format("2019").cells if c.kind is CellKind.COUNT][:FIGURES]
    cells_now = document["sections"]  # figures re-entered as they stand, so validation still passes
    for key in cells:
        value = cells_now[key.split(".")[0]]["cells"].get(key)  # type: ignore[index]
        await update(
            handle, UPDATE_SET_CELLS, SetCells(officer, {key: str(value if value is not None else 0)})
        )
    await update(handle, UPDATE_DECLARE_READY, DeclareReady(officer))
    await update(handle, UPDATE_DECIDE, Decision(reviewer, 1, 0, approve=True))
    await update(handle, UPDATE_DECIDE, Decision(head, 1, 1, approve=True))
    await published(handle)


async def measure(count: int) -> None:
    keys = [
        SearchAttributeKey.for_keyword(name)
        if kind == "Keyword"
        else SearchAttributeKey.for_int(name)
        if kind == "Int"
        else SearchAttributeKey.for_bool(name)
        for name, kind in SEARCH_ATTRIBUTE_TYPES.items()
    ]
    work = Path(tempfile.mkdtemp(prefix="nianbao-footprint-"))
    temporal_db = work / "temporal.db"
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        search_attributes=keys,
        dev_server_extra_args=["--db-filename", str(temporal_db)],
    )
    database = work / "nianbao.db"
    people = seed(f"sqlite:///{database}", count)
    empty_bytes = database.stat().st_size
    temporal_empty = temporal_db.stat().st_size
    task_queue = f"footprint-{uuid.uuid4().hex[:8]}"
    variables = {
        **os.environ,
        "NIANBAO_TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "NIANBAO_DATABASE_URL": f"sqlite:///{database}",
        "NIANBAO_TASK_QUEUE": task_queue,
        "NIANBAO_PUBLISH_DIR": str(work / "published"),
    }
    worker = start_worker(
        [str(Path(sys.executable).parent / "nianbao"), "worker"], variables, work / "worker.log"
    )
    try:
        started = time.perf_counter()
        result = await env.client.execute_workflow(
            "Kickoff",
            KickoffInput(year=YEAR, start_date="2020-01-02"),
            id=f"footprint-kickoff-{task_queue}",
            task_queue=task_queue,
            result_type=KickoffResult,
        )
        assert result.started == count, result
        document = example_document()
        await bounded([walk(env.client, code, ids, document) for code, ids in people.items()], 16)
        elapsed = time.perf_counter() - started
        code = next(iter(people))
        history = await env.client.get_workflow_handle(report_workflow_id(code, YEAR)).fetch_history()
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait()
        await env.shutdown()
    summarize(work, count, (empty_bytes, temporal_empty), elapsed, history)


def files_bytes(folder: Path, pattern: str) -> int:
    return sum(path.stat().st_size for path in folder.glob(pattern) if path.is_file())


def summarize(
    work: Path, count: int, empty: tuple[int, int], elapsed: float, history: WorkflowHistory
) -> None:
    empty_bytes, temporal_empty = empty
    database = work / "nianbao.db"
    history_bytes = len(history.to_json().encode())
    engine = make_engine(f"sqlite:///{database}")
    with session_scope(engine) as session:
        rows = {
            table.__name__: session.exec(select(func.count()).select_from(table)).one()
            for table in (Draft, AuditEntry, Outbox)
        }
    engine.dispose()
    database_bytes = files_bytes(work, "nianbao.db*")
    temporal_bytes = files_bytes(work, "temporal.db*")
    published_bytes = files_bytes(work / "published", "**/*")
    print(f"agencies {count}, {FIGURES} single-figure edits each, {elapsed:.1f} s wall")
    print(f"history of one cycle: {len(history.events)} events, {history_bytes / 1024:.0f} KiB as JSON")
    print("rows per cycle: " + ", ".join(f"{name} {n / count:.1f}" for name, n in rows.items()))
    print(f"nianbao database per cycle: {(database_bytes - empty_bytes) / count / 1024:.0f} KiB")
    print(f"Temporal database per cycle: {(temporal_bytes - temporal_empty) / count / 1024:.0f} KiB")
    print(f"published files per cycle: {published_bytes / count / 1024:.0f} KiB")
    print(
        f"RESULT cycle_footprint events={len(history.events)} history_kib={history_bytes / 1024:.0f} "
        f"db_kib={(database_bytes - empty_bytes) / count / 1024:.0f} "
        f"temporal_kib={(temporal_bytes - temporal_empty) / count / 1024:.0f} "
        f"published_kib={published_bytes / count / 1024:.0f}",
        flush=True,
    )


def main(argv: Sequence[str] = ()) -> int:
    asyncio.run(measure(int(argv[0]) if argv else AGENCIES))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    from bench.cycle_footprint import main as imported_main

    sys.exit(imported_main(sys.argv[1:]))
