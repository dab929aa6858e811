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

from sqlmodel import col, select
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from activities.publication_target import PublicDirectoryAddress
from contracts import (
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
from domain.errors import NianbaoError
from domain.times import BEIJING
from nianbao.cli import reader_gone
from nianbao.commands import cycle_output
from nianbao.commands.cycle_documents import UnreadableReportError, document_of
from nianbao.connection import connect
from nianbao.settings import Settings, SettingsError, load_settings
from storage.agencies import get_agency
from storage.audit import record_change
from storage.cycle_status import remove_status
from storage.engine import make_engine, session_scope
from storage.kinds import Channel as StorageChannel
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.outbox import list_messages
from storage.people import find_person, holders, unassigned_agencies
from storage.review_brief import brief_for_current
from storage.tables import CycleStatus as CycleStatusRow

EXIT_OK, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2
# The first year of the 2019 format (国办公开办函〔2019〕60号): earlier years have no format to check against.
FIRST_REPORT_YEAR = 2019
# How long a reply waits for the cycle to reach the stage an action leads to.
SETTLE_SECONDS = 15.0
REAL_DAY_SECONDS = 86400
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
            raise self.rpc_refusal(error, agency, year) from None
        return result

    async def settle(self, agency: str, year: int, done: Callable[[CycleStatus], bool]) -> CycleStatus:
        """The status once the cycle has moved on as ``done`` says (or after a while, as it stands)."""
        status = await self.status(agency, year)
        for _ in range(int(SETTLE_SECONDS / 0.2)):
            if done(status):
                break
            await asyncio.sleep(0.2)
            status = await self.status(agency, year)
        return status

    def review_lines(self, status: CycleStatus) -> list[str]:
        """For a draft awaiting approval: warnings with reasons, earlier decisions, changes since."""
        if status.stage is not Stage.APPROVING:
            return []
        with session_scope(self.engine) as session:
            return brief_for_current(
                session=session, agency_code=status.agency_code, year=status.year, revision=status.revision
            )

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
            raise self.rpc_refusal(error, agency, year) from None
        return result

    def rpc_refusal(self, error: RPCError, agency: str, year: int) -> RefusedError:
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
        try:
            code = _run(action, args)
            # The Temporal client's native threads can abort interpreter shutdown of a short-lived process
            # (temporalio/sdk-python#300, "PyGILState_Release … finalizing"): leave without the teardown.
            sys.stdout.flush()
        except BrokenPipeError:
            code = reader_gone()
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
    status.add_argument("--year", type=int, help="报告年度（默认：所有尚未全部发布的年度）")
    status.add_argument("--agency", help="只看一个机关，显示详情（不指定年度时显示该机关的所有年度）")
    status.add_argument("--json", action="store_true", help="输出 JSON")
    status.set_defaults(handler=_command(_status))

    submit = subparsers.add_parser("submit", help="提交填好的报告文件作为草稿")
    _cycle_arguments(submit)
    submit.add_argument("file", type=Path, metavar="FILE", help="报告文件（.txt、.docx、.html、.json）")
    submit.add_argument(
        "--as-template",
        action="store_true",
        help="文件是其他机关或其他年度的报告，只借用其中的数字（不取文字部分），审计记录注明",
    )
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

    withdraw = subparsers.add_parser("withdraw", help="撤销误启动的报告周期（记入审计；已发布的不能撤销）")
    _cycle_arguments(withdraw, person=False)
    withdraw.add_argument("--reason", required=True, help="撤销理由")
    withdraw.set_defaults(handler=_command(_withdraw))

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
    check_report_year(args.year)
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
    with session_scope(cli.engine) as session:
        nobody = unassigned_agencies(session=session, codes=args.agency)
    if nobody:
        print(cycle_output.unassigned_line(nobody))
    due = cli.settings.deadline_for(kind="department", year=args.year)
    if result.started and start > due:
        print(
            f"注意：{args.year}年度报告的法定发布截止日（部门{due.isoformat()}，"
            f"政府{cli.settings.deadline_for(kind='government', year=args.year).isoformat()}）"
            f"在周期起始日{start.isoformat()}之前已过，这些周期一启动即为逾期。"
            f"如属误启动，可用 nianbao withdraw --agency 机关 --year {args.year} --reason 理由 撤销"
        )
    return EXIT_OK


def check_report_year(year: int) -> None:
    """Kick-off takes the years the official formats cover, up to the year just ended (Beijing time)."""
    last = datetime.now(BEIJING).year - 1
    if not FIRST_REPORT_YEAR <= year <= last:
        raise RefusedError(
            f"不能启动{year}年度：年度须在{FIRST_REPORT_YEAR}年至{last}年之间"
            f"（{FIRST_REPORT_YEAR}年起施行现行条例和统一格式；年度结束后才能编报该年度报告）"
        )


def default_start_date(year: int, settings: Settings) -> date:
    """Real time starts today; a simulated year (shorter days) starts on 1 January after the report year."""
    if settings.day_seconds == REAL_DAY_SECONDS:
        return datetime.now(BEIJING).date()
    return date(year + 1, 1, 1)


async def _status(cli: CycleCli, args: argparse.Namespace) -> int:
    with session_scope(cli.engine) as session:
        query = select(CycleStatusRow.agency_code, CycleStatusRow.year)
        if args.agency:
            get_agency(session=session, code=args.agency)
            query = query.where(CycleStatusRow.agency_code == args.agency)
        if args.year:
            query = query.where(CycleStatusRow.year == args.year)
        elif not args.agency:
            # Every year that still has an open cycle; a year whose reports are all published drops out.
            open_years = select(CycleStatusRow.year).where(CycleStatusRow.stage != Stage.PUBLISHED.value)
            query = query.where(col(CycleStatusRow.year).in_(open_years))
        order = (col(CycleStatusRow.year).desc(), col(CycleStatusRow.agency_code))
        keys = list(session.exec(query.order_by(*order)))
        nobody = [] if args.agency else unassigned_agencies(session=session, codes=[code for code, _ in keys])
    if not keys:
        raise RefusedError(_no_cycles(args))
    rows = list(await asyncio.gather(*(cli.status(code, year) for code, year in keys)))
    if args.json:
        print(cycle_output.status_json(rows))
    elif args.agency:
        address = PublicDirectoryAddress(cli.settings.publish_dir, cli.settings.public_base_url)
        simulated = cli.settings.day_seconds != REAL_DAY_SECONDS
        details = [cycle_output.cycle_details(row, cli.review_lines(row), address, simulated) for row in rows]
        print("\n\n".join(details))
    else:
        print(cycle_output.status_table(rows))
        if nobody:
            print(cycle_output.unassigned_line(nobody))
    return EXIT_OK


def _no_cycles(args: argparse.Namespace) -> str:
    if args.agency and args.year:
        return (
            f"「{args.agency}」{args.year}年度的报告周期尚未启动，请先运行 nianbao kickoff --year {args.year}"
        )
    if args.agency:
        return f"「{args.agency}」还没有任何年度的报告周期"
    if args.year:
        return f"{args.year}年度的年报工作尚未启动，请先运行 nianbao kickoff --year {args.year}"
    return "没有进行中的年报工作，请先运行 nianbao kickoff --year 年度"


async def _submit(cli: CycleCli, args: argparse.Namespace) -> int:
    actor = cli.actor(args.person, args.agency, RoleName.OFFICER, Channel.IMPORT)
    document, notes = document_of(args.file)
    for note in notes:
        print(f"注意：{note}")
    request = SubmitDocument(actor, document, source=args.file.name, as_template=args.as_template)
    result = await cli.update(args.agency, args.year, UPDATE_SUBMIT_DOCUMENT, request, EditResult)
    after = await cli.status(args.agency, args.year)
    what = "已按模板导入数字（未取文字部分）" if args.as_template else "已提交"
    print(
        f"{what}：{len(result.changed)}处改动，已填{result.filled}/{result.total}项"
        f"（第{result.revision}版草稿）。当前阶段：{after.stage_label}"
    )
    return EXIT_OK


async def _ready(cli: CycleCli, args: argparse.Namespace) -> int:
    actor = cli.actor(args.person, args.agency, RoleName.OFFICER)
    result = await cli.update(args.agency, args.year, UPDATE_DECLARE_READY, DeclareReady(actor), ReadyResult)
    print(f"校验完成，当前阶段：{result.stage.label}")
    for line in cycle_output.finding_lines(result.findings):
        print(line)
    if result.stage is Stage.ACKNOWLEDGING:
        print("请对每条警告分别说明理由：nianbao acknowledge --agency … --year … --rule 警告编号 --reason 理由")
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
    if not remaining:
        after = await cli.settle(args.agency, args.year, lambda s: s.stage is not Stage.ACKNOWLEDGING)
    explained = next(
        (f.key for f in after.findings if f.acknowledged and args.rule in (f.key, f.rule_id)), args.rule
    )
    print(
        f"已确认警告 {explained}。"
        + (
            f"尚有{len(remaining)}条警告待说明：{'、'.join(f.key for f in remaining)}。"
            if remaining
            else "全部警告已确认。"
        )
        + f"当前阶段：{after.stage_label}"
    )
    return EXIT_OK


async def _correct(cli: CycleCli, args: argparse.Namespace) -> int:
    actor = cli.actor(args.person, args.agency, RoleName.OFFICER)
    request = CorrectionRequest(actor, args.reason)
    after = await cli.update(args.agency, args.year, UPDATE_REQUEST_CORRECTION, request, CycleStatus)
    print(f"已发起更正，第{after.revision}版草稿已开始起草。当前阶段：{after.stage_label}")
    return EXIT_OK


async def _withdraw(cli: CycleCli, args: argparse.Namespace) -> int:
    """End a wrongly started cycle: the workflow is terminated, the dashboard row dropped, both audited."""
    reason = args.reason.strip()
    if len(reason) < 2:
        raise RefusedError("撤销必须说明理由")
    handle = await cli.handle(args.agency, args.year)
    try:
        description = await handle.describe()
    except RPCError as error:
        raise cli.rpc_refusal(error, args.agency, args.year) from None
    running = description.status is WorkflowExecutionStatus.RUNNING
    if running:
        status = await cli.status(args.agency, args.year)
        if status.stage is Stage.PUBLISHED or status.publications:
            raise RefusedError("报告已经发布，不能撤销；如需修改请用 nianbao correct 发起更正")
        await handle.terminate(reason=f"撤销：{reason}")
    with session_scope(cli.engine) as session:
        remove_status(session=session, agency_code=args.agency, year=args.year)
        record_change(
            session=session,
            agency_code=args.agency,
            year=args.year,
            target="withdraw",
            old_value=None,
            new_value=reason,
            channel=StorageChannel.CLI,
        )
    print(
        f"已撤销「{cli.agency_name(args.agency)}」{args.year}年度的报告周期（理由：{reason}）。当前阶段：已撤销"
    )
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
