"""What the console asks of the yearly cycle, through the workflows' own updates (the source of truth).

``CycleActions`` is what routes depend on; ``TemporalCycleActions`` sends the same updates the CLI and the bot
send, so the workflow's validators decide and a refusal comes back as ``ActionRefusedError`` with their
Chinese reason.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Protocol

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from contracts import (
    QUERY_STATUS,
    UPDATE_REMIND,
    Actor,
    CycleStatus,
    KickoffInput,
    Remind,
    kickoff_workflow_id,
    report_workflow_id,
)

QUERY_TIMEOUT_SECONDS = 3.0


class ActionRefusedError(Exception):
    """The cycle refused (or could not be reached); the message is the Chinese reason."""


class CycleActions(Protocol):
    async def remind(self, *, agency_code: str, year: int, actor: Actor) -> int:
        """Remind whoever holds the report now; returns how many people were reminded."""
        ...

    async def kickoff(self, *, year: int, agency_codes: tuple[str, ...], start_date: date | None) -> str:
        """Start the year's kickoff for these agencies (idempotent); returns its workflow id."""
        ...

    async def today(self, *, agency_code: str, year: int) -> date | None:
        """The date the agency's running cycle counts as today, or None when it does not answer."""
        ...


class TemporalCycleActions:
    def __init__(self, client: Client, task_queue: str) -> None:
        self._client = client
        self._task_queue = task_queue

    async def remind(self, *, agency_code: str, year: int, actor: Actor) -> int:
        handle = self._client.get_workflow_handle(report_workflow_id(agency_code, year))
        try:
            reminded: int = await handle.execute_update(UPDATE_REMIND, Remind(actor), result_type=int)
        except WorkflowUpdateFailedError as error:
            cause = error.cause
            raise ActionRefusedError(
                cause.message if isinstance(cause, ApplicationError) else str(cause)
            ) from None
        except RPCError as error:
            raise ActionRefusedError(_rpc_reason(error, agency_code, year)) from None
        return reminded

    async def kickoff(self, *, year: int, agency_codes: tuple[str, ...], start_date: date | None) -> str:
        workflow_id = kickoff_workflow_id(year)
        request = KickoffInput(
            year=year, agency_codes=agency_codes, start_date=start_date.isoformat() if start_date else None
        )
        try:
            await self._client.start_workflow(
                "Kickoff",
                request,
                id=workflow_id,
                task_queue=self._task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            )
        except RPCError as error:
            raise ActionRefusedError(f"Temporal 服务出错：{error.message}") from None
        return workflow_id

    async def today(self, *, agency_code: str, year: int) -> date | None:
        handle = self._client.get_workflow_handle(report_workflow_id(agency_code, year))
        try:
            status = await asyncio.wait_for(
                handle.query(QUERY_STATUS, result_type=CycleStatus), QUERY_TIMEOUT_SECONDS
            )
        except (RPCError, TimeoutError):
            return None
        return date.fromisoformat(status.today) if status.today else None


def _rpc_reason(error: RPCError, agency_code: str, year: int) -> str:
    if error.status is RPCStatusCode.NOT_FOUND:
        return f"「{agency_code}」{year}年度的报告周期未在运行，未发送提醒"
    return f"Temporal 服务出错：{error.message}"
