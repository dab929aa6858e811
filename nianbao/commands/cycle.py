"""The operator's commands for the yearly cycle: kickoff, status, submit, ready, approve, reject,
acknowledge, correct, outbox and schedule install.

Every command that changes a cycle sends the same workflow update the chat bot sends, so the workflow's
validators decide: a refusal prints the validator's Chinese reason and exits 1 with nothing changed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import select
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.errors import NianbaoError
from nianbao.commands import cycle_output
from nianbao.commands.cycle_documents import UnreadableReportError, document_of
from nianbao.connection import connect
from nianbao.settings import Settings, SettingsError, load_settings
from storage.agencies import get_agency
from storage.engine import make_engine, session_scope
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.outbox import list_messages
from storage.people import find_person, holders
from storage.tables import CycleStatus as CycleStatusRow
from workflows.contracts import (
    KICKOFF_SCHEDULE_ID,
    QUERY_STATUS,
    UPDATE_ACKNOWLEDGE,
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_REQUEST_CORRECTION,
    UPDATE_SUBMIT_DOCUMENT,
    Acknowledge,
    Actor,
    Channel,
    CorrectionRequest,
    CycleStatus,
    Decision,
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

EXIT_OK, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2
ResultT = TypeVar("ResultT")


class RefusedError(Exception):
    """The command cannot be carried out; the message is the Chinese reason."""


class CycleCli:
    """What every cycle command needs: settings, the database, a lazily connected Temporal client."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self._client: Client | None = None

    async def client(self) -> Client:
        if self._client is None:
            try:
                self._client = await connect(self.settings)
            except RuntimeError:
                raise RefusedError(
                    f"无法连接 Temporal 服务（{self.settings.temporal_address}），请先运行 nianbao up"
                ) from None
        return self._client

    def agency_name(self, code: str) -> str:
        with session_scope(self.engine) as session:
            return get_agency(session=session, code=code).name

    def actor(
        self, reference: str | None, agency: str, role: RoleName, channel: Channel = Channel.CLI
    ) -> Actor:
        """The person named by ``--as``; without it, the agency's only holder of ``role``."""
        with session_scope(self.engine) as session:
            get_agency(session=session, code=agency)
            if reference:
                person = find_person(session=session, reference=reference)
                assert person.id is not None
                return Actor(person.id, person.name, channel)
            candidates = holders(session=session, agency_code=agency, roles=[role])
        if len(candidates) != 1:
            raise RefusedError(f"「{agency}」有{len(candidates)}位可操作人员，请用 --as 指定是谁")
        return Actor(candidates[0].person_id, candidates[0].name, channel)

    async def handle(self, agency: str, year: int) -> WorkflowHandle[Any, Any]:
        self.agency_name(agency)
        return (await self.client()).get_workflow_handle(report_workflow_id(agency, year))

    async def status(self, agency: str, year: int) -> CycleStatus:
        handle = await self.handle(agency, year)
        try:
            result: CycleStatus = await handle.query(QUERY_STATUS, result_type=CycleStatus)
        except RPCError as error:
            raise self._rpc_refusal(error, agency, year) from None
        return result

    async def update(
        self, agency: str, year: int, name: str, payload: object, result_type: type[ResultT]
    ) -> ResultT:
        handle = await self.handle(agency, year)
        try:
            result: ResultT = await handle.execute_update(name, payload, result_type=result_type)
        except WorkflowUpdateFailedError as error:
            cause = error.cause
            raise RefusedError(cause.message if isinstance(cause, ApplicationError) else str(cause)) from None
        except RPCError as error:
            raise self._rpc_refusal(error, agency, year) from None
        return result

    def _rpc_refusal(self, error: RPCError, agency: str, year: int) -> RefusedError:
        if error.status is RPCStatusCode.NOT_FOUND and "completed" in error.message:
            return RefusedError(f"「{agency}」{year}年度的报告周期已结束，不再接受操作")
        if error.status is RPCStatusCode.NOT_FOUND:
            return RefusedError(
                f"「{agency}」{year}年度的报告周期尚未启动，请先运行 nianbao kickoff --year {year}"
            )
        if error.status is RPCStatusCode.FAILED_PRECONDITION:
            # The workflow's last task failed and is being retried (e.g. an overloaded worker).
            return RefusedError("系统正忙，未作任何修改，请稍后重试")
        return RefusedError(f"Temporal 服务出错：{error.message}")


