"""The yearly cycle at scale: kickoff plus a full cycle for N agencies, against bare workflows.

For each N (100 and 1,000 by default; ``python -m bench cycle_scale --agencies 100 300`` for others)
this seeds a fresh SQLite database with N departments (an officer, a reviewer and a head each) and runs
the real worker (``nianbao worker``, its own process) through: kickoff → submit a report → ready
(validation) → two approvals → publication, for every agency. Then, in the same run and against the same
dev server, N bare workflows do as many activities (no-ops) and updates on a bare worker process.

Like with like: one dev server for both runs, persisting to a SQLite file (as ``nianbao up`` does). The
driver never polls the workflows: the real run's end is read from the ``publication`` table (one
read-only query every half second for all agencies), the bare run's from the workflows' results.
Printed: wall time, peak worker RSS and worker CPU, with ratios to the bare run, and one line per size
``RESULT cycle_scale agencies=N seconds=S bare_seconds=B ratio=R worker_cpu_ms_per_cycle=C rss_mb=M
bare_rss_mb=BM``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

# The bare workflow below is re-imported by the sandbox for every run: keep this module's heavy
# imports out of it, as workflows/ does.
with workflow.unsafe.imports_passed_through():
    from sqlmodel import func, select

    from contracts import (
        SEARCH_ATTRIBUTE_TYPES,
        Actor,
        Channel,
        Decision,
        KickoffInput,
        KickoffResult,
        report_workflow_id,
    )
    from contracts.client import CycleClient, RefusalCode, Refused
    from domain.document import to_document
    from domain.importing import read_report
    from storage.engine import make_engine, read_scope, session_scope
    from storage.kinds import RoleName
    from storage.migrate import upgrade
    from storage.people import add_person_with_role
    from storage.tables import Agency, Publication

SIZES = (100, 1000)
YEAR = 2019
CONCURRENT_AGENCIES = 64
ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class Shape:
    """What one cycle does: activities (normal and local) and updates, as counted in its history."""

    activities: int
    local_activities: int
    updates: int


@dataclass(frozen=True)
class BareInput:
    activities_before: int
    activities_per_update: int
    updates: int
    local_before: int = 0
    local_per_update: int = 0

    @classmethod
    def like(cls, shape: Shape) -> BareInput:
        """The same numbers of normal and local activities as ``shape``, spread over its updates."""
        updates = max(shape.updates, 1)
        per_update = max(0, (shape.activities - 3) // updates)
        local_per_update = shape.local_activities // updates
        return cls(
            activities_before=shape.activities - per_update * shape.updates,
            activities_per_update=per_update,
            updates=shape.updates,
            local_before=shape.local_activities - local_per_update * shape.updates,
            local_per_update=local_per_update,
        )


@activity.defn(name="bare_step")
def bare_step(_: int) -> int:
    return 0


@workflow.defn(name="BareCycle")
class BareCycleWorkflow:
    """As many activities and updates as a real cycle, doing nothing: the floor of what Temporal costs."""

    @workflow.init
    def __init__(self, request: BareInput) -> None:
        # Set before any handler runs: an update arriving with the start must do its activities too.
        self._updates = 0
        self._request = request

    @workflow.run
    async def run(self, request: BareInput) -> int:
        for step in range(request.activities_before):
            await self._step(step)
        for step in range(request.local_before):
            await self._local_step(step)
        await workflow.wait_condition(
            lambda: self._updates >= request.updates and workflow.all_handlers_finished()
        )
        return self._updates

    @workflow.update(name="touch")
    async def touch(self, value: int) -> int:
        for step in range(self._request.activities_per_update):
            await self._step(step)
        for step in range(self._request.local_per_update):
            await self._local_step(step)
        self._updates += 1
        return value

    @staticmethod
    async def _step(step: int) -> None:
        await workflow.execute_activity(bare_step, step, start_to_close_timeout=timedelta(seconds=30))

    @staticmethod
    async def _local_step(step: int) -> None:
        await workflow.execute_local_activity(bare_step, step, start_to_close_timeout=timedelta(seconds=30))


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (the worker's rendering processes)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
    total = 0.0
    for process in (pid, *children):
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


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
    cycles: CycleClient, code: str, people: tuple[int, int, int], document: dict[str, object]
) -> None:
    officer, reviewer, head = (
        Actor(pid, f"{code}-{n}", Channel.CLI) for pid, n in zip(people, ("o", "r", "h"), strict=True)
    )
    await retried(lambda: cycles.submit(code, YEAR, officer, dict(document)))
    await retried(lambda: cycles.declare_ready(code, YEAR, officer))
    await retried(lambda: cycles.decide(code, YEAR, Decision(reviewer, 1, 0, approve=True)))
    await retried(lambda: cycles.decide(code, YEAR, Decision(head, 1, 1, approve=True)))


async def retried(call: Callable[[], Awaitable[ResultT]]) -> ResultT:
    """An update, retried while the cycle is not started yet or its task is being retried (as users would)."""
    for _ in range(300):
        try:
            return await call()
        except Refused as refusal:
            if refusal.code not in (RefusalCode.BUSY, RefusalCode.NOT_STARTED):
                raise
        await asyncio.sleep(1)
    raise RuntimeError("update never accepted")


async def all_published(database_url: str, count: int, seconds: float = 3000) -> None:
    """Wait until every agency's revision is published, reading the database (never the workflows)."""
    engine = make_engine(database_url)
    try:
        for _ in range(int(seconds / 0.5)):
            with read_scope(engine) as session:
                if session.exec(select(func.count()).select_from(Publication)).one() >= count:
                    return
            await asyncio.sleep(0.5)
    finally:
        engine.dispose()
    raise RuntimeError("not every cycle was published")


