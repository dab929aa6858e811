"""The yearly cycle at scale: kickoff plus a full cycle for N agencies, against bare workflows.

For each N (100 and 1,000 by default; ``python -m bench cycle_scale 100 300`` for others) this starts a
fresh dev server database, N departments with an officer, a reviewer and a head each, and runs the real
worker (``nianbao worker``, its own process) through: kickoff → submit a report → ready (validation) →
two approvals → publication, for every agency. Then, in the same run, N bare workflows do the same
number of activities (no-ops) and updates on a bare worker process. Printed: wall time, peak worker
RSS, and both as ratios to the bare run, so the numbers compare across machines.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio import activity, workflow
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

# The bare workflow below is re-imported by the sandbox for every run: keep this module's heavy
# imports out of it, as workflows/ does.
with workflow.unsafe.imports_passed_through():
    from contracts import (
        QUERY_STATUS,
        SEARCH_ATTRIBUTE_TYPES,
        UPDATE_DECIDE,
        UPDATE_DECLARE_READY,
        UPDATE_SUBMIT_DOCUMENT,
        Actor,
        Channel,
        CycleStatus,
        Decision,
        DeclareReady,
        KickoffInput,
        KickoffResult,
        Stage,
        SubmitDocument,
        report_workflow_id,
    )
    from domain.document import to_document
    from domain.importing import read_report
    from storage.engine import make_engine, session_scope
    from storage.kinds import RoleName
    from storage.migrate import upgrade
    from storage.people import add_person_with_role
    from storage.tables import Agency

SIZES = (100, 1000)
YEAR = 2019
CONCURRENT_AGENCIES = 64


@dataclass(frozen=True)
class BareInput:
    activities_before: int
    activities_per_update: int
    updates: int


@activity.defn(name="bare_step")
def bare_step(_: int) -> int:
    return 0


@workflow.defn(name="BareCycle")
class BareCycleWorkflow:
    """As many activities and updates as a real cycle, doing nothing: the floor of what Temporal costs."""

    def __init__(self) -> None:
        self._updates = 0
        self._per_update = 0

    @workflow.run
    async def run(self, request: BareInput) -> int:
        self._per_update = request.activities_per_update
        for step in range(request.activities_before):
            await self._step(step)
        await workflow.wait_condition(
            lambda: self._updates >= request.updates and workflow.all_handlers_finished()
        )
        return self._updates

    @workflow.update(name="touch")
    async def touch(self, value: int) -> int:
        for step in range(self._per_update):
            await self._step(step)
        self._updates += 1
        return value

    @staticmethod
    async def _step(step: int) -> None:
        await workflow.execute_activity(bare_step, step, start_to_close_timeout=timedelta(seconds=30))


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def seed(database_url: str, count: int) -> dict[str, tuple[int, int, int]]:
    """N departments, each with (officer, reviewer, head) person ids."""
    upgrade(database_url)
    engine = make_engine(database_url)
    people: dict[str, tuple[int, int, int]] = {}
    with session_scope(engine) as session:
        for index in range(count):
            code = f"n{count}-{index:05d}"
            session.add(Agency(code=code, name=f"第{index}部门", kind="department"))
            session.flush()
            ids = []
            for role in (RoleName.OFFICER, RoleName.REVIEWER, RoleName.HEAD):
                grant = add_person_with_role(
                    session=session, name=f"{code}-{role.value}", agency_code=code, role=role
                )
                assert grant.person.id is not None
                ids.append(grant.person.id)
            people[code] = (ids[0], ids[1], ids[2])
    engine.dispose()
    return people


def example_document() -> dict[str, object]:
    """A clean published report of the right year (example 002), as every agency submits it."""
    reports = Path(__file__).resolve().parents[2] / "shared" / "reports"
    return to_document(read_report(next(reports.glob("002_*.txt"))).report)


def start_worker(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=output)


async def drive_cycle(
    client: Client, code: str, people: tuple[int, int, int], document: dict[str, object]
) -> None:
    handle = client.get_workflow_handle(report_workflow_id(code, YEAR))
    officer, reviewer, head = (
        Actor(pid, f"{code}-{n}", Channel.CLI) for pid, n in zip(people, ("o", "r", "h"), strict=True)
    )
    await update(handle, UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, document))
    await update(handle, UPDATE_DECLARE_READY, DeclareReady(officer))
    await update(handle, UPDATE_DECIDE, Decision(reviewer, 1, 0, approve=True))
    await update(handle, UPDATE_DECIDE, Decision(head, 1, 1, approve=True))
    await published(handle)


async def update(handle: WorkflowHandle[Any, Any], name: str, payload: object) -> None:
    """An update, retried while the workflow's task is being retried (as the bot and CLI users would)."""
    for _ in range(300):
        try:
            await handle.execute_update(name, payload)
            return
        except RPCError as error:
            if error.status is not RPCStatusCode.FAILED_PRECONDITION:
                raise
        await asyncio.sleep(1)
    raise RuntimeError(f"{handle.id}: update {name} never accepted")


async def published(handle: WorkflowHandle[Any, Any]) -> None:
    for _ in range(3000):
        if (await handle.query(QUERY_STATUS, result_type=CycleStatus)).stage is Stage.PUBLISHED:
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{handle.id} was not published")


async def bounded(tasks: Sequence[asyncio.Future[None] | object], limit: int) -> None:
    semaphore = asyncio.Semaphore(limit)

    async def run(coroutine: object) -> None:
        async with semaphore:
            await coroutine  # type: ignore[misc]

    await asyncio.gather(*(run(task) for task in tasks))


