"""The moves a report cycle makes: activities, stage changes, notices and refusals.

``CycleSteps`` is the base of ``ReportCycleWorkflow``: the conductor and the handlers in
``report_cycle`` call these; the background watches in ``cycle_watch`` do too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.drafts import DraftActivities
    from activities.editing import EditingActivities
    from activities.notifications import NotificationActivities
    from contracts.activities import DraftEdit, EditRecord, StatusRow
    from contracts.cycle import CycleStatus, EditResult, FindingInfo, StageChange
    from contracts.names import SEARCH_ATTRIBUTE_OVERDUE, SEARCH_ATTRIBUTE_STAGE
    from contracts.vocabulary import NoticeKind, Role, Stage
    from workflows import permissions
    from workflows.cycle_state import CycleState

STAGE_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_STAGE)
OVERDUE_KEY = SearchAttributeKey.for_bool(SEARCH_ATTRIBUTE_OVERDUE)

# Short enough that an activity lost with a killed worker is retried soon; all of them take well under a second.
ACTIVITY_TIMEOUT = timedelta(seconds=20)
ACTIVITY_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))
# Short writes and reads run as local activities in the worker that runs the workflow (cycles since
# DRAFT_IN_STORAGE): no round trip through the server's task queue.
LOCAL_TIMEOUT = timedelta(seconds=10)
SYSTEM = "系统"
ArgT = TypeVar("ArgT")
ResultT = TypeVar("ResultT")
CheckedT = TypeVar("CheckedT")


def refuse(reason: str) -> ApplicationError:
    """The failure of an update that must not be applied: ``Refused``, with the Chinese reason."""
    return ApplicationError(reason, type="Refused", non_retryable=True)


class CycleSteps:
    """The cycle's state and lock, and every step that touches the world or the history."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._state = CycleState()

    def status_now(self) -> CycleStatus:
        return self._state.status(workflow.now())

    @staticmethod
    def _check(check: Callable[[], CheckedT]) -> CheckedT:
        """Run a check in an update handler: a refusal fails the update (not the workflow) with its reason."""
        try:
            return check()
        except permissions.RefusedError as refusal:
            raise refuse(str(refusal)) from None

    def _check_when_loaded(self, check: Callable[[], object]) -> None:
        """Validators: before the roster has loaded nothing can be judged; the handler checks after loading."""
        if self._state.is_loaded():
            self._check(check)

    async def _act(
        self, method: Callable[[Any, ArgT], ResultT], arg: ArgT, *, short: bool = False
    ) -> ResultT:
        """An activity; ``short`` ones run as local activities in cycles since DRAFT_IN_STORAGE."""
        if short and self._state.stored:
            return await workflow.execute_local_activity_method(
                method, arg, start_to_close_timeout=LOCAL_TIMEOUT, retry_policy=ACTIVITY_RETRY
            )
        return await workflow.execute_activity_method(
            method,
            arg,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
        )

    async def _edit(self, edit: DraftEdit) -> EditResult:
        """The activity parses, checks and stores the edit; a bad figure or document fails the update."""
        try:
            result = await self._act(EditingActivities.apply_edit, edit, short=True)
        except ActivityError as failure:
            cause = failure.cause
            if isinstance(cause, ApplicationError) and cause.non_retryable:
                raise refuse(cause.message) from None
            raise
        self._state.take_progress(result.progress)
        if result.changed:
            self._state.edited_after_check = self._state.stage is Stage.ACKNOWLEDGING
        return result

    async def _record(self, record: EditRecord) -> EditResult:
        """Cycles tracking cells: persist changes the workflow parsed, then apply them to its copy."""
        assert self._state.legacy is not None
        if record.changes or record.document is not None:
            await self._act(DraftActivities.record_edit, record)
            self._state.edited_after_check = self._state.stage is Stage.ACKNOWLEDGING
        if record.document is None:
            self._state.legacy.apply(record.changes)
        return EditResult(
            {c.key: c.new for c in record.changes}, self._state.legacy.progress(self._state.revision)
        )

    async def _read_document(self) -> dict[str, Any]:
        return await workflow.execute_local_activity_method(
            EditingActivities.read_document,
            self._state.draft_key(),
            start_to_close_timeout=LOCAL_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
        )

    async def _move(self, stage: Stage, by: str, note: str) -> None:
        self._state.stage, self._state.stage_seq, self._state.stage_since = (
            stage,
            self._state.stage_seq + 1,
            workflow.now(),
        )
        self._state.history.append(
            StageChange(stage, workflow.now(), self._state.today(workflow.now()).isoformat(), by, note)
        )
        await self._publish_stage()

    async def _publish_stage(self) -> None:
        workflow.upsert_search_attributes(
            [
                STAGE_KEY.value_set(self._state.stage.value),
                OVERDUE_KEY.value_set(self._state.overdue(workflow.now())),
            ]
        )
        current = self.status_now()
        row = StatusRow(
            self._state.agency,
            self._state.year,
            self._state.stage,
            current.percent_complete,
            current.deadline,
            current.overdue,
        )
        await self._act(DraftActivities.upsert_status, row, short=True)

    async def _set_overdue(self) -> None:
        await self._publish_stage()

    async def _ask_approver(self) -> None:
        if self._state.step < len(self._state.chain):
            step = self._state.chain[self._state.step]
            details = {"step": step.label, "round": str(self._state.approval_round), "index": str(step.index)}
            await self._notify_roles(
                NoticeKind.APPROVAL_NEEDED,
                (step.role,),
                f"approve-{self._state.approval_round}-{self._state.step}",
                details,
            )

    async def _notify(
        self, kind: NoticeKind, role: Role, key: str, findings: list[FindingInfo] | None = None, **extra: str
    ) -> None:
        details = dict(extra)
        if findings:
            details["findings"] = "\n".join(f"［{f.rule_id}］{f.message}" for f in findings)
        await self._notify_roles(kind, (role,), key, details)

    async def _notify_roles(
        self, kind: NoticeKind, roles: tuple[Role, ...], key: str, details: dict[str, str]
    ) -> int:
        notice = self._state.notice(kind, roles, key, details, workflow.now())
        if notice is None:
            return 0
        await self._act(NotificationActivities.notify, notice, short=True)
        return len(notice.recipients)
