"""The bot's door to the yearly cycles: workflow updates and queries, refusals turned into Chinese reasons.

Every call names its cycle by agency code and report year; the bot serves every year at once and learns
which cycles are open from Temporal's visibility listing (``open_cycles``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from temporalio.client import Client, WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.common import SearchAttributeKey
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.document import from_document
from domain.formats import ReportFormat, report_format
from domain.report import Report
from domain.values import CellValue
from workflows.contracts import (
    QUERY_DRAFT,
    QUERY_STATUS,
    SEARCH_ATTRIBUTE_AGENCY,
    SEARCH_ATTRIBUTE_STAGE,
    SEARCH_ATTRIBUTE_YEAR,
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
CYCLE_WORKFLOW = "ReportCycle"
AGENCY_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_AGENCY)
YEAR_KEY = SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_YEAR)
STAGE_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_STAGE)


class RefusalError(Exception):
    """The cycle said no; ``str()`` is the reason to show the person."""


@dataclass(frozen=True, order=True)
class CycleRef:
    """One open cycle as the visibility listing shows it; ``stage`` may lag behind the cycle itself."""

    agency: str
    year: int
    stage: Stage | None = None


class CycleGateway:
    """Every agency's cycles of every year, addressed by agency code and report year."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def open_cycles(self, agencies: tuple[str, ...]) -> tuple[CycleRef, ...]:
        """The running cycles of ``agencies``, newest year first (visibility is eventually consistent).

        Temporal is the one place that knows which cycles run: a cycle started a moment ago may be
        missing for about a second, and a cycle that ended is gone at once.
        """
        if not agencies:
            return ()
        listed = ", ".join(f"'{_quoted(code)}'" for code in agencies)
        query = (
            f"WorkflowType = '{CYCLE_WORKFLOW}' AND ExecutionStatus = 'Running'"
            f" AND {SEARCH_ATTRIBUTE_AGENCY} IN ({listed})"
        )
        found: set[CycleRef] = set()
        try:
            async for execution in self.client.list_workflows(query):
                attributes = execution.typed_search_attributes
                agency, year = attributes.get(AGENCY_KEY), attributes.get(YEAR_KEY)
                if agency in agencies and year is not None:
                    stage = attributes.get(STAGE_KEY)
                    found.add(CycleRef(agency, year, Stage(stage) if stage in set(Stage) else None))
        except RPCError:
            raise RefusalError("年报系统暂时无法访问，请稍后再试") from None
        order = {code: i for i, code in enumerate(agencies)}
        return tuple(sorted(found, key=lambda ref: (-ref.year, order[ref.agency])))

    async def status(self, agency: str, year: int) -> CycleStatus:
        return await self._query(agency, year, QUERY_STATUS, CycleStatus)

    async def draft(self, agency: str, year: int) -> Report:
        """The draft as the cycle holds it now."""
        return from_document(await self._document(agency, year))

    async def report_format(self, agency: str, year: int) -> ReportFormat:
        """The format of the draft with its variant (2021 keeping the single 2019 （六） row or not).

        Read from the draft document's ``meta``, which always names both, whatever the status carries.
        """
        meta = (await self._document(agency, year))["meta"]
        return report_format(meta["format"], legacy_other_row=meta.get("variant") == "legacy_other")

    async def last_year_value(self, agency: str, year: int, key: str) -> CellValue | None:
        """The figure of ``key`` in the published report of the year before ``year``; None when there is none.

        Last year's cycle answers even after it closed, as long as Temporal keeps its history.
        """
        try:
            status = await self._query(agency, year - 1, QUERY_STATUS, CycleStatus)
            if status.stage != Stage.PUBLISHED:
                return None
            report = await self.draft(agency, year - 1)
        except RefusalError:
            return None
        return report.cells.get(key)

    async def _document(self, agency: str, year: int) -> dict[str, Any]:
        document: dict[str, Any] = await self._query(agency, year, QUERY_DRAFT, dict)
        return document

    async def _query(self, agency: str, year: int, name: str, result_type: type[ResultT]) -> ResultT:
        handle = self.client.get_workflow_handle(report_workflow_id(agency, year))
        try:
            result: ResultT = await handle.query(name, result_type=result_type)
        except RPCError as error:
            raise _not_started(agency, year, error) from None
        except WorkflowQueryFailedError:
            raise RefusalError(f"{agency}的{year}年度报告暂时无法查询，请稍后再试") from None
        return result

    async def set_cells(self, agency: str, year: int, actor: Actor, values: dict[str, str]) -> EditResult:
        return await self._update(agency, year, UPDATE_SET_CELLS, SetCells(actor, values), EditResult)

    async def set_prose(self, agency: str, year: int, actor: Actor, section: str, text: str) -> EditResult:
        request = SetProse(actor, section, text)
        return await self._update(agency, year, UPDATE_SET_PROSE, request, EditResult)

    async def submit(
        self, agency: str, year: int, actor: Actor, document: dict[str, Any], source: str
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

    async def remind(self, agency: str, year: int, actor: Actor) -> int:
        return await self._update(agency, year, UPDATE_REMIND, Remind(actor), int)

    async def _update(
        self, agency: str, year: int, name: str, request: object, result_type: type[ResultT]
    ) -> ResultT:
        handle = self.client.get_workflow_handle(report_workflow_id(agency, year))
        try:
            result: ResultT = await handle.execute_update(name, request, result_type=result_type)
        except WorkflowUpdateFailedError as failure:
            cause = failure.cause
            reason = cause.message if isinstance(cause, ApplicationError) else "操作未成功，请稍后再试"
            raise RefusalError(reason) from None
        except RPCError as error:
            raise _not_started(agency, year, error) from None
        return result


def _quoted(code: str) -> str:
    """An agency code inside a single-quoted visibility literal."""
    return code.replace("\\", "\\\\").replace("'", "\\'")


def _not_started(agency: str, year: int, error: RPCError) -> RefusalError:
    if error.status == RPCStatusCode.NOT_FOUND:
        return RefusalError(f"{agency}的{year}年度报告工作尚未启动")
    return RefusalError("年报系统暂时无法访问，请稍后再试")