Action = Callable[[CycleCli, argparse.Namespace], Coroutine[Any, Any, int]]


def _command(action: Action) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        code = _run(action, args)
        # The Temporal client's native threads can abort interpreter shutdown of a short-lived process
        # (temporalio/sdk-python#300, "PyGILState_Release … finalizing"): leave without the teardown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)

    return run


def _run(action: Action, args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        upgrade(settings.database_url)
        cli = CycleCli(settings)
        try:
            return asyncio.run(action(cli, args))
        finally:
            cli.engine.dispose()
    except UnreadableReportError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (RefusedError, NianbaoError, SettingsError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_REFUSED


def _cycle_arguments(parser: argparse.ArgumentParser, *, person: bool = True) -> None:
    parser.add_argument("--agency", required=True, help="机关代码")
    parser.add_argument("--year", required=True, type=int, help="报告年度")
    if person:
        parser.add_argument("--as", dest="person", help="操作人姓名或编号（机关只有一位相应人员时可省略）")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the cycle commands to the ``nianbao`` parser."""
    kickoff = subparsers.add_parser("kickoff", help="启动某一年度的年报工作（重复运行不会重复启动）")
    kickoff.add_argument("--year", required=True, type=int, help="报告年度")
    kickoff.add_argument("--agency", nargs="+", metavar="A", help="只启动这些机关（默认：全部在用机关）")
    kickoff.add_argument(
        "--start-date", type=date.fromisoformat, help="周期起始日期 YYYY-MM-DD（默认见说明）"
    )
    kickoff.set_defaults(handler=_command(_kickoff))

    status = subparsers.add_parser("status", help="查看各机关年报进度")
    status.add_argument("--year", type=int, help="报告年度（默认：最近的年度）")
    status.add_argument("--agency", help="只看一个机关，显示详情")
    status.add_argument("--json", action="store_true", help="输出 JSON")
    status.set_defaults(handler=_command(_status))

    submit = subparsers.add_parser("submit", help="提交填好的报告文件作为草稿")
    _cycle_arguments(submit)
    submit.add_argument("file", type=Path, metavar="FILE", help="报告文件（.txt、.docx、.html、.json）")
    submit.set_defaults(handler=_command(_submit))

    ready = subparsers.add_parser("ready", help="草稿填写完毕，提请校验")
    _cycle_arguments(ready)
    ready.set_defaults(handler=_command(_ready))

    for name, approve, text in (("approve", True, "审核同意"), ("reject", False, "退回修改（须填写意见）")):
        decide = subparsers.add_parser(name, help=text)
        _cycle_arguments(decide)
        decide.add_argument("--comment", default="", help="审核意见")
        decide.set_defaults(handler=_command(_decide), approve=approve)

    acknowledge = subparsers.add_parser("acknowledge", help="对一条警告说明理由并确认")
    _cycle_arguments(acknowledge)
    acknowledge.add_argument("--rule", required=True, help="警告的规则编号")
    acknowledge.add_argument("--reason", required=True, help="理由")
    acknowledge.set_defaults(handler=_command(_acknowledge))

    correct = subparsers.add_parser("correct", help="对已发布的报告发起更正（产生新版本）")
    _cycle_arguments(correct)
    correct.add_argument("--reason", required=True, help="更正理由")
    correct.set_defaults(handler=_command(_correct))

    outbox = subparsers.add_parser("outbox", help="查看待发送和已发送的通知")
    outbox.add_argument("--limit", type=int, default=50, help="最多显示条数")
    outbox.set_defaults(handler=_command(_outbox))

    schedule = subparsers.add_parser("schedule", help="年度自动启动的计划")
    schedule_commands = schedule.add_subparsers(dest="schedule_command", required=True, metavar="SUBCOMMAND")
    install = schedule_commands.add_parser(
        "install", help="创建或更新每年1月1日自动启动上一年度年报工作的计划"
    )
    install.set_defaults(handler=_command(_install_schedule))


async def _kickoff(cli: CycleCli, args: argparse.Namespace) -> int:
    for code in args.agency or ():
        cli.agency_name(code)
    start = args.start_date or default_start_date(args.year, cli.settings)
    request = KickoffInput(
        year=args.year, agency_codes=tuple(args.agency) if args.agency else None, start_date=start.isoformat()
    )
    client = await cli.client()
    result = await client.execute_workflow(
        "Kickoff",
        request,
        id=kickoff_workflow_id(args.year),
        task_queue=cli.settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        result_type=KickoffResult,
    )
    print(
        f"{result.year}年度：新启动{result.started}个机关的年报工作，{result.already_running}个此前已启动。"
    )
    return EXIT_OK


def default_start_date(year: int, settings: Settings) -> date:
    """Real time starts today; a simulated year (shorter days) starts on 1 January after the report year."""
    if settings.day_seconds == 86400:
        return datetime.now(cycle_output.BEIJING).date()
    return date(year + 1, 1, 1)


async def _status(cli: CycleCli, args: argparse.Namespace) -> int:
    if args.agency:
        year = args.year or _latest_year(cli)
        status = await cli.status(args.agency, year)
        print(cycle_output.status_json([status]) if args.json else cycle_output.cycle_details(status))
        return EXIT_OK
    year = args.year or _latest_year(cli)
    with session_scope(cli.engine) as session:
        codes = [
            row.agency_code
            for row in session.query(CycleStatusRow).filter_by(year=year).order_by("agency_code")
        ]
    rows = list(await asyncio.gather(*(cli.status(code, year) for code in codes)))
    print(cycle_output.status_json(rows) if args.json else cycle_output.status_table(rows))
    return EXIT_OK


def _latest_year(cli: CycleCli) -> int:
    with session_scope(cli.engine) as session:
        year = session.exec(select(func.max(CycleStatusRow.year))).one()
    if year is None:
        raise RefusedError("还没有任何年度的年报工作，请先运行 nianbao kickoff --year 年度")
    latest: int = year
    return latest


async def _submit(cli: CycleCli, args: argparse.Namespace) -> int:
    actor = cli.actor(args.person, args.agency, RoleName.OFFICER, Channel.IMPORT)
    document, notes = document_of(args.file)
    for note in notes:
        print(f"注意：{note}")
    request = SubmitDocument(actor, document, source=args.file.name)
    result = await cli.update(args.agency, args.year, UPDATE_SUBMIT_DOCUMENT, request, EditResult)
    print(
        f"已提交：{len(result.changed)}处改动，已填{result.filled}/{result.total}项（第{result.revision}版草稿）。"
    )
    return EXIT_OK


async def _ready(cli: CycleCli, args: argparse.Namespace) -> int:
    actor = cli.actor(args.person, args.agency, RoleName.OFFICER)
    result = await cli.update(args.agency, args.year, UPDATE_DECLARE_READY, DeclareReady(actor), ReadyResult)
    print(f"校验完成，当前阶段：{result.stage.label}")
    for line in cycle_output.finding_lines(result.findings):
        print(line)
    if result.stage is Stage.ACKNOWLEDGING:
        print("请对每条警告说明理由：nianbao acknowledge --agency … --year … --rule 编号 --reason 理由")
    return EXIT_REFUSED if result.stage is Stage.DRAFTING else EXIT_OK


async def _decide(cli: CycleCli, args: argparse.Namespace) -> int:
    status = await cli.status(args.agency, args.year)
    step = status.current_step
    if step is None:
        raise RefusedError(f"报告当前处于“{status.stage_label}”阶段，没有待审核的环节")
    actor = cli.actor(args.person, args.agency, RoleName(step.role.value))
    decision = Decision(actor, status.approval_round, step.index, args.approve, args.comment)
    after = await cli.update(args.agency, args.year, UPDATE_DECIDE, decision, CycleStatus)
    verb = "同意" if args.approve else "退回"
    print(f"{actor.name}已{verb}（{step.label}）。当前阶段：{after.stage_label}")
    return EXIT_OK


async def _acknowledge(cli: CycleCli, args: argparse.Namespace) -> int:
    actor = cli.actor(args.person, args.agency, RoleName.OFFICER)
    request = Acknowledge(actor, args.rule, args.reason)
    after = await cli.update(args.agency, args.year, UPDATE_ACKNOWLEDGE, request, CycleStatus)
    remaining = [f for f in after.findings if f.severity == "warning" and not f.acknowledged]
    print(
        f"已确认警告 {args.rule}。"
        + (f"尚有{len(remaining)}条警告待说明。" if remaining else "全部警告已确认，进入审核。")
    )
    return EXIT_OK


async def _correct(cli: CycleCli, args: argparse.Namespace) -> int:
    actor = cli.actor(args.person, args.agency, RoleName.OFFICER)
    request = CorrectionRequest(actor, args.reason)
    after = await cli.update(args.agency, args.year, UPDATE_REQUEST_CORRECTION, request, CycleStatus)
    print(f"已发起更正，第{after.revision}版草稿已开始起草。")
    return EXIT_OK


async def _outbox(cli: CycleCli, args: argparse.Namespace) -> int:
    with session_scope(cli.engine) as session:
        messages = list_messages(session=session, limit=args.limit)
        lines = [
            f"[{m.state}] {cycle_output.local_time(m.created_at.isoformat())} 致{m.person_id or '-'}"
            + (f"（聊天 {m.chat_id}）" if m.chat_id else "")
            + f"：{m.text}"
            for m in reversed(messages)
        ]
    print("\n".join(lines) if lines else "没有通知。")
    return EXIT_OK


async def _install_schedule(cli: CycleCli, args: argparse.Namespace) -> int:
    print(await install_kickoff_schedule(await cli.client(), cli.settings.task_queue))
    return EXIT_OK


async def install_kickoff_schedule(client: Client, task_queue: str) -> str:
    """Create the kickoff schedule, or bring an existing one up to date; returns what was done (Chinese)."""
    schedule = kickoff_schedule(task_queue)
    try:
        await client.create_schedule(KICKOFF_SCHEDULE_ID, schedule)
        verb = "已创建"
    except ScheduleAlreadyRunningError:
        handle = client.get_schedule_handle(KICKOFF_SCHEDULE_ID)
        await handle.update(lambda _: ScheduleUpdate(schedule=schedule))
        verb = "已更新"
    described = await client.get_schedule_handle(KICKOFF_SCHEDULE_ID).describe()
    upcoming = described.info.next_action_times[:1]
    when = cycle_output.local_time(upcoming[0].isoformat()) if upcoming else "—"
    return f"{verb}年度自动启动计划（每年1月1日 00:05 北京时间，启动上一年度）。下次运行：{when}"


def kickoff_schedule(task_queue: str) -> Schedule:
    """Every 1 January, 00:05 Asia/Shanghai: the kickoff for the year just ended (derived when it runs)."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            "Kickoff", KickoffInput(), id=KICKOFF_SCHEDULE_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    month=[ScheduleRange(1)],
                    day_of_month=[ScheduleRange(1)],
                    hour=[ScheduleRange(0)],
                    minute=[ScheduleRange(5)],
                )
            ],
            time_zone_name="Asia/Shanghai",
        ),
    )
