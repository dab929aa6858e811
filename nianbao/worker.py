"""The worker process's composition root: activities with their dependencies, both workflows, one queue."""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

from activities.directory import DirectoryActivities
from activities.drafts import DraftActivities
from activities.kickoff import KickoffActivities
from activities.messaging import Messenger, OutboxMessenger
from activities.notifications import NotificationActivities
from activities.planning import PlanningActivities
from activities.publication_target import LocalDirectoryTarget, PublicationTarget
from activities.publishing import PublishingActivities
from nianbao.connection import connect
from nianbao.namespace import require_attributes
from nianbao.settings import Settings
from storage.engine import make_engine
from storage.migrate import upgrade
from workflows.kickoff import KickoffWorkflow
from workflows.report_cycle import ReportCycleWorkflow

# Sync activities (database, rendering) run here; SQLite serialises writers anyway, PostgreSQL does not.
ACTIVITY_THREADS = 16


def build_worker(
    client: Client,
    settings: Settings,
    engine: Engine,
    executor: ThreadPoolExecutor,
    *,
    activity_threads: int = ACTIVITY_THREADS,
    messenger: Messenger | None = None,
    target: PublicationTarget | None = None,
) -> Worker:
    drafts = DraftActivities(engine)
    directory = DirectoryActivities(engine)
    notifications = NotificationActivities(messenger or OutboxMessenger(engine))
    planning = PlanningActivities(settings)
    publishing = PublishingActivities(engine, target or LocalDirectoryTarget(settings.publish_dir))
    kickoff = KickoffActivities(client, settings.task_queue)
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[ReportCycleWorkflow, KickoffWorkflow],
        activities=[
            directory.load_roster,
            directory.agency_batch,
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
    with ThreadPoolExecutor(max_workers=ACTIVITY_THREADS) as executor:
        worker = build_worker(client, settings, engine, executor)
        async with worker:
            print(f"worker 已启动：Temporal {settings.temporal_address}，任务队列 {settings.task_queue}", flush=True)
            await stop.wait()
    engine.dispose()
