"""One agency's report for one year, from the first draft to publication (and corrections after it)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.directory import DirectoryActivities
    from activities.drafts import DraftActivities
    from activities.notifications import NotificationActivities
    from activities.payloads import (
        AcknowledgementRecord,
        ApprovalDecisionRecord,
        CellChange,
        EditRecord,
        NoticeKind,
        OpenDraft,
        PlannedReminder,
        PlanRequest,
        PublishRequest,
        ReminderKind,
        ReopenRequest,
        RollUpRequest,
        StatusRow,
    )
    from activities.planning import PlanningActivities
    from activities.publishing import PublishingActivities
    from workflows import cycle_checks, permissions
    from workflows.contracts import (
        QUERY_DRAFT,
        QUERY_STATUS,
        SEARCH_ATTRIBUTE_AGENCY,
        SEARCH_ATTRIBUTE_OVERDUE,
        SEARCH_ATTRIBUTE_STAGE,
        SEARCH_ATTRIBUTE_YEAR,
        SIGNAL_DEPARTMENT_PUBLISHED,
        UPDATE_ACKNOWLEDGE,
        UPDATE_DECIDE,
        UPDATE_DECLARE_READY,
        UPDATE_REMIND,
        UPDATE_REQUEST_CORRECTION,
        UPDATE_SET_CELLS,
        UPDATE_SET_PROSE,
        UPDATE_SUBMIT_DOCUMENT,
        Acknowledge,
        ApprovalRecord,
        CorrectionRequest,
        CycleInput,
        CycleStatus,
        Decision,
        DeclareReady,
        DepartmentPublished,
        EditResult,
        FindingInfo,
        ReadyResult,
        Remind,
        Role,
        SetCells,
        SetProse,
        Stage,
        StageChange,
        SubmitDocument,
        report_workflow_id,
    )
    from workflows.cycle_state import CycleState

STAGE_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_STAGE)
AGENCY_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_AGENCY)
YEAR_KEY = SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_YEAR)
OVERDUE_KEY = SearchAttributeKey.for_bool(SEARCH_ATTRIBUTE_OVERDUE)

# Short enough that an activity lost with a killed worker is retried soon; all of them take well under a second.
ACTIVITY_TIMEOUT = timedelta(seconds=20)
ACTIVITY_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))
SYSTEM = "系统"
# One acknowledgement explains one warning (by FindingInfo.key); before it, one explained a whole rule.
PATCH_PER_WARNING = "per-warning-acknowledgement"
# A report of another agency is refused unless sent as a template (then only its figures are taken).
PATCH_FOREIGN_REPORTS = "foreign-reports-refused"
# A decision's answer waits for the stage it leads to (before: the answer showed 审核中 after a rejection).
PATCH_STAGE_AFTER_DECISION = "stage-after-decision"
ArgT = TypeVar("ArgT")
ResultT = TypeVar("ResultT")
CheckedT = TypeVar("CheckedT")


def _refuse(reason: str) -> ApplicationError:
    return ApplicationError(reason, type="Refused", non_retryable=True)


@workflow.defn(name="ReportCycle")
class ReportCycleWorkflow:
    """The report of one agency for one year (id ``report-{agency}-{year}``).

    Updates (validated before they touch history; see ``workflows.contracts``): ``set_cells``,
    ``set_prose``, ``submit_document``, ``declare_ready``, ``acknowledge``, ``decide``,
    ``request_correction``, ``remind``. Queries: ``status``, ``draft``. Signal: ``department_published`` (a
    government's cycle hears from its departments' cycles and offers their roll-up).
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._state = CycleState()

    # ---- the conductor ---------------------------------------------------------------------------

    @workflow.run
    async def run(self, request: CycleInput) -> CycleStatus:
        self._state.agency, self._state.year = request.agency_code, request.year
        self._state.history_limit = request.history_limit
        self._state.start_date = date.fromisoformat(request.start_date)
        self._state.started_at = self._state.stage_since = workflow.now()
        if request.carry is not None:
            self._state.restore(request.carry)
        self._state.roster = await self._act(DirectoryActivities.load_roster, self._state.agency)
        self._state.chain = permissions.approval_chain(self._state.roster)
        self._state.plan = await self._act(
            PlanningActivities.plan_deadlines,
            PlanRequest(self._state.roster.kind, self._state.year, request.start_date),
        )
        draft = await self._act(
            DraftActivities.open_draft,
            OpenDraft(self._state.agency, self._state.year, self._state.roster.name),
        )
        self._state.load(draft)
        workflow.upsert_search_attributes(
            [
                AGENCY_KEY.value_set(self._state.agency),
                YEAR_KEY.value_set(self._state.year),
                OVERDUE_KEY.value_set(False),
            ]
        )
        if request.carry is None:
            await self._move(Stage.DRAFTING, SYSTEM, "年报工作启动")
        else:
            await self._publish_stage()
        background = [asyncio.create_task(self._remind_on_plan()), asyncio.create_task(self._watch_stuck())]
        if (
            self._state.roster.is_government
            and self._state.roster.department_codes
            and not self._state.rolled_up
        ):
            background.append(asyncio.create_task(self._offer_roll_up()))
        try:
            return await self._conduct()
        finally:
            for task in background:
                task.cancel()

    async def _conduct(self) -> CycleStatus:
        while True:
            if self._state.stage is Stage.DRAFTING:
                await self._wait_or_continue(lambda: self._state.ready_by is not None)
                await self._validate()
            elif self._state.stage is Stage.ACKNOWLEDGING:
                await self._wait_or_continue(
                    lambda: self._state.open_warnings() == 0 or self._state.edited_after_check
                )
                if self._state.edited_after_check:
                    self._state.edited_after_check = False
                    await self._move(Stage.DRAFTING, SYSTEM, "校验后修改了草稿，需重新提请校验")
                else:
                    await self._move(Stage.APPROVING, SYSTEM, "全部警告已说明理由")
                    await self._ask_approver()
            elif self._state.stage is Stage.APPROVING:
                await self._approve()
            elif self._state.stage is Stage.PUBLISHING:
                await self._publish()
            elif self._state.stage is Stage.PUBLISHED:
                if not await self._await_correction():
                    return self.status()
            else:
                await self._validate()

    async def _validate(self) -> None:
        actor = self._state.ready_by
        by = actor.name if actor else SYSTEM
        self._state.ready_by = None
        await self._move(Stage.VALIDATING, by, "提请校验")
        result = await self._act(DraftActivities.check_draft, self._state.draft_key())
        self._state.take_findings(result.findings, per_warning=workflow.patched(PATCH_PER_WARNING))
        errors = [f for f in self._state.findings if f.severity == "error"]
        if errors:
            await self._notify(
                NoticeKind.FINDINGS, Role.OFFICER, f"findings-{self._state.validations}", errors
            )
            await self._move(Stage.DRAFTING, SYSTEM, f"校验发现{len(errors)}处错误，退回起草")
        elif self._state.open_warnings():
            warnings = [f for f in self._state.findings if not f.acknowledged]
            await self._notify(
                NoticeKind.WARNINGS, Role.OFFICER, f"warnings-{self._state.validations}", warnings
            )
            await self._move(Stage.ACKNOWLEDGING, SYSTEM, f"{self._state.open_warnings()}处警告待说明理由")
        else:
            await self._move(Stage.APPROVING, SYSTEM, "校验通过")
            await self._ask_approver()
        self._state.validations += 1

    async def _approve(self) -> None:
        if not self._state.chain:
            await self._move(Stage.PUBLISHING, SYSTEM, "未设置审核人，直接发布")
            return
        step = self._state.step
        if self._state.rejected is None and step < len(self._state.chain):
            # Decisions may already have arrived (both approvers quick): only wait when none is pending.
            await self._wait_or_continue(lambda: self._state.rejected is not None or self._state.step != step)
        if self._state.rejected is not None:
            rejection, self._state.rejected = self._state.rejected, None
            self._state.approval_round, self._state.step = self._state.approval_round + 1, 0
            await self._notify(
                NoticeKind.REJECTED,
                Role.OFFICER,
                f"rejected-{self._state.approval_round}",
                comment=rejection.comment,
            )
            await self._move(Stage.DRAFTING, rejection.name, f"退回修改：{rejection.comment}")
        elif self._state.step >= len(self._state.chain):
            await self._move(Stage.PUBLISHING, SYSTEM, "审核通过")
        else:
            await self._ask_approver()

    async def _publish(self) -> None:
        assert self._state.roster is not None
        info = await self._act(
            PublishingActivities.publish, PublishRequest(self._state.draft_key(), self._state.roster.name)
        )
        self._state.publications.append(info)
        await self._move(Stage.PUBLISHED, SYSTEM, f"第{self._state.revision}版已发布：{info.location}")
        extra = {"location": info.location, "revision": str(self._state.revision)}
        await self._notify_roles(
            NoticeKind.PUBLISHED, (Role.OFFICER, Role.COORDINATOR), f"published-{self._state.revision}", extra
        )
        if self._state.roster.parent_code:
            parent = workflow.get_external_workflow_handle(
                report_workflow_id(self._state.roster.parent_code, self._state.year)
            )
            try:
                await parent.signal(
                    SIGNAL_DEPARTMENT_PUBLISHED, DepartmentPublished(self._state.agency, self._state.revision)
                )
            except ApplicationError:
                workflow.logger.info(
                    "government cycle %s not running; it will find the publication", parent.id
                )

    async def _await_correction(self) -> bool:
        """Wait for a correction while the correction window is open; False when the cycle closes."""
        assert self._state.plan is not None
        window = self._state.plan.close_after_days * self._state.plan.day_seconds
        try:
            await self._wait_or_continue(lambda: self._state.correction is not None, within=window)
        except TimeoutError:
            return False
        assert self._state.correction is not None
        request, self._state.correction = self._state.correction, None
        draft = await self._act(
            DraftActivities.reopen, ReopenRequest(self._state.draft_key(), request.actor, request.reason)
        )
        self._state.load(draft)
        self._state.approval_round, self._state.step, self._state.findings = (
            self._state.approval_round + 1,
            0,
            [],
        )
        await self._notify(
            NoticeKind.CORRECTION, Role.OFFICER, f"correction-{self._state.revision}", reason=request.reason
        )
        await self._move(
            Stage.DRAFTING, request.actor.name, f"更正（第{self._state.revision}版）：{request.reason}"
        )
        return True

    async def _wait_or_continue(self, done: object, within: float | None = None) -> None:
        """Wait for ``done``; continue as new first when the history has grown long."""
        assert callable(done)
        await workflow.wait_condition(lambda: bool(done()) or self._history_is_long(), timeout=within)
        if not done() and self._history_is_long():
            await workflow.wait_condition(workflow.all_handlers_finished)
            workflow.continue_as_new(
                CycleInput(
                    self._state.agency,
                    self._state.year,
                    self._state.start_date.isoformat(),
                    self._state.carry(),
                    self._state.history_limit,
                )
            )

    def _history_is_long(self) -> bool:
        info = workflow.info()
        return (
            info.get_current_history_length() > self._state.history_limit
            or info.is_continue_as_new_suggested()
        )

    # ---- background: reminders, escalation, roll-up ------------------------------------------------

    async def _remind_on_plan(self) -> None:
        assert self._state.plan is not None
        for index, reminder in enumerate(self._state.plan.reminders):
            if index < self._state.reminders_sent:
                continue
            fire_at = self._state.started_at + timedelta(seconds=reminder.offset_seconds)
            delay = (fire_at - workflow.now()).total_seconds()
            if delay > 0:
                await workflow.sleep(delay)
            self._state.reminders_sent = index + 1
            if self._state.stage is Stage.PUBLISHED:
                continue
            await self._send_reminder(reminder)

    async def _send_reminder(self, reminder: PlannedReminder) -> None:
        if reminder.kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATE) and not self._state.overdue(
            workflow.now()
        ):
            return
        if reminder.kind is ReminderKind.ESCALATE:
            await self._set_overdue()
            self._state.escalated.add(f"overdue-{reminder.date}")
            await self._notify_roles(
                NoticeKind.ESCALATION, (Role.COORDINATOR,), f"escalate-{reminder.date}", {"reason": "已逾期"}
            )
            return
        if reminder.kind is ReminderKind.OVERDUE:
            await self._set_overdue()
        details = {
            "date": reminder.date,
            "days_before": str(reminder.days_before),
            "reminder": reminder.kind.value,
        }
        await self._notify_roles(
            NoticeKind.REMINDER, self._state.holders(), f"remind-{reminder.date}-{reminder.kind}", details
        )

    async def _watch_stuck(self) -> None:
        assert self._state.plan is not None
        limit = self._state.plan.stuck_after_days * self._state.plan.day_seconds
        while True:
            seq = self._state.stage_seq
            try:
                await workflow.wait_condition(lambda seq=seq: self._state.stage_seq != seq, timeout=limit)
                continue
            except TimeoutError:
                pass
            key = f"stuck-{self._state.revision}-{seq}"
            if (
                self._state.stage in (Stage.DRAFTING, Stage.ACKNOWLEDGING, Stage.APPROVING)
                and key not in self._state.escalated
            ):
                self._state.escalated.add(key)
                details = {
                    "reason": f"在“{self._state.stage.label}”阶段停留超过{self._state.plan.stuck_after_days}天"
                }
                await self._notify_roles(
                    NoticeKind.REMINDER, self._state.holders(), f"{key}-holders", details
                )
                await self._notify_roles(NoticeKind.ESCALATION, (Role.COORDINATOR,), key, details)
            await workflow.wait_condition(lambda seq=seq: self._state.stage_seq != seq)

    async def _offer_roll_up(self) -> None:
        assert self._state.roster is not None
        assert self._state.plan is not None
        departments = self._state.roster.department_codes
        poll_every = self._state.plan.day_seconds * self._state.plan.stuck_after_days
        while True:
            known, seq = len(self._state.published_departments), self._state.stage_seq
            async with self._lock:
                apply = self._state.stage is Stage.DRAFTING and self._state.ready_by is None
                result = await self._act(
                    DraftActivities.roll_up, RollUpRequest(self._state.draft_key(), departments, apply)
                )
                self._state.published_departments.update(result.published)
                if result.applied is not None:
                    self._state.apply_cells(result.applied)
                    self._state.rolled_up = True
            if self._state.rolled_up:
                await self._notify(
                    NoticeKind.ROLLUP, Role.OFFICER, "rollup", count=str(len(result.applied or ()))
                )
                return
            all_in = len(self._state.published_departments) >= len(departments)
            try:
                await workflow.wait_condition(
                    lambda known=known, seq=seq, all_in=all_in: (
                        len(self._state.published_departments) > known
                        or (all_in and self._state.stage_seq != seq)
                    ),
                    timeout=poll_every,
                )
            except TimeoutError:
                continue

    # ---- updates, their validators, the query, the signal -----------------------------------------

    @workflow.update(name=UPDATE_SET_CELLS)
    async def set_cells(self, request: SetCells) -> EditResult:
        await workflow.wait_condition(self._state.is_loaded)
        async with self._lock:
            parsed = self._check(lambda: cycle_checks.editable_figures(self._state, request))
            changes = self._state.figure_changes(parsed)
            await self._record(EditRecord(self._state.draft_key(), request.actor, changes))
            self._state.apply_cells(changes)
            return self._state.edit_result(changes, workflow.now())

    @set_cells.validator
    def _validate_set_cells(self, request: SetCells) -> None:
        self._check_when_loaded(lambda: cycle_checks.editable_figures(self._state, request))

    @workflow.update(name=UPDATE_SET_PROSE)
    async def set_prose(self, request: SetProse) -> EditResult:
        await workflow.wait_condition(self._state.is_loaded)
        async with self._lock:
            self._check(lambda: cycle_checks.editable_prose(self._state, request))
            old = self._state.prose.get(request.section, "")
            changes = (CellChange(request.section, old, request.text),) if old != request.text else ()
            await self._record(EditRecord(self._state.draft_key(), request.actor, changes))
            for change in changes:
                self._state.prose[change.key] = change.new
            return self._state.edit_result(changes, workflow.now())

    @set_prose.validator
    def _validate_set_prose(self, request: SetProse) -> None:
        self._check_when_loaded(lambda: cycle_checks.editable_prose(self._state, request))

    @workflow.update(name=UPDATE_SUBMIT_DOCUMENT)
    async def submit_document(self, request: SubmitDocument) -> EditResult:
        await workflow.wait_condition(self._state.is_loaded)
        foreign_refused = workflow.patched(PATCH_FOREIGN_REPORTS)
        if foreign_refused and request.as_template:
            return await self._take_template(request)
        async with self._lock:
            fmt, cells, prose = self._check(
                lambda: cycle_checks.editable_document(self._state, request, refuse_foreign=foreign_refused)
            )
            changes = self._state.document_changes(fmt, cells, prose)
            note = f"导入文件：{request.source}" if request.source else "导入报告"
            await self._record(
                EditRecord(self._state.draft_key(), request.actor, changes, request.document, note)
            )
            self._state.draft_format = fmt
            self._state.cells, self._state.prose = dict(cells), dict(prose)
            return self._state.edit_result(changes, workflow.now())

    async def _take_template(self, request: SubmitDocument) -> EditResult:
        """Only the figures of another report go into the draft; the audit names whose report it was."""
        async with self._lock:
            figures, whose = self._check(lambda: cycle_checks.editable_template(self._state, request))
            changes = self._state.figure_changes(figures)
            note = f"按模板导入（仅取数字）：{whose}" + (f"，文件{request.source}" if request.source else "")
            await self._record(EditRecord(self._state.draft_key(), request.actor, changes, None, note))
            self._state.apply_cells(changes)
            return self._state.edit_result(changes, workflow.now())

    @submit_document.validator
    def _validate_submit_document(self, request: SubmitDocument) -> None:
        if request.as_template:
            self._check_when_loaded(lambda: cycle_checks.editable_template(self._state, request))
        else:
            self._check_when_loaded(lambda: cycle_checks.editable_document(self._state, request))

    @workflow.update(name=UPDATE_DECLARE_READY)
    async def declare_ready(self, request: DeclareReady) -> ReadyResult:
        await workflow.wait_condition(self._state.is_loaded)
        async with self._lock:
            self._check(lambda: cycle_checks.check_ready(self._state, request.actor))
            seen = self._state.validations
            self._state.ready_by = request.actor
        await workflow.wait_condition(lambda: self._state.validations > seen)
        return ReadyResult(self._state.stage, tuple(self._state.findings))

    @declare_ready.validator
    def _validate_declare_ready(self, request: DeclareReady) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_ready(self._state, request.actor))

    @workflow.update(name=UPDATE_ACKNOWLEDGE)
    async def acknowledge(self, request: Acknowledge) -> CycleStatus:
        await workflow.wait_condition(self._state.is_loaded)
        per_warning = workflow.patched(PATCH_PER_WARNING)
        check = cycle_checks.check_acknowledge if per_warning else cycle_checks.check_acknowledge_by_rule
        finding = self._check(lambda: check(self._state, request))
        await self._act(
            DraftActivities.record_acknowledgement,
            AcknowledgementRecord(
                self._state.draft_key(),
                request.actor,
                finding.key if per_warning else request.rule_id,
                request.reason.strip(),
            ),
        )
        self._state.acknowledge(finding, per_warning=per_warning)
        return self.status()

    @acknowledge.validator
    def _validate_acknowledge(self, request: Acknowledge) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_acknowledge(self._state, request))

    @workflow.update(name=UPDATE_DECIDE)
    async def decide(self, request: Decision) -> CycleStatus:
        await workflow.wait_condition(self._state.is_loaded)
        self._check(lambda: cycle_checks.check_decision(self._state, request))
        step = self._state.chain[self._state.step]
        await self._act(
            DraftActivities.record_decision,
            ApprovalDecisionRecord(
                self._state.draft_key(),
                request.actor,
                step.index,
                step.label,
                request.approve,
                request.comment.strip(),
            ),
        )
        record = ApprovalRecord(
            self._state.approval_round,
            self._state.step,
            request.actor.person_id,
            request.actor.name,
            request.approve,
            request.comment.strip(),
            workflow.now().isoformat(),
        )
        self._state.approvals.append(record)
        seq = self._state.stage_seq
        if request.approve:
            self._state.step += 1
        else:
            self._state.rejected = record
        if workflow.patched(PATCH_STAGE_AFTER_DECISION):
            # The answer names the stage the decision leads to: back in drafting, or published.
            if not request.approve:
                await workflow.wait_condition(lambda: self._state.stage_seq != seq)
            elif self._state.step >= len(self._state.chain):
                await workflow.wait_condition(lambda: self._state.stage is Stage.PUBLISHED)
        return self.status()

    @decide.validator
    def _validate_decide(self, request: Decision) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_decision(self._state, request))

    @workflow.update(name=UPDATE_REQUEST_CORRECTION)
    async def request_correction(self, request: CorrectionRequest) -> CycleStatus:
        await workflow.wait_condition(self._state.is_loaded)
        self._check(lambda: cycle_checks.check_correction(self._state, request))
        self._state.correction = request
        await workflow.wait_condition(lambda: self._state.stage is Stage.DRAFTING)
        return self.status()

    @request_correction.validator
    def _validate_request_correction(self, request: CorrectionRequest) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_correction(self._state, request))

    @workflow.update(name=UPDATE_REMIND)
    async def remind(self, request: Remind) -> int:
        await workflow.wait_condition(self._state.is_loaded)
        self._check(lambda: cycle_checks.check_remind(self._state, request))
        holders = self._state.holders()
        details = {"reason": f"{request.actor.name}提醒"}
        key = f"manual-{workflow.now().isoformat()}"
        return await self._notify_roles(NoticeKind.REMINDER, holders, key, details)

    @remind.validator
    def _validate_remind(self, request: Remind) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_remind(self._state, request))

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> CycleStatus:
        """Answers from the first moment; before the roster and plan have loaded, name and deadline are blank."""
        return self._state.status(workflow.now())

    @workflow.query(name=QUERY_DRAFT)
    def draft(self) -> dict[str, Any]:
        """The draft as a report document (``domain.document.to_document``), as the cycle holds it now."""
        return self._state.draft_document()

    @workflow.signal(name=SIGNAL_DEPARTMENT_PUBLISHED)
    def department_published(self, notice: DepartmentPublished) -> None:
        self._state.published_departments.add(notice.agency_code)

    # ---- checks -------------------------------------------------------------------------------------

    @staticmethod
    def _check(check: Callable[[], CheckedT]) -> CheckedT:
        """Run a check in an update handler: a refusal fails the update (not the workflow) with its reason."""
        try:
            return check()
        except permissions.RefusedError as refusal:
            raise _refuse(str(refusal)) from None

    def _check_when_loaded(self, check: Callable[[], object]) -> None:
        """Validators: before the roster has loaded nothing can be judged; the handler checks after loading."""
        if self._state.is_loaded():
            self._check(check)

    # ---- helpers ------------------------------------------------------------------------------------

    async def _act(self, method: Callable[[Any, ArgT], ResultT], arg: ArgT) -> ResultT:
        return await workflow.execute_activity_method(
            method,
            arg,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
        )

    async def _record(self, record: EditRecord) -> None:
        if record.changes or record.document is not None:
            await self._act(DraftActivities.record_edit, record)
            self._state.edited_after_check = self._state.stage is Stage.ACKNOWLEDGING

    async def _move(self, stage: Stage, by: str, note: str) -> None:
        self._state.stage, self._state.stage_seq, self._state.stage_since = (
            stage,
            self._state.stage_seq + 1,
            workflow.now(),
        )
        self._state.history.append(
            StageChange(
                stage, workflow.now().isoformat(), self._state.today(workflow.now()).isoformat(), by, note
            )
        )
        await self._publish_stage()

    async def _publish_stage(self) -> None:
        workflow.upsert_search_attributes(
            [
                STAGE_KEY.value_set(self._state.stage.value),
                OVERDUE_KEY.value_set(self._state.overdue(workflow.now())),
            ]
        )
        current = self.status()
        row = StatusRow(
            self._state.agency,
            self._state.year,
            self._state.stage.value,
            current.percent_complete,
            current.deadline,
            current.overdue,
        )
        await self._act(DraftActivities.upsert_status, row)

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
        await self._act(NotificationActivities.notify, notice)
        return len(notice.recipients)
