"""The bot's door to the yearly cycles: a thin wrapper over ``contracts.client.CycleClient``.

Every call names its cycle by agency code and report year; the bot serves every year at once and learns
which cycles are open from Temporal's visibility listing (``open_cycles``). Refusals arrive as
``contracts.client.Refused`` (``RefusalError`` here, the same type) whose ``str()`` is the Chinese reason
to show the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError

from contracts import (
    SEARCH_ATTRIBUTE_AGENCY,
    SEARCH_ATTRIBUTE_STAGE,
    SEARCH_ATTRIBUTE_YEAR,
    Actor,
    CycleStatus,
    Decision,
    EditResult,
    ReadyResult,
    Stage,
)
from contracts.client import CycleClient, Refused
from domain.document import from_document
from domain.formats import ReportFormat, report_format
from domain.report import Report
from domain.values import CellValue

RefusalError = Refused
CYCLE_WORKFLOW = "ReportCycle"
AGENCY_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_AGENCY)
YEAR_KEY = SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_YEAR)
STAGE_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_STAGE)


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
        self.cycles = CycleClient(client)

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
        return await self.cycles.status(agency, year)

    async def draft(self, agency: str, year: int) -> Report:
        """The stored draft: exactly what will be published."""
        return from_document(await self.cycles.draft(agency, year))

    async def report_format(self, agency: str, year: int) -> ReportFormat:
        """The format of the draft with its variant (2021 keeping the single 2019 （六） row or not)."""
        meta = (await self.cycles.draft(agency, year))["meta"]
        return report_format(meta["format"], legacy_other_row=meta.get("variant") == "legacy_other")

    async def last_year_value(self, agency: str, year: int, key: str) -> CellValue | None:
        """The figure of ``key`` in the published report of the year before ``year``; None when there is none.

        Last year's cycle answers even after it closed, as long as Temporal keeps its history.
        """
        last_year = year - 1
        try:
            status = await self.cycles.status(agency, last_year)
            if status.stage != Stage.PUBLISHED:
                return None
            document = await self.cycles.published_document(agency, last_year)
        except Refused:
            return None
        return from_document(document).cells.get(key) if document is not None else None

    async def set_cells(self, agency: str, year: int, actor: Actor, values: dict[str, str]) -> EditResult:
        return await self.cycles.set_cells(agency, year, actor, values)

    async def set_prose(self, agency: str, year: int, actor: Actor, section: str, text: str) -> EditResult:
        return await self.cycles.set_prose(agency, year, actor, section, text)

    async def submit(
        self, agency: str, year: int, actor: Actor, document: dict[str, Any], source: str
    ) -> EditResult:
        return await self.cycles.submit(agency, year, actor, document, source)

    async def declare_ready(self, agency: str, year: int, actor: Actor) -> ReadyResult:
        return await self.cycles.declare_ready(agency, year, actor)

    async def acknowledge(
        self, agency: str, year: int, actor: Actor, rule_id: str, reason: str
    ) -> CycleStatus:
        return await self.cycles.acknowledge(agency, year, actor, rule_id, reason)

    async def decide(self, agency: str, year: int, decision: Decision) -> CycleStatus:
        return await self.cycles.decide(agency, year, decision)

    async def remind(self, agency: str, year: int, actor: Actor) -> int:
        return await self.cycles.remind(agency, year, actor)


def _quoted(code: str) -> str:
    """An agency code inside a single-quoted visibility literal."""
    return code.replace("\\", "\\\\").replace("'", "\\'")
