"""The bot's door to the yearly cycle: workflow updates and queries, refusals turned into Chinese reasons."""

from __future__ import annotations

from typing import Any, TypeVar

from temporalio.client import Client, WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.document import from_document
from domain.report import Report
from domain.values import CellValue
from workflows.contracts import (
    QUERY_DRAFT,
    QUERY_STATUS,
    UPDATE_ACKNOWLEDGE,
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_REMIND,
    UPDATE_SET_CELLS,
    UPDATE_SET_PROSE,
    UPDATE_SUBMIT_DOCUMENT,
    Acknowledge,
    Actor,
    CycleStatus,
    Decision,
    DeclareReady,
    EditResult,
    ReadyResult,
    Remind,
    SetCells,
    SetProse,
    Stage,
    SubmitDocument,
    report_workflow_id,
)

ResultT = TypeVar("ResultT")


class RefusalError(Exception):
    """The cycle said no; ``str()`` is the reason to show the person."""


class CycleGateway:
    """One year's cycles, addressed by agency code."""

    def __init__(self, client: Client, *, year: int) -> None:
        self.client = client
        self.year = year

    async def status(self, agency: str) -> CycleStatus:
        return await self._query(agency, self.year, QUERY_STATUS, CycleStatus)

    async def draft(self, agency: str) -> Report:
        """The draft as the cycle holds it now."""
        return await self._draft(agency, self.year)

    async def last_year_value(self, agency: str, key: str) -> CellValue | None:
        """The figure of ``key`` in last year's published report; None when there is none.

        Last year's cycle answers even after it closed, as long as Temporal keeps its history.
        """
        last_year = self.year - 1
        try:
            status = await self._query(agency, last_year, QUERY_STATUS, CycleStatus)
            if status.stage != Stage.PUBLISHED:
                return None
            report = await self._draft(agency, last_year)
        except RefusalError:
            return None
        return report.cells.get(key)

    async def _draft(self, agency: str, year: int) -> Report:
        document: dict[str, Any] = await self._query(agency, year, QUERY_DRAFT, dict)
        return from_document(document)

    async def _query(self, agency: str, year: int, name: str, result_type: type[ResultT]) -> ResultT:
        handle = self.client.get_workflow_handle(report_workflow_id(agency, year))
        try:
            result: ResultT = await handle.query(name, result_type=result_type)
        except RPCError as error:
            raise _not_started(agency, year, error) from None
        except WorkflowQueryFailedError:
            raise RefusalError(f"{agency}的{year}年度报告暂时无法查询，请稍后再试") from None
        return result

    async def set_cells(self, agency: str, actor: Actor, values: dict[str, str]) -> EditResult:
        return await self._update(agency, UPDATE_SET_CELLS, SetCells(actor, values), EditResult)

    async def set_prose(self, agency: str, actor: Actor, section: str, text: str) -> EditResult:
        return await self._update(agency, UPDATE_SET_PROSE, SetProse(actor, section, text), EditResult)

    async def submit(self, agency: str, actor: Actor, document: dict[str, Any], source: str) -> EditResult:
        request = SubmitDocument(actor, document, source)
        return await self._update(agency, UPDATE_SUBMIT_DOCUMENT, request, EditResult)

    async def declare_ready(self, agency: str, actor: Actor) -> ReadyResult:
        return await self._update(agency, UPDATE_DECLARE_READY, DeclareReady(actor), ReadyResult)

    async def acknowledge(self, agency: str, actor: Actor, rule_id: str, reason: str) -> CycleStatus:
        return await self._update(
            agency, UPDATE_ACKNOWLEDGE, Acknowledge(actor, rule_id, reason), CycleStatus
        )

    async def decide(self, agency: str, decision: Decision) -> CycleStatus:
        return await self._update(agency, UPDATE_DECIDE, decision, CycleStatus)

    async def remind(self, agency: str, actor: Actor) -> int:
        return await self._update(agency, UPDATE_REMIND, Remind(actor), int)

    async def _update(self, agency: str, name: str, request: object, result_type: type[ResultT]) -> ResultT:
        handle = self.client.get_workflow_handle(report_workflow_id(agency, self.year))
        try:
            result: ResultT = await handle.execute_update(name, request, result_type=result_type)
        except WorkflowUpdateFailedError as failure:
            cause = failure.cause
            reason = cause.message if isinstance(cause, ApplicationError) else "操作未成功，请稍后再试"
            raise RefusalError(reason) from None
        except RPCError as error:
            raise _not_started(agency, self.year, error) from None
        return result


def _not_started(agency: str, year: int, error: RPCError) -> RefusalError:
    if error.status == RPCStatusCode.NOT_FOUND:
        return RefusalError(f"{agency}的{year}年度报告工作尚未启动")
    return RefusalError("年报系统暂时无法访问，请稍后再试")
