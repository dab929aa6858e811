"""The bot's door to the yearly cycle: a thin wrapper over ``contracts.client.CycleClient`` for one year.

Refusals arrive as ``contracts.client.Refused`` (``RefusalError`` here, the same type) whose ``str()`` is
the Chinese reason to show the person.
"""

from __future__ import annotations

from typing import Any

from temporalio.client import Client

from contracts import Actor, CycleStatus, Decision, EditResult, ReadyResult, Stage
from contracts.client import CycleClient, Refused
from domain.document import from_document
from domain.report import Report
from domain.values import CellValue

RefusalError = Refused


class CycleGateway:
    """One year's cycles, addressed by agency code."""

    def __init__(self, client: Client, *, year: int) -> None:
        self.client = client
        self.cycles = CycleClient(client)
        self.year = year

    async def status(self, agency: str) -> CycleStatus:
        return await self.cycles.status(agency, self.year)

    async def draft(self, agency: str) -> Report:
        """The stored draft: exactly what will be published."""
        return from_document(await self.cycles.draft(agency, self.year))

    async def last_year_value(self, agency: str, key: str) -> CellValue | None:
        """The figure of ``key`` in last year's published report; None when there is none.

        Last year's cycle answers even after it closed, as long as Temporal keeps its history.
        """
        last_year = self.year - 1
        try:
            status = await self.cycles.status(agency, last_year)
            if status.stage != Stage.PUBLISHED:
                return None
            document = await self.cycles.published_document(agency, last_year)
        except Refused:
            return None
        return from_document(document).cells.get(key) if document is not None else None

    async def set_cells(self, agency: str, actor: Actor, values: dict[str, str]) -> EditResult:
        return await self.cycles.set_cells(agency, self.year, actor, values)

    async def set_prose(self, agency: str, actor: Actor, section: str, text: str) -> EditResult:
        return await self.cycles.set_prose(agency, self.year, actor, section, text)

    async def submit(self, agency: str, actor: Actor, document: dict[str, Any], source: str) -> EditResult:
        return await self.cycles.submit(agency, self.year, actor, document, source)

    async def declare_ready(self, agency: str, actor: Actor) -> ReadyResult:
        return await self.cycles.declare_ready(agency, self.year, actor)

    async def acknowledge(self, agency: str, actor: Actor, rule_id: str, reason: str) -> CycleStatus:
        return await self.cycles.acknowledge(agency, self.year, actor, rule_id, reason)

    async def decide(self, agency: str, decision: Decision) -> CycleStatus:
        return await self.cycles.decide(agency, self.year, decision)

    async def remind(self, agency: str, actor: Actor) -> int:
        return await self.cycles.remind(agency, self.year, actor)
