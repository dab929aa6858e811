"""The worker process's composition root: activities with their dependencies, both workflows, one queue."""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

from activities.directory import DirectoryActivities
from activities.drafts import DraftActivities
from activities.editing import EditingActivities
from activities.kickoff import KickoffActivities
from activities.messaging import Messenger, OutboxMessenger
from activities.notifications import NotificationActivities
from activities.planning import PlanningActivities
from activities.publication_target import LocalDirectoryTarget, PublicationTarget, PublicDirectoryAddress
from activities.publishing import PublishingActivities
from activities.review_briefs import StoredBriefs
from nianbao.connection import connect
from nianbao.namespace import require_attributes
from nianbao.settings import Settings
from storage.engine import make_engine
from storage.migrate import upgrade
from workflows.kickoff import KickoffWorkflow
from workflows.report_cycle import ReportCycleWorkflow

# Sync activities (database, rendering) run here; SQLite serialises writers anyway, PostgreSQL does not.
ACTIVITY_THREADS = 16
# Rendering (python-docx, CPU-bound) in its own processes, so it never holds the worker's GIL.
RENDER_PROCESSES = 2


def build_worker(
    client: Client,
    settings: Settings,
    engine: Engine,
    executor: ThreadPoolExecutor,
    *,
    activity_threads: int = ACTIVITY_THREADS,
    messenger: Messenger | None = None,
    target: PublicationTarget | None = None,
    render_pool: Executor | None = None,
) -> Worker:
    drafts = DraftActivities(engine)
    editing = EditingActivities(engine)
    directory = DirectoryActivities(engine)
    notifications = NotificationActivities(
        messenger or OutboxMessenger(engine),
        StoredBriefs(engine),
        PublicDirectoryAddress(settings.publish_dir, settings.public_base_url),
    )
    planning = PlanningActivities(settings)
    publishing = PublishingActivities(
        engine, target or LocalDirectoryTarget(settings.publish_dir), render_pool=render_pool
    )
    kickoff = KickoffActivities(client, settings.task_queue)
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[ReportCycleWorkflow, KickoffWorkflow],
        activities=[
            directory.load_roster,
            directory.agency_batch,
            editing.open_report,
            editing.apply_edit,
            editing.reopen_report,
            editing.read_document,
            drafts.open_draft,
            drafts.record_edit,
            drafts.check_draft,
            drafts.record_acknowledgement,
            drafts.record_decision,
            drafts.reopen,
            drafts.roll_up,
            drafts.upsert_status,
            notifications.notify,
            planning.plan_deadlines,
            publishing.publish,
            kickoff.start_cycles,
        ],
        activity_executor=executor,
        # As many activities at once as the pool has threads: more would only queue inside the worker.
        max_concurrent_activities=activity_threads,
    )


async def check_namespace(client: Client) -> None:
    """Refuse (``NamespaceNotReadyError``) a namespace without the search attributes every cycle sets.

    Where the operator service is closed to this client (Temporal Cloud API keys) the check is skipped:
    ``nianbao setup`` told the operator how to register them there.
    """
    try:
        await require_attributes(client)
    except RPCError as error:
        if error.status not in (RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED):
            raise
        print(f"无法检查搜索属性（{error.status.name}），假定已按 nianbao setup 的说明注册。", flush=True)


async def run_worker(settings: Settings) -> None:
    """Connect, check the namespace, migrate and work until SIGINT/SIGTERM.

    In-flight activities are retried elsewhere. Raises ``NamespaceNotReadyError`` before polling anything
    when the namespace lacks the search attributes.
    """
    client = await connect(settings)
    await check_namespace(client)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # "spawn": a forked child would inherit the Temporal runtime's threads in whatever state they were.
    spawn = multiprocessing.get_context("spawn")
    with (
        ThreadPoolExecutor(max_workers=ACTIVITY_THREADS) as executor,
        ProcessPoolExecutor(max_workers=RENDER_PROCESSES, mp_context=spawn) as render_pool,
    ):
        worker = build_worker(client, settings, engine, executor, render_pool=render_pool)
        async with worker:
            print(f"worker 已启动：Temporal {settings.temporal_address}，任务队列 {settings.task_queue}", flush=True)
            await stop.wait()
    engine.dispose()
