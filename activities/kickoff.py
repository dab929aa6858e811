"""Starting the agency cycles of a kickoff through the Temporal client, idempotently."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from contracts import CycleInput, StartCyclesRequest, StartCyclesResult, report_workflow_id


class KickoffActivities:
    def __init__(self, client: Client, task_queue: str) -> None:
        self._client = client
        self._task_queue = task_queue

    @activity.defn(name="start_cycles")
    async def start_cycles(self, request: StartCyclesRequest) -> StartCyclesResult:
        """One cycle per agency; a cycle that runs or ran already for that year is left alone."""
        started = existing = 0
        for code in request.agency_codes:
            try:
                await self._client.start_workflow(
                    "ReportCycle",
                    CycleInput(code, request.year, request.start_date),
                    id=report_workflow_id(code, request.year),
                    task_queue=self._task_queue,
                    # FAIL rather than USE_EXISTING: both refuse a second cycle, and FAIL tells us so,
                    # which the kickoff reports; FAILED_ONLY keeps a closed year closed but lets a
                    # withdrawn (terminated) cycle be started again.
                    id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                    id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
                )
            except WorkflowAlreadyStartedError:
                existing += 1
                continue
            started += 1
        return StartCyclesResult(started, existing)
