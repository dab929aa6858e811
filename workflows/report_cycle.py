"""One agency's report for one year, from the first draft to publication (and corrections after it)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta
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
        AgencyRoster,
        ApprovalDecisionRecord,
        CellChange,
        DeadlinePlan,
        DraftKey,
        DraftSnapshot,
        EditRecord,
        Notice,
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
    from domain.document import to_document
    from domain.formats import OFFICIAL_HEADINGS, PROSE_SECTIONS, ReportFormat, report_format
    from domain.report import Report, Section
    from workflows import permissions
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
        Actor,
        ApprovalRecord,
        ApprovalStep,
        CorrectionRequest,
        CycleCarry,
        CycleInput,
        CycleStatus,
        Decision,
        DeclareReady,
        DepartmentPublished,
        EditResult,
        FindingInfo,
        PublicationInfo,
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

STAGE_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_STAGE)
AGENCY_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_AGENCY)
YEAR_KEY = SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_YEAR)
OVERDUE_KEY = SearchAttributeKey.for_bool(SEARCH_ATTRIBUTE_OVERDUE)

# Short enough that an activity lost with a killed worker is retried soon; all of them take well under a second.
ACTIVITY_TIMEOUT = timedelta(seconds=20)
ACTIVITY_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))
SYSTEM = "系统"
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
        self._stage = Stage.DRAFTING
        self._stage_seq = 0
        self._revision = 1
        self._round = 1
        self._step = 0
        self._approvals: list[ApprovalRecord] = []
        self._history: list[StageChange] = []
        self._findings: list[FindingInfo] = []
        self._publications: list[PublicationInfo] = []
        self._published_departments: set[str] = set()
        self._rolled_up = False
        self._reminders_sent = 0
        self._escalated: set[str] = set()
        self._cells: dict[str, str] = {}
        self._prose: dict[str, str] = {}
        self._format: ReportFormat = report_format("2021")
        self._ready_by: Actor | None = None
        self._edited_after_check = False
        self._draft_loaded = False
        self._history_limit = 0
        self._validations = 0
        self._rejected: ApprovalRecord | None = None
        self._correction: CorrectionRequest | None = None
        self._agency = ""
        self._year = 0
        self._start_date = date(2000, 1, 1)
        self._started_at = datetime.min
        self._stage_since = datetime.min
        self._roster: AgencyRoster | None = None
        self._plan: DeadlinePlan | None = None
        self._chain: tuple[ApprovalStep, ...] = ()

    # ---- the conductor ---------------------------------------------------------------------------

    @workflow.run
    async def run(self, request: CycleInput) -> CycleStatus:
        self._agency, self._year = request.agency_code, request.year
        self._history_limit = request.history_limit
        self._start_date = date.fromisoformat(request.start_date)
        self._started_at = self._stage_since = workflow.now()
        if request.carry is not None:
            self._restore(request.carry)
        self._roster = await self._act(DirectoryActivities.load_roster, self._agency)
        self._chain = permissions.approval_chain(self._roster)
        self._plan = await self._act(
            PlanningActivities.plan_deadlines, PlanRequest(self._roster.kind, self._year, request.start_date)
        )
        draft = await self._act(
            DraftActivities.open_draft, OpenDraft(self._agency, self._year, self._roster.name)
        )
        self._load(draft)
        workflow.upsert_search_attributes(
            [AGENCY_KEY.value_set(self._agency), YEAR_KEY.value_set(self._year), OVERDUE_KEY.value_set(False)]
        )
        if request.carry is None:
            await self._move(Stage.DRAFTING, SYSTEM, "年报工作启动")
        else:
            await self._publish_stage()
        background = [asyncio.create_task(self._remind_on_plan()), asyncio.create_task(self._watch_stuck())]
        if self._roster.is_government and self._roster.department_codes and not self._rolled_up:
            background.append(asyncio.create_task(self._offer_roll_up()))
        try:
            return await self._conduct()
        finally:
            for task in background:
                task.cancel()

    async def _conduct(self) -> CycleStatus:
        while True:
            if self._stage is Stage.DRAFTING:
                await self._wait_or_continue(lambda: self._ready_by is not None)
                await self._validate()
            elif self._stage is Stage.ACKNOWLEDGING:
                await self._wait_or_continue(lambda: self._open_warnings() == 0 or self._edited_after_check)
                if self._edited_after_check:
                    self._edited_after_check = False
                    await self._move(Stage.DRAFTING, SYSTEM, "校验后修改了草稿，需重新提请校验")
                else:
                    await self._move(Stage.APPROVING, SYSTEM, "全部警告已说明理由")
                    await self._ask_approver()
            elif self._stage is Stage.APPROVING:
                await self._approve()
            elif self._stage is Stage.PUBLISHING:
                await self._publish()
            elif self._stage is Stage.PUBLISHED:
                if not await self._await_correction():
                    return self.status()
            else:
                await self._validate()

    async def _validate(self) -> None:
        actor = self._ready_by
        by = actor.name if actor else SYSTEM
        self._ready_by = None
        await self._move(Stage.VALIDATING, by, "提请校验")
        result = await self._act(DraftActivities.check_draft, self._draft_key())
        acknowledged = {f.rule_id for f in self._findings if f.acknowledged}
        self._findings = [
            FindingInfo(f.rule_id, f.severity, f.message, f.cells, f.rule_id in acknowledged)
            for f in result.findings
        ]
        errors = [f for f in self._findings if f.severity == "error"]
        if errors:
            await self._notify(NoticeKind.FINDINGS, Role.OFFICER, f"findings-{self._validations}", errors)
            await self._move(Stage.DRAFTING, SYSTEM, f"校验发现{len(errors)}处错误，退回起草")
        elif self._open_warnings():
            warnings = [f for f in self._findings if not f.acknowledged]
            await self._notify(NoticeKind.WARNINGS, Role.OFFICER, f"warnings-{self._validations}", warnings)
            await self._move(Stage.ACKNOWLEDGING, SYSTEM, f"{self._open_warnings()}处警告待说明理由")
        else:
            await self._move(Stage.APPROVING, SYSTEM, "校验通过")
            await self._ask_approver()
        self._validations += 1

    async def _approve(self) -> None:
        if not self._chain:
            await self._move(Stage.PUBLISHING, SYSTEM, "未设置审核人，直接发布")
            return
        step = self._step
        if self._rejected is None and step < len(self._chain):
            # Decisions may already have arrived (both approvers quick): only wait when none is pending.
            await self._wait_or_continue(lambda: self._rejected is not None or self._step != step)
        if self._rejected is not None:
            rejection, self._rejected = self._rejected, None
            self._round, self._step = self._round + 1, 0
            await self._notify(
                NoticeKind.REJECTED, Role.OFFICER, f"rejected-{self._round}", comment=rejection.comment
            )
            await self._move(Stage.DRAFTING, rejection.name, f"退回修改：{rejection.comment}")
        elif self._step >= len(self._chain):
            await self._move(Stage.PUBLISHING, SYSTEM, "审核通过")
        else:
            await self._ask_approver()

    async def _publish(self) -> None:
        assert self._roster is not None
        info = await self._act(
            PublishingActivities.publish, PublishRequest(self._draft_key(), self._roster.name)
        )
        self._publications.append(info)
        await self._move(Stage.PUBLISHED, SYSTEM, f"第{self._revision}版已发布：{info.location}")
        extra = {"location": info.location, "revision": str(self._revision)}
        await self._notify_roles(
            NoticeKind.PUBLISHED, (Role.OFFICER, Role.COORDINATOR), f"published-{self._revision}", extra
        )
        if self._roster.parent_code:
            parent = workflow.get_external_workflow_handle(
                report_workflow_id(self._roster.parent_code, self._year)
            )
            try:
                await parent.signal(
                    SIGNAL_DEPARTMENT_PUBLISHED, DepartmentPublished(self._agency, self._revision)
                )
            except ApplicationError:
                workflow.logger.info(
                    "government cycle %s not running; it will find the publication", parent.id
                )

    async def _await_correction(self) -> bool:
        """Wait for a correction while the correction window is open; False when the cycle closes."""
        assert self._plan is not None
        window = self._plan.close_after_days * self._plan.day_seconds
        try:
            await self._wait_or_continue(lambda: self._correction is not None, within=window)
        except TimeoutError:
            return False
        assert self._correction is not None
        request, self._correction = self._correction, None
        draft = await self._act(
            DraftActivities.reopen, ReopenRequest(self._draft_key(), request.actor, request.reason)
        )
        self._load(draft)
        self._round, self._step, self._findings = self._round + 1, 0, []
        await self._notify(
            NoticeKind.CORRECTION, Role.OFFICER, f"correction-{self._revision}", reason=request.reason
        )
        await self._move(
            Stage.DRAFTING, request.actor.name, f"更正（第{self._revision}版）：{request.reason}"
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
                    self._agency, self._year, self._start_date.isoformat(), self._carry(), self._history_limit
                )
            )

    def _history_is_long(self) -> bool:
        info = workflow.info()
        return info.get_current_history_length() > self._history_limit or info.is_continue_as_new_suggested()

    # ---- background: reminders, escalation, roll-up ------------------------------------------------

    async def _remind_on_plan(self) -> None:
        assert self._plan is not None
        for index, reminder in enumerate(self._plan.reminders):
            if index < self._reminders_sent:
                continue
            fire_at = self._started_at + timedelta(seconds=reminder.offset_seconds)
            delay = (fire_at - workflow.now()).total_seconds()
            if delay > 0:
                await workflow.sleep(delay)
            self._reminders_sent = index + 1
            if self._stage is Stage.PUBLISHED:
                continue
            await self._send_reminder(reminder)

    async def _send_reminder(self, reminder: PlannedReminder) -> None:
        if reminder.kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATE) and not self._overdue():
            return
        if reminder.kind is ReminderKind.ESCALATE:
            await self._set_overdue()
            self._escalated.add(f"overdue-{reminder.date}")
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
            NoticeKind.REMINDER, self._holders(), f"remind-{reminder.date}-{reminder.kind}", details
        )

    async def _watch_stuck(self) -> None:
        assert self._plan is not None
        limit = self._plan.stuck_after_days * self._plan.day_seconds
        while True:
            seq = self._stage_seq
            try:
                await workflow.wait_condition(lambda seq=seq: self._stage_seq != seq, timeout=limit)
                continue
            except TimeoutError:
                pass
            key = f"stuck-{self._revision}-{seq}"
            if (
                self._stage in (Stage.DRAFTING, Stage.ACKNOWLEDGING, Stage.APPROVING)
                and key not in self._escalated
            ):
                self._escalated.add(key)
                details = {"reason": f"在“{self._stage.label}”阶段停留超过{self._plan.stuck_after_days}天"}
                await self._notify_roles(NoticeKind.REMINDER, self._holders(), f"{key}-holders", details)
                await self._notify_roles(NoticeKind.ESCALATION, (Role.COORDINATOR,), key, details)
            await workflow.wait_condition(lambda seq=seq: self._stage_seq != seq)

    async def _offer_roll_up(self) -> None:
        assert self._roster is not None
        assert self._plan is not None
        departments = self._roster.department_codes
        poll_every = self._plan.day_seconds * self._plan.stuck_after_days
        while True:
            known, seq = len(self._published_departments), self._stage_seq
            async with self._lock:
                apply = self._stage is Stage.DRAFTING and self._ready_by is None
                result = await self._act(
                    DraftActivities.roll_up, RollUpRequest(self._draft_key(), departments, apply)
                )
                self._published_departments.update(result.published)
                if result.applied is not None:
                    self._apply_cells(result.applied)
                    self._rolled_up = True
            if self._rolled_up:
                await self._notify(
                    NoticeKind.ROLLUP, Role.OFFICER, "rollup", count=str(len(result.applied or ()))
                )
                return
            all_in = len(self._published_departments) >= len(departments)
            try:
                await workflow.wait_condition(
                    lambda known=known, seq=seq, all_in=all_in: (
                        len(self._published_departments) > known or (all_in and self._stage_seq != seq)
                    ),
                    timeout=poll_every,
                )
            except TimeoutError:
                continue

    # ---- updates, their validators, the query, the signal -----------------------------------------

    @workflow.update(name=UPDATE_SET_CELLS)
    async def set_cells(self, request: SetCells) -> EditResult:
        await workflow.wait_condition(self._is_loaded)
        async with self._lock:
            parsed = self._check(lambda: self._editable_figures(request))
            changes = tuple(
                CellChange(key, self._cells.get(key, ""), new)
                for key, new in parsed.items()
                if self._cells.get(key, "") != new
            )
            await self._record(EditRecord(self._draft_key(), request.actor, changes))
            self._apply_cells(changes)
            return self._edit_result(changes)

    @set_cells.validator
    def _validate_set_cells(self, request: SetCells) -> None:
        self._check_when_loaded(lambda: self._editable_figures(request))

    @workflow.update(name=UPDATE_SET_PROSE)
    async def set_prose(self, request: SetProse) -> EditResult:
        await workflow.wait_condition(self._is_loaded)
        async with self._lock:
            self._check(lambda: self._editable_prose(request))
            old = self._prose.get(request.section, "")
            changes = (CellChange(request.section, old, request.text),) if old != request.text else ()
            await self._record(EditRecord(self._draft_key(), request.actor, changes))
            for change in changes:
                self._prose[change.key] = change.new
            return self._edit_result(changes)

    @set_prose.validator
    def _validate_set_prose(self, request: SetProse) -> None:
        self._check_when_loaded(lambda: self._editable_prose(request))

    @workflow.update(name=UPDATE_SUBMIT_DOCUMENT)
    async def submit_document(self, request: SubmitDocument) -> EditResult:
        await workflow.wait_condition(self._is_loaded)
        async with self._lock:
            fmt, cells, prose = self._check(lambda: self._editable_document(request))
            changes = tuple(
                CellChange(key, self._cells.get(key, ""), cells.get(key, ""))
                for key in fmt.keys
                if not key.startswith("meta.") and self._cells.get(key, "") != cells.get(key, "")
            ) + tuple(
                CellChange(sid, self._prose.get(sid, ""), prose.get(sid, ""))
                for sid in PROSE_SECTIONS
                if self._prose.get(sid, "") != prose.get(sid, "")
            )
            note = f"导入文件：{request.source}" if request.source else "导入报告"
            await self._record(EditRecord(self._draft_key(), request.actor, changes, request.document, note))
            self._format = fmt
            self._cells, self._prose = dict(cells), dict(prose)
            return self._edit_result(changes)

    @submit_document.validator
    def _validate_submit_document(self, request: SubmitDocument) -> None:
        self._check_when_loaded(lambda: self._editable_document(request))

    @workflow.update(name=UPDATE_DECLARE_READY)
    async def declare_ready(self, request: DeclareReady) -> ReadyResult:
        await workflow.wait_condition(self._is_loaded)
        async with self._lock:
            self._check(lambda: self._check_ready(request.actor))
            seen = self._validations
            self._ready_by = request.actor
        await workflow.wait_condition(lambda: self._validations > seen)
        return ReadyResult(self._stage, tuple(self._findings))

    @declare_ready.validator
    def _validate_declare_ready(self, request: DeclareReady) -> None:
        self._check_when_loaded(lambda: self._check_ready(request.actor))

    @workflow.update(name=UPDATE_ACKNOWLEDGE)
    async def acknowledge(self, request: Acknowledge) -> CycleStatus:
        await workflow.wait_condition(self._is_loaded)
        self._check(lambda: self._check_acknowledge(request))
        await self._act(
            DraftActivities.record_acknowledgement,
            AcknowledgementRecord(self._draft_key(), request.actor, request.rule_id, request.reason.strip()),
        )
        self._findings = [
            FindingInfo(
                f.rule_id, f.severity, f.message, f.cells, f.acknowledged or f.rule_id == request.rule_id
            )
            for f in self._findings
        ]
        return self.status()

    @acknowledge.validator
    def _validate_acknowledge(self, request: Acknowledge) -> None:
        self._check_when_loaded(lambda: self._check_acknowledge(request))

    @workflow.update(name=UPDATE_DECIDE)
    async def decide(self, request: Decision) -> CycleStatus:
        await workflow.wait_condition(self._is_loaded)
        self._check(lambda: self._check_decision(request))
        step = self._chain[self._step]
        await self._act(
            DraftActivities.record_decision,
            ApprovalDecisionRecord(
                self._draft_key(),
                request.actor,
                step.index,
                step.label,
                request.approve,
                request.comment.strip(),
            ),
        )
        record = ApprovalRecord(
            self._round,
            self._step,
            request.actor.person_id,
            request.actor.name,
            request.approve,
            request.comment.strip(),
            workflow.now().isoformat(),
        )
        self._approvals.append(record)
        if request.approve:
            self._step += 1
        else:
            self._rejected = record
        return self.status()

    @decide.validator
    def _validate_decide(self, request: Decision) -> None:
        self._check_when_loaded(lambda: self._check_decision(request))

    @workflow.update(name=UPDATE_REQUEST_CORRECTION)
    async def request_correction(self, request: CorrectionRequest) -> CycleStatus:
        await workflow.wait_condition(self._is_loaded)
        self._check(lambda: self._check_correction(request))
        self._correction = request
        await workflow.wait_condition(lambda: self._stage is Stage.DRAFTING)
        return self.status()

    @request_correction.validator
    def _validate_request_correction(self, request: CorrectionRequest) -> None:
        self._check_when_loaded(lambda: self._check_correction(request))

    @workflow.update(name=UPDATE_REMIND)
    async def remind(self, request: Remind) -> int:
        await workflow.wait_condition(self._is_loaded)
        self._check(lambda: self._check_remind(request))
        holders = self._holders()
        details = {"reason": f"{request.actor.name}提醒"}
        key = f"manual-{workflow.now().isoformat()}"
        return await self._notify_roles(NoticeKind.REMINDER, holders, key, details)

    @remind.validator
    def _validate_remind(self, request: Remind) -> None:
        self._check_when_loaded(lambda: self._check_remind(request))

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> CycleStatus:
        """Answers from the first moment; before the roster and plan have loaded, name and deadline are blank."""
        today = self._today()
        deadline = date.fromisoformat(self._plan.deadline) if self._plan else today
        missing = tuple(spec.key for spec in self._format.table_cells if not self._cells.get(spec.key))
        departments = self._roster.department_codes if self._roster else ()
        return CycleStatus(
            agency_code=self._agency,
            agency_name=self._roster.name if self._roster else self._agency,
            year=self._year,
            stage=self._stage,
            stage_label=self._stage.label,
            revision=self._revision,
            format_id=self._format.id.value,
            filled=len(self._format.table_cells) - len(missing),
            total=len(self._format.table_cells),
            missing=missing,
            missing_prose=tuple(sid for sid in PROSE_SECTIONS if not self._prose.get(sid, "").strip()),
            findings=tuple(self._findings),
            approval_round=self._round,
            current_step=self._current_step(),
            approvals=tuple(self._approvals),
            deadline=self._plan.deadline if self._plan else "",
            today=today.isoformat(),
            days_left=(deadline - today).days,
            overdue=self._overdue(),
            history=tuple(self._history),
            publications=tuple(self._publications),
            waiting_for_departments=tuple(c for c in departments if c not in self._published_departments),
        )

    @workflow.query(name=QUERY_DRAFT)
    def draft(self) -> dict[str, Any]:
        """The draft as a report document (``domain.document.to_document``), as the cycle holds it now."""
        report = Report.blank(
            self._format.id.value,
            agency=self._roster.name if self._roster else self._agency,
            year=self._year,
            legacy_other_row=self._format.variant == "legacy_other",
        )
        for key, text in self._cells.items():
            report.set_cell(key, text)
        for sid, text in self._prose.items():
            report.sections[sid] = Section(OFFICIAL_HEADINGS[sid], text)
        return to_document(report)

    def _current_step(self) -> ApprovalStep | None:
        if self._stage is Stage.APPROVING and self._step < len(self._chain):
            return self._chain[self._step]
        return None

    @workflow.signal(name=SIGNAL_DEPARTMENT_PUBLISHED)
    def department_published(self, notice: DepartmentPublished) -> None:
        self._published_departments.add(notice.agency_code)

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
        if self._is_loaded():
            self._check(check)

    def _is_loaded(self) -> bool:
        return self._roster is not None and self._plan is not None and self._draft_loaded

    def _loaded(self) -> AgencyRoster:
        if self._roster is None or not self._is_loaded():
            raise permissions.RefusedError("报告周期正在启动，请稍后再试")
        return self._roster

    def _check_editable(self, actor: Actor) -> None:
        permissions.require_role(self._loaded(), actor, Role.OFFICER)
        # Instead of explaining a warning, the officer may fix the draft; it then goes back to drafting.
        permissions.require_stage(self._stage, Stage.DRAFTING, Stage.ACKNOWLEDGING)
        if self._ready_by is not None:
            raise permissions.RefusedError("报告已提请校验，请等待校验结果")

    def _editable_figures(self, request: SetCells) -> dict[str, str]:
        self._check_editable(request.actor)
        return permissions.parse_figures(self._format, request.values)

    def _editable_prose(self, request: SetProse) -> None:
        self._check_editable(request.actor)
        permissions.check_prose(request.section, request.text)

    def _editable_document(
        self, request: SubmitDocument
    ) -> tuple[ReportFormat, dict[str, str], dict[str, str]]:
        self._check_editable(request.actor)
        return permissions.document_figures(request.document, self._year)

    def _check_ready(self, actor: Actor) -> None:
        self._check_editable(actor)
        permissions.require_stage(self._stage, Stage.DRAFTING)

    def _check_acknowledge(self, request: Acknowledge) -> None:
        permissions.require_role(self._loaded(), request.actor, Role.OFFICER)
        permissions.require_stage(self._stage, Stage.ACKNOWLEDGING)
        finding = next(
            (f for f in self._findings if f.rule_id == request.rule_id and f.severity == "warning"), None
        )
        if finding is None:
            open_ids = "、".join(f.rule_id for f in self._findings if not f.acknowledged) or "无"
            raise permissions.RefusedError(f"没有编号为“{request.rule_id}”的待确认警告（待确认：{open_ids}）")
        if len(request.reason.strip()) < 2:
            raise permissions.RefusedError("请说明理由：确认警告必须填写理由")

    def _check_decision(self, request: Decision) -> None:
        roster = self._loaded()
        permissions.require_stage(self._stage, Stage.APPROVING)
        if self._rejected is not None or self._step >= len(self._chain):
            raise permissions.RefusedError("本轮审核已结束，请刷新后查看最新状态")
        step = self._chain[self._step]
        if (request.round, request.step) != (self._round, self._step):
            raise permissions.RefusedError(
                f"该审核环节已过期，当前环节为“{step.label}”（第{self._round}轮），请刷新后再操作"
            )
        member = roster.member(request.actor.person_id)
        if member is None or step.role not in member.roles:
            raise permissions.RefusedError(f"{request.actor.name}不是“{step.label}”环节的审核人，无权审核")
        if not request.approve and len(request.comment.strip()) < 2:
            raise permissions.RefusedError("退回修改必须填写意见")

    def _check_correction(self, request: CorrectionRequest) -> None:
        permissions.require_role(self._loaded(), request.actor, Role.OFFICER, Role.COORDINATOR)
        permissions.require_stage(self._stage, Stage.PUBLISHED)
        if self._correction is not None:
            raise permissions.RefusedError("已在办理更正，请勿重复提交")
        if len(request.reason.strip()) < 2:
            raise permissions.RefusedError("更正必须说明理由")

    def _check_remind(self, request: Remind) -> None:
        permissions.require_role(self._loaded(), request.actor, Role.COORDINATOR)
        if self._stage is Stage.PUBLISHED:
            raise permissions.RefusedError("报告已发布，无需提醒")

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
            self._edited_after_check = self._stage is Stage.ACKNOWLEDGING

    async def _move(self, stage: Stage, by: str, note: str) -> None:
        self._stage, self._stage_seq, self._stage_since = stage, self._stage_seq + 1, workflow.now()
        self._history.append(
            StageChange(stage, workflow.now().isoformat(), self._today().isoformat(), by, note)
        )
        await self._publish_stage()

    async def _publish_stage(self) -> None:
        workflow.upsert_search_attributes(
            [STAGE_KEY.value_set(self._stage.value), OVERDUE_KEY.value_set(self._overdue())]
        )
        current = self.status()
        row = StatusRow(
            self._agency,
            self._year,
            self._stage.value,
            current.percent_complete,
            current.deadline,
            current.overdue,
        )
        await self._act(DraftActivities.upsert_status, row)

    async def _set_overdue(self) -> None:
        await self._publish_stage()

    async def _ask_approver(self) -> None:
        if self._step < len(self._chain):
            step = self._chain[self._step]
            details = {"step": step.label, "round": str(self._round), "index": str(step.index)}
            await self._notify_roles(
                NoticeKind.APPROVAL_NEEDED, (step.role,), f"approve-{self._round}-{self._step}", details
            )

    def _holders(self) -> tuple[Role, ...]:
        if self._stage is Stage.APPROVING and self._step < len(self._chain):
            return (self._chain[self._step].role,)
        return (Role.OFFICER,)

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
        assert self._roster is not None
        recipients = tuple(dict.fromkeys(p for role in roles for p in self._roster.holders(role)))
        if not recipients:
            return 0
        dedup = f"{report_workflow_id(self._agency, self._year)}-r{self._revision}-{key}"
        base = {"agency": self._roster.name, "deadline": self._plan.deadline if self._plan else ""}
        if Role.OFFICER in roles and self._stage is Stage.DRAFTING:
            base["missing"] = self._missing_summary()
        notice = Notice(self._agency, self._year, kind, recipients, dedup, {**base, **details})
        await self._act(NotificationActivities.notify, notice)
        return len(recipients)

    def _apply_cells(self, changes: tuple[CellChange, ...]) -> None:
        for change in changes:
            if change.new:
                self._cells[change.key] = change.new
            else:
                self._cells.pop(change.key, None)

    def _edit_result(self, changes: tuple[CellChange, ...]) -> EditResult:
        current = self.status()
        return EditResult(
            changed={c.key: c.new for c in changes},
            filled=current.filled,
            total=current.total,
            missing=current.missing,
            revision=self._revision,
        )

    def _missing_summary(self) -> str:
        current = self.status()
        parts = [f"表格{len(current.missing)}项（共{current.total}项）"] if current.missing else []
        parts += [permissions.PROSE_LABELS[sid] for sid in current.missing_prose]
        return "、".join(parts)

    def _open_warnings(self) -> int:
        return sum(1 for f in self._findings if f.severity == "warning" and not f.acknowledged)

    def _today(self) -> date:
        if self._plan is None:
            return self._start_date
        elapsed = (workflow.now() - self._started_at).total_seconds()
        return self._start_date + timedelta(days=int(elapsed // self._plan.day_seconds))

    def _overdue(self) -> bool:
        if self._plan is None or self._stage is Stage.PUBLISHED:
            return False
        return self._today() > date.fromisoformat(self._plan.deadline)

    def _draft_key(self) -> DraftKey:
        return DraftKey(self._agency, self._year, self._revision)

    def _load(self, draft: DraftSnapshot) -> None:
        self._draft_loaded = True
        self._revision = draft.revision
        self._format = report_format(draft.format_id, legacy_other_row=draft.variant == "legacy_other")
        self._cells, self._prose = dict(draft.cells), dict(draft.prose)

    def _restore(self, carry: CycleCarry) -> None:
        self._stage, self._revision, self._round, self._step = (
            carry.stage,
            carry.revision,
            carry.approval_round,
            carry.step,
        )
        self._approvals, self._history = list(carry.approvals), list(carry.history)
        self._findings, self._publications = list(carry.findings), list(carry.publications)
        self._published_departments, self._rolled_up = set(carry.published_departments), carry.rolled_up
        self._reminders_sent, self._escalated = carry.reminders_sent, set(carry.escalated)
        self._started_at = datetime.fromisoformat(carry.started_at)
        self._stage_since = datetime.fromisoformat(carry.stage_since)

    def _carry(self) -> CycleCarry:
        return CycleCarry(
            stage=self._stage,
            revision=self._revision,
            approval_round=self._round,
            step=self._step,
            approvals=tuple(self._approvals),
            history=tuple(self._history),
            findings=tuple(self._findings),
            publications=tuple(self._publications),
            published_departments=tuple(sorted(self._published_departments)),
            rolled_up=self._rolled_up,
            reminders_sent=self._reminders_sent,
            started_at=self._started_at.isoformat(),
            stage_since=self._stage_since.isoformat(),
            escalated=tuple(sorted(self._escalated)),
        )
