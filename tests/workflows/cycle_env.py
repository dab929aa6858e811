"""A real cycle environment for tests: the Temporal dev server, a SQLite file, the worker in-process.

One dev server per test session (custom search attributes registered); each test gets its own task
queue, database file, publish directory and worker, so tests never see each other's cycles.
"""

from __future__ import annotations

import asyncio
import csv
import json
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from contracts import (
    QUERY_STATUS,
    SEARCH_ATTRIBUTE_AGENCY,
    SEARCH_ATTRIBUTE_OVERDUE,
    SEARCH_ATTRIBUTE_STAGE,
    SEARCH_ATTRIBUTE_YEAR,
    Actor,
    Channel,
    CycleInput,
    CycleStatus,
    report_workflow_id,
)
from domain.document import to_document
from domain.importing import read_report
from nianbao.settings import Settings
from nianbao.worker import build_worker
from storage.agencies import import_agencies, parse_agency_csv
from storage.engine import make_engine, session_scope
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.outbox import list_messages
from storage.people import add_person_with_role
from tests.databases import fresh_database_url

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "reports"
SEARCH_ATTRIBUTES = (
    SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_STAGE),
    SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_AGENCY),
    SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_YEAR),
    SearchAttributeKey.for_bool(SEARCH_ATTRIBUTE_OVERDUE),
)
# Districts of 红桥区 as in the example reports: the government and two of its departments.
AGENCIES_CSV = """code,name,kind,parent
hq,天津市红桥区人民政府,government,
hq-xfb,区信访办,department,hq
hq-gxj,区工信局,department,hq
"""
# (name, agency, role) of everyone the tests act as.
PEOPLE: tuple[tuple[str, str, RoleName], ...] = (
    ("王填报", "hq-xfb", RoleName.OFFICER),
    ("李审核", "hq-xfb", RoleName.REVIEWER),
    ("张主任", "hq-xfb", RoleName.HEAD),
    ("赵填报", "hq-gxj", RoleName.OFFICER),
    ("钱审核", "hq-gxj", RoleName.REVIEWER),
    ("孙局长", "hq-gxj", RoleName.HEAD),
    ("周填报", "hq", RoleName.OFFICER),
    ("吴区长", "hq", RoleName.HEAD),
    ("郑协调", "hq", RoleName.COORDINATOR),
    ("郑协调", "hq-xfb", RoleName.COORDINATOR),
    ("郑协调", "hq-gxj", RoleName.COORDINATOR),
)


def temporal_binary() -> str:
    return shutil.which("temporal") or str(Path(sys.executable).parent / "temporal")


def report_document(name: str) -> dict[str, Any]:
    """The document of one example report (by file-name prefix) as imported."""
    path = next(REPORTS.glob(f"{name}_*.txt"))
    return to_document(read_report(path).report)


@dataclass
class CycleWorld:
    """Everything a test drives: the client, the settings the worker runs with, the database."""

    client: Client
    settings: Settings
    engine: Engine
    people: dict[str, int]
    prefix: str

    def code(self, agency: str) -> str:
        """Agency codes are unique per test: workflow ids of all tests share the session's server."""
        return f"{self.prefix}{agency}"

    def actor(self, name: str, channel: Channel = Channel.CLI) -> Actor:
        return Actor(self.people[name], name, channel)

    def handle(self, agency: str, year: int) -> WorkflowHandle[Any, Any]:
        return self.client.get_workflow_handle(report_workflow_id(self.code(agency), year))

    async def status(self, agency: str, year: int) -> CycleStatus:
        result: CycleStatus = await self.handle(agency, year).query(QUERY_STATUS, result_type=CycleStatus)
        return result


@pytest.fixture(scope="session", name="temporal_env")
async def temporal_env_fixture() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(), search_attributes=SEARCH_ATTRIBUTES
    )
    try:
        yield env
    finally:
        await env.shutdown()


def make_settings(tmp_path: Path, *, day_seconds: float = 1.0, **overrides: Any) -> Settings:
    return Settings(
        database_url=fresh_database_url(tmp_path),
        publish_dir=tmp_path / "published",
        task_queue=f"test-{uuid.uuid4().hex[:12]}",
        day_seconds=day_seconds,
        **overrides,
    )


def seed(engine: Engine, prefix: str) -> dict[str, int]:
    csv_text = AGENCIES_CSV.replace("\nhq", f"\n{prefix}hq").replace(",hq\n", f",{prefix}hq\n")
    with session_scope(engine) as session:
        import_agencies(session=session, rows=parse_agency_csv(csv_text))
        people: dict[str, int] = {}
        for name, agency, role in PEOPLE:
            grant = add_person_with_role(session=session, name=name, agency_code=prefix + agency, role=role)
            assert grant.person.id is not None
            people[name] = grant.person.id
        return people


@pytest.fixture(name="settings")
def settings_fixture(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(name="engine")
def engine_fixture(settings: Settings) -> Iterator[Engine]:
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(name="world")
async def world_fixture(
    temporal_env: WorkflowEnvironment, settings: Settings, engine: Engine
) -> AsyncIterator[CycleWorld]:
    prefix = f"t{uuid.uuid4().hex[:6]}-"
    people = seed(engine, prefix)
    with ThreadPoolExecutor(max_workers=8) as executor:
        worker = build_worker(temporal_env.client, settings, engine, executor, activity_threads=8)
        async with worker:
            yield CycleWorld(temporal_env.client, settings, engine, people, prefix)


async def start_cycle(world: CycleWorld, agency: str, year: int, start_date: str) -> None:
    await world.client.start_workflow(
        "ReportCycle",
        CycleInput(world.code(agency), year, start_date),
        id=report_workflow_id(world.code(agency), year),
        task_queue=world.settings.task_queue,
    )


async def wait_for_status(
    world: CycleWorld, agency: str, year: int, done: Callable[[CycleStatus], bool], *, seconds: float = 30
) -> CycleStatus:
    """Poll the status query until ``done`` (a cycle not started yet counts as not done)."""
    status: CycleStatus | None = None
    for _ in range(int(seconds / 0.2)):
        try:
            status = await world.status(agency, year)
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
        if status is not None and done(status):
            return status
        await asyncio.sleep(0.2)
    raise AssertionError(f"condition not reached; last status: {status}")


def outbox_texts(engine: Engine, person_id: int) -> list[str]:
    with session_scope(engine) as session:
        return [m.text for m in reversed(list_messages(session=session, person_id=person_id))]


def published_document(location: str) -> dict[str, Any]:
    """The JSON document of a publication (its directory), as an open-data user downloads it."""
    return dict(json.loads(next(Path(location).glob("*.json")).read_text(encoding="utf-8")))


def published_files(location: str) -> list[str]:
    return sorted(path.suffix for path in Path(location).iterdir())


def published_csv(location: str) -> dict[str, str]:
    text = next(Path(location).glob("*.csv")).read_text(encoding="utf-8-sig")
    return {row["key"]: row["value"] for row in csv.DictReader(text.splitlines())}


async def wait_for_notice(engine: Engine, person_id: int, fragment: str, *, seconds: float = 30) -> list[str]:
    """Poll the outbox until a message to ``person_id`` contains ``fragment``; returns those messages."""
    for _ in range(int(seconds / 0.2)):
        found = [text for text in outbox_texts(engine, person_id) if fragment in text]
        if found:
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"no message with {fragment!r}; outbox: {outbox_texts(engine, person_id)}")
