"""The demo that ``nianbao up --demo`` (``make run``) loads: agencies of the example reports, people with an
approval chain, a kicked-off year, and two reports already submitted so that cycles are in progress.

Loading twice changes nothing: agencies are updated in place, roles are granted once, the kickoff is
idempotent and a report is only submitted into an empty draft.
"""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

from sqlmodel import Session
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from contracts import (
    QUERY_STATUS,
    UPDATE_DECLARE_READY,
    UPDATE_SUBMIT_DOCUMENT,
    Actor,
    Channel,
    CycleStatus,
    DeclareReady,
    EditResult,
    KickoffInput,
    KickoffResult,
    ReadyResult,
    Stage,
    SubmitDocument,
    kickoff_workflow_id,
    report_workflow_id,
)
from domain.document import to_document
from domain.importing import read_report
from nianbao.connection import connect
from nianbao.settings import Settings
from storage.agencies import import_agencies, parse_agency_csv
from storage.engine import make_engine, session_scope
from storage.kinds import parse_role
from storage.people import add_person_with_role, find_person

DEMO_DIR = Path(__file__).resolve().parents[1] / "deploy" / "demo"
REPORTS = Path(__file__).resolve().parents[2] / "shared" / "reports"
# The example reports are of 2019, so the demo runs the 2019 cycle from its first working day.
DEMO_YEAR = 2019
DEMO_START = "2020-01-02"


def load_demo(settings: Settings) -> str:
    """Load everything and return what was done, in Chinese, for the console."""
    people = _load_directory(settings)
    return asyncio.run(_start_cycles(settings, people))


def _load_directory(settings: Settings) -> dict[str, int]:
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            import_agencies(
                session=session, rows=parse_agency_csv((DEMO_DIR / "agencies.csv").read_text("utf-8"))
            )
            with (DEMO_DIR / "people.csv").open(encoding="utf-8") as lines:
                for row in csv.DictReader(lines):
                    add_person_with_role(
                        session=session,
                        name=row["name"],
                        agency_code=row["agency"],
                        role=parse_role(row["role"]),
                    )
            return {name: _person_id(session, name) for name in {row["name"] for row in _people()}}
    finally:
        engine.dispose()


def _person_id(session: Session, name: str) -> int:
    person = find_person(session=session, reference=name)
    assert person.id is not None
    return person.id


async def _start_cycles(settings: Settings, people: dict[str, int]) -> str:
    client = await connect(settings)
    result = await client.execute_workflow(
        "Kickoff",
        KickoffInput(year=DEMO_YEAR, start_date=DEMO_START),
        id=kickoff_workflow_id(DEMO_YEAR),
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        result_type=KickoffResult,
    )
    submitted = [await _submit(client, row, people) for row in _submissions()]
    done = "、".join(name for name in submitted if name)
    return (
        f"演示数据已载入：{DEMO_YEAR}年度新启动{result.started}个机关的年报工作"
        + (f"，已代为提交：{done}" if done else "")
        + "。查看进度：nianbao status"
    )


def _submissions() -> list[dict[str, str]]:
    with (DEMO_DIR / "submissions.csv").open(encoding="utf-8") as lines:
        return list(csv.DictReader(lines))


async def _submit(client: Client, row: dict[str, str], people: dict[str, int]) -> str | None:
    handle = client.get_workflow_handle(report_workflow_id(row["agency"], DEMO_YEAR))
    status = await handle.query(QUERY_STATUS, result_type=CycleStatus)
    while not status.deadline:  # the cycle is still loading its roster
        await asyncio.sleep(0.2)
        status = await handle.query(QUERY_STATUS, result_type=CycleStatus)
    if status.stage is not Stage.DRAFTING or status.filled:
        return None
    name: str = status.agency_name
    officer = _officer_of(row["agency"])
    actor = Actor(people[officer], officer, Channel.IMPORT)
    path = next(REPORTS.glob(f"{row['report']}_*.txt"))
    document = to_document(read_report(path).report)
    await handle.execute_update(
        UPDATE_SUBMIT_DOCUMENT, SubmitDocument(actor, document, path.name), result_type=EditResult
    )
    if row["ready"] == "yes":
        await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(actor), result_type=ReadyResult)
    return name


def _officer_of(agency: str) -> str:
    return next(r["name"] for r in _people() if r["agency"] == agency and r["role"] == "officer")


def _people() -> list[dict[str, str]]:
    with (DEMO_DIR / "people.csv").open(encoding="utf-8") as lines:
        return list(csv.DictReader(lines))