async def count_cycle_work(client: Client, code: str) -> tuple[int, int]:
    """Activities and updates of one finished cycle, from its history."""
    history = await client.get_workflow_handle(report_workflow_id(code, YEAR)).fetch_history()
    activities = sum(1 for e in history.events if e.HasField("activity_task_scheduled_event_attributes"))
    updates = sum(
        1 for e in history.events if e.HasField("workflow_execution_update_accepted_event_attributes")
    )
    return activities, updates


async def real_run(env: WorkflowEnvironment, count: int, work: Path) -> tuple[float, float, tuple[int, int]]:
    database_url = f"sqlite:///{work / f'real-{count}.db'}"
    people = seed(database_url, count)
    task_queue = f"bench-real-{uuid.uuid4().hex[:8]}"
    variables = {
        **os.environ,
        "NIANBAO_TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "NIANBAO_DATABASE_URL": database_url,
        "NIANBAO_TASK_QUEUE": task_queue,
        "NIANBAO_PUBLISH_DIR": str(work / f"published-{count}"),
    }
    worker = start_worker(
        [str(Path(sys.executable).parent / "nianbao"), "worker"], variables, work / "worker.log"
    )
    document = example_document()
    try:
        started = time.perf_counter()
        result = await env.client.execute_workflow(
            "Kickoff",
            KickoffInput(year=YEAR, start_date="2020-01-02"),
            id=f"bench-kickoff-{task_queue}",
            task_queue=task_queue,
            result_type=KickoffResult,
        )
        assert result.started == count, result
        await bounded(
            [drive_cycle(env.client, code, ids, document) for code, ids in people.items()],
            CONCURRENT_AGENCIES,
        )
        elapsed = time.perf_counter() - started
        rss = peak_rss_mb(worker.pid)
        work_done = await count_cycle_work(env.client, next(iter(people)))
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait()
    return elapsed, rss, work_done


async def bare_run(
    env: WorkflowEnvironment, count: int, activities: int, updates: int, work: Path
) -> tuple[float, float]:
    task_queue = f"bench-bare-{uuid.uuid4().hex[:8]}"
    variables = {**os.environ, "BENCH_TEMPORAL": env.client.service_client.config.target_host}
    worker = start_worker(
        [sys.executable, "-m", "bench.cycle_scale", "--bare-worker", task_queue], variables, work / "bare.log"
    )
    per_update = max(0, (activities - 3) // max(updates, 1))
    request = BareInput(
        activities_before=activities - per_update * updates, activities_per_update=per_update, updates=updates
    )

    async def one(index: int) -> None:
        handle = await env.client.start_workflow(
            BareCycleWorkflow.run, request, id=f"{task_queue}-{index}", task_queue=task_queue
        )
        for value in range(updates):
            await handle.execute_update(BareCycleWorkflow.touch, value)
        await handle.result()

    try:
        started = time.perf_counter()
        await bounded([one(i) for i in range(count)], CONCURRENT_AGENCIES)
        elapsed = time.perf_counter() - started
        rss = peak_rss_mb(worker.pid)
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait()
    return elapsed, rss


async def serve_bare(task_queue: str) -> None:
    client = await Client.connect(os.environ["BENCH_TEMPORAL"])
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)
    with ThreadPoolExecutor(max_workers=16) as executor:
        async with Worker(
            client,
            task_queue=task_queue,
            workflows=[BareCycleWorkflow],
            activities=[bare_step],
            activity_executor=executor,
            max_concurrent_activities=16,
        ):
            await stop.wait()


async def measure(sizes: Sequence[int]) -> None:
    from temporalio.common import SearchAttributeKey

    keys = [
        SearchAttributeKey.for_keyword(name)
        if kind == "Keyword"
        else SearchAttributeKey.for_int(name)
        if kind == "Int"
        else SearchAttributeKey.for_bool(name)
        for name, kind in SEARCH_ATTRIBUTE_TYPES.items()
    ]
    temporal = str(Path(sys.executable).parent / "temporal")
    # Kept after the run: the worker logs there say why a workflow task failed, if one did.
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    env = await WorkflowEnvironment.start_local(dev_server_existing_path=temporal, search_attributes=keys)
    try:
        print(
            f"{'agencies':>8} {'cycle s':>8} {'bare s':>7} {'time ×':>7} {'cycle MB':>9} {'bare MB':>8} {'RSS ×':>6}"
            "  per cycle",
            flush=True,
        )
        for count in sizes:
            elapsed, rss, (activities, updates) = await real_run(env, count, work)
            bare_elapsed, bare_rss = await bare_run(env, count, activities, updates, work)
            print(
                f"{count:>8} {elapsed:>8.1f} {bare_elapsed:>7.1f} {elapsed / bare_elapsed:>7.2f}"
                f" {rss:>9.0f} {bare_rss:>8.0f} {rss / bare_rss:>6.2f}  {activities} activities, {updates} updates",
                flush=True,
            )
            log = (work / "worker.log").read_text(encoding="utf-8", errors="replace")
            print(
                f"{'':>8} failed workflow tasks so far (retried): {log.count('Failing workflow task')}; logs in {work}"
            )
    finally:
        await env.shutdown()


def main(argv: Sequence[str] = ()) -> int:
    if argv[:1] == ["--bare-worker"]:
        asyncio.run(serve_bare(argv[1]))
        return 0
    sizes = tuple(int(arg) for arg in argv) or SIZES
    asyncio.run(measure(sizes))
    return 0


if __name__ == "__main__":
    # Workflows must live in an importable module, not __main__: run the copy imported as bench.cycle_scale.
    from bench.cycle_scale import main as imported_main

    sys.exit(imported_main(sys.argv[1:]))