async def bounded(tasks: Sequence[Awaitable[None]], limit: int) -> None:
    semaphore = asyncio.Semaphore(limit)

    async def run(coroutine: Awaitable[None]) -> None:
        async with semaphore:
            await coroutine

    await asyncio.gather(*(run(task) for task in tasks))


async def count_cycle_work(client: Client, code: str) -> Shape:
    """Activities, local activities and updates of one finished cycle, from its history."""
    history = await client.get_workflow_handle(report_workflow_id(code, YEAR)).fetch_history()
    activities = sum(1 for e in history.events if e.HasField("activity_task_scheduled_event_attributes"))
    local = sum(
        1
        for e in history.events
        if e.HasField("marker_recorded_event_attributes")
        and e.marker_recorded_event_attributes.marker_name == "core_local_activity"
    )
    updates = sum(
        1 for e in history.events if e.HasField("workflow_execution_update_accepted_event_attributes")
    )
    return Shape(activities, local, updates)


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_mb: float
    cpu_seconds: float


async def real_run(env: WorkflowEnvironment, count: int, work: Path) -> tuple[Run, Shape]:
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
    cycles = CycleClient(env.client)
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
            [drive_cycle(cycles, code, ids, document) for code, ids in people.items()], CONCURRENT_AGENCIES
        )
        await all_published(database_url, count)
        elapsed = time.perf_counter() - started
        run = Run(elapsed, peak_rss_mb(worker.pid), cpu_seconds(worker.pid))
        work_done = await count_cycle_work(env.client, next(iter(people)))
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait()
    return run, work_done


async def bare_run(env: WorkflowEnvironment, count: int, shape: Shape, work: Path) -> Run:
    task_queue = f"bench-bare-{uuid.uuid4().hex[:8]}"
    variables = {**os.environ, "BENCH_TEMPORAL": env.client.service_client.config.target_host}
    worker = start_worker(
        [sys.executable, "-m", "bench.cycle_scale", "--bare-worker", task_queue], variables, work / "bare.log"
    )
    request = BareInput.like(shape)

    async def one(index: int) -> None:
        handle = await env.client.start_workflow(
            BareCycleWorkflow.run, request, id=f"{task_queue}-{index}", task_queue=task_queue
        )
        for value in range(shape.updates):
            await handle.execute_update(BareCycleWorkflow.touch, value)
        await handle.result()

    try:
        started = time.perf_counter()
        await bounded([one(i) for i in range(count)], CONCURRENT_AGENCIES)
        run = Run(time.perf_counter() - started, peak_rss_mb(worker.pid), cpu_seconds(worker.pid))
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait()
    return run


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
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal,
        search_attributes=keys,
        dev_server_database_filename=str(work / "temporal.db"),
    )
    results: list[str] = []
    try:
        print(f"one dev server for both runs, persisting to {work / 'temporal.db'}; worker database SQLite")
        print(
            f"{'agencies':>8} {'cycle s':>8} {'bare s':>7} {'time ×':>7} {'cycle MB':>9} {'bare MB':>8}"
            f" {'RSS ×':>6} {'CPU ms/cycle':>13} {'bare':>6}  per cycle",
            flush=True,
        )
        for count in sizes:
            real, shape = await real_run(env, count, work)
            bare = await bare_run(env, count, shape, work)
            cpu_ms, bare_cpu_ms = real.cpu_seconds * 1000 / count, bare.cpu_seconds * 1000 / count
            print(
                f"{count:>8} {real.seconds:>8.1f} {bare.seconds:>7.1f} {real.seconds / bare.seconds:>7.2f}"
                f" {real.rss_mb:>9.0f} {bare.rss_mb:>8.0f} {real.rss_mb / bare.rss_mb:>6.2f}"
                f" {cpu_ms:>13.0f} {bare_cpu_ms:>6.0f}  {shape.activities} activities"
                f" + {shape.local_activities} local, {shape.updates} updates",
                flush=True,
            )
            log = (work / "worker.log").read_text(encoding="utf-8", errors="replace")
            print(
                f"{'':>8} failed workflow tasks so far (retried): {log.count('Failing workflow task')}; logs in {work}"
            )
            results.append(
                f"RESULT cycle_scale agencies={count} seconds={real.seconds:.1f} bare_seconds={bare.seconds:.1f}"
                f" ratio={real.seconds / bare.seconds:.2f} worker_cpu_ms_per_cycle={cpu_ms:.0f}"
                f" rss_mb={real.rss_mb:.0f} bare_rss_mb={bare.rss_mb:.0f}"
            )
    finally:
        await env.shutdown()
    print("\n".join(results), flush=True)


def main(argv: Sequence[str] = ()) -> int:
    if argv[:1] == ["--bare-worker"]:
        asyncio.run(serve_bare(argv[1]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench cycle_scale")
    parser.add_argument("sizes", nargs="*", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--agencies", nargs="+", type=int, default=None, help="sizes to run (100 1000)")
    args = parser.parse_args(list(argv))
    asyncio.run(measure(tuple(args.agencies or args.sizes or SIZES)))
    return 0


if __name__ == "__main__":
    # Workflows must live in an importable module, not __main__: run the copy imported as bench.cycle_scale.
    from bench.cycle_scale import main as imported_main

    code = imported_main(sys.argv[1:])
    # The Temporal runtime's threads can abort interpreter shutdown (PyGILState_Release): leave at once.
    sys.stdout.flush()
    os._exit(code)
