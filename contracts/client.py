"""The one typed door to the yearly cycles, for the bot, the CLI, the web console and the benchmarks.

Every call names the agency *and* the year, so one client serves the cycles of every year. Whatever the
cycle refuses — a validator's or an activity's reason, a cycle not started or already closed, a busy or
unreachable server — arrives as ``Refused`` with a Chinese ``str()`` and a ``RefusalCode``; callers check
the type (and the code where they care), never the message.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from temporalio.client import Client, WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError, FailureError
from temporalio.service import RPCError, RPCStatusCode

from contracts.cycle import (
    Acknowledge,
    Actor,
    CorrectionRequest,
    CycleStatus,
    Decision,
    DeclareReady,
    EditResult,
    ReadyResult,
    Remind,
    SetCells,
    SetProse,
    SubmitDocument,
)
from contracts.names import (
    QUERY_DRAFT,
    QUERY_STATUS,
    UPDATE_ACKNOWLEDGE,
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_READ_DRAFT,
    UPDATE_REMIND,
    UPDATE_REQUEST_CORRECTION,
    UPDATE_SET_CELLS,
    UPDATE_SET_PROSE,
    UPDATE_SUBMIT_DOCUMENT,
    report_workflow_id,
)

ResultT = TypeVar("ResultT")
Document = dict[str, Any]


class RefusalCode(StrEnum):
    REFUSED = "refused"  # the cycle said no (validator or activity); str() is its reason
    NOT_STARTED = "not_started"  # no cycle for this agency and year
    CLOSED = "closed"  # the cycle has completed and accepts nothing more
    BUSY = "busy"  # the workflow's task is being retried; nothing changed, try again
    UNAVAILABLE = "unavailable"  # Temporal did not answer


class Refused(Exception):  # noqa: N818 - the name says what happened, as the contract spells it
    """The cycle did not do what was asked; ``str()`` is the Chinese reason, ``code`` says why."""

    def __init__(self, reason: str, *, code: RefusalCode = RefusalCode.REFUSED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class CycleClient:
    """Updates and queries of the ``ReportCycle`` workflows, addressed by agency code and year."""

    def __init__(self, client: Client) -> None:
        self.temporal = client

    async def status(self, agency: str, year: int) -> CycleStatus:
        return await self._query(agency, year, QUERY_STATUS, CycleStatus)

    async def draft(self, agency: str, year: int) -> Document:
        """The stored draft document: what approvers see is exactly what will be published.

        A closed cycle answers with the document of its last publication.
        """
        try:
            return await self._update(agency, year, UPDATE_READ_DRAFT, None, dict)
        except Refused as refusal:
            if refusal.code is not RefusalCode.CLOSED:
                raise
        published = await self.published_document(agency, year)
        if published is None:
            raise Refused(f"{agency}的{year}年度报告没有已发布的版本", code=RefusalCode.CLOSED)
        return published

    async def published_document(self, agency: str, year: int) -> Document | None:
        """The document of the cycle's last publication (None before it); open or closed cycles alike."""
        document: Document | None = await self._query(agency, year, QUERY_DRAFT, dict | None)  # type: ignore[arg-type]
        return document

    async def set_cells(self, agency: str, year: int, actor: Actor, values: dict[str, str]) -> EditResult:
        return await self._update(agency, year, UPDATE_SET_CELLS, SetCells(actor, values), EditResult)

    async def set_prose(self, agency: str, year: int, actor: Actor, section: str, text: str) -> EditResult:
        return await self._update(agency, year, UPDATE_SET_PROSE, SetProse(actor, section, text), EditResult)

    async def submit(
        self, agency: str, year: int, actor: Actor, document: Document, source: str = ""
    ) -> EditResult:
        request = SubmitDocument(actor, document, source)
        return await self._update(agency, year, UPDATE_SUBMIT_DOCUMENT, request, EditResult)

    async def declare_ready(self, agency: str, year: int, actor: Actor) -> ReadyResult:
        return await self._update(agency, year, UPDATE_DECLARE_READY, DeclareReady(actor), ReadyResult)

    async def acknowledge(
        self, agency: str, year: int, actor: Actor, rule_id: str, reason: str
    ) -> CycleStatus:
        request = Acknowledge(actor, rule_id, reason)
        return await self._update(agency, year, UPDATE_ACKNOWLEDGE, request, CycleStatus)

    async def decide(self, agency: str, year: int, decision: Decision) -> CycleStatus:
        return await self._update(agency, year, UPDATE_DECIDE, decision, CycleStatus)

    async def request_correction(self, agency: str, year: int, actor: Actor, reason: str) -> CycleStatus:
        request = CorrectionRequest(actor, reason)
        return await self._update(agency, year, UPDATE_REQUEST_CORRECTION, request, CycleStatus)

    async def remind(self, agency: str, year: int, actor: Actor) -> int:
        return await self._update(agency, year, UPDATE_REMIND, Remind(actor), int)

    async def _query(self, agency: str, year: int, name: str, result_type: type[ResultT]) -> ResultT:
        handle = self.temporal.get_workflow_handle(report_workflow_id(agency, year))
        try:
            result: ResultT = await handle.query(name, result_type=result_type)
        except RPCError as error:
            raise rpc_refusal(agency, year, error) from None
        except WorkflowQueryFailedError:
            raise Refused(
                f"{agency}的{year}年度报告暂时无法查询，请稍后再试", code=RefusalCode.UNAVAILABLE
            ) from None
        return result

    async def _update(
        self, agency: str, year: int, name: str, request: object, result_type: type[ResultT]
    ) -> ResultT:
        handle = self.temporal.get_workflow_handle(report_workflow_id(agency, year))
        args = [] if request is None else [request]
        try:
            result: ResultT = await handle.execute_update(name, args=args, result_type=result_type)
        except WorkflowUpdateFailedError as failure:
            raise update_refusal(failure) from None
        except RPCError as error:
            raise rpc_refusal(agency, year, error) from None
        return result


def update_refusal(failure: WorkflowUpdateFailedError) -> Refused:
    cause: BaseException | None = failure.cause
    while isinstance(cause, FailureError) and not isinstance(cause, ApplicationError):
        cause = cause.cause
    if isinstance(cause, ApplicationError):
        return Refused(cause.message)
    return Refused("操作未成功，请稍后再试", code=RefusalCode.UNAVAILABLE)


def rpc_refusal(agency: str, year: int, error: RPCError) -> Refused:
    if error.status is RPCStatusCode.NOT_FOUND and "completed" in error.message:
        return Refused(f"{agency}的{year}年度报告工作已结束，不再接受操作", code=RefusalCode.CLOSED)
    if error.status is RPCStatusCode.NOT_FOUND:
        return Refused(f"{agency}的{year}年度报告工作尚未启动", code=RefusalCode.NOT_STARTED)
    if error.status is RPCStatusCode.FAILED_PRECONDITION:
        return Refused("系统正忙，未作任何修改，请稍后重试", code=RefusalCode.BUSY)
    return Refused("年报系统暂时无法访问，请稍后再试", code=RefusalCode.UNAVAILABLE)
