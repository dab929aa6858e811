"""One agency's report for one year, from the first draft to publication (and corrections after it)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeKey
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.directory import DirectoryActivities
    from activities.drafts import DraftActivities
    from activities.editing import EditingActivities
    from activities.planning import PlanningActivities
    from activities.publishing import PublishingActivities
    from contracts.activities import (
        AcknowledgementRecord,
        CellChange,
        DecisionRecord,
        DraftEdit,
        EditRecord,
        OpenDraft,
        PlanRequest,
        PublishRequest,
        ReopenRequest,
    )
    from contracts.cycle import (
        Acknowledge,
        CorrectionRequest,
        CycleInput,
        CycleStatus,
        Decision,
        DeclareReady,
        DepartmentPublished,
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
        SEARCH_ATTRIBUTE_AGENCY,
        SEARCH_ATTRIBUTE_YEAR,
        SIGNAL_DEPARTMENT_PUBLISHED,
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
    from contracts.vocabulary import NoticeKind, Role, Severity, Stage
    from workflows import cycle_checks, permissions
    from workflows.cycle_legacy import DRAFT_IN_STORAGE, LegacyDraft
    from workflows.cycle_steps import OVERDUE_KEY, SYSTEM
    from workflows.cycle_watch import CycleWatch

AGENCY_KEY = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_AGENCY)
YEAR_KEY = SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_YEAR)
# One acknowledgement explains one warning (by FindingInfo.key); before it, one explained a whole rule.
PATCH_PER_WARNING = "per-warning-acknowledgement"
# A decision's answer waits for the stage it leads to (before: the answer showed 审核中 after a rejection).
PATCH_STAGE_AFTER_DECISION = "stage-after-decision"


@workflow.defn(name="ReportCycle")
class ReportCycleWorkflow(CycleWatch):
    """The report of one agency for one year (id ``report-{agency}-{year}``).

    Updates (validated before they touch history; see ``contracts.cycle``): ``set_cells``,
    ``set_prose``, ``submit_document``, ``declare_ready``, ``acknowledge``, ``decide``,
    ``request_correction``, ``remind``, ``read_draft``. Queries: ``status``, ``draft``. Signal:
    ``department_published`` (a government's cycle hears from its departments' cycles and offers their
    roll-up). The draft is the stored document: edits go to the ``apply_edit`` activity, which parses,
    checks and stores them and answers with the ``DraftProgress`` the cycle keeps.
    """

    # ---- the conductor ---------------------------------------------------------------------------

    @workflow.run
    async def run(self, request: CycleInput) -> CycleStatus:
        self._state.agency, self._state.year = request.agency_code, request.year
        self._state.history_limit = request.history_limit
        self._state.start_date = date.fromisoformat(request.start_date)
        self._state.started_at = self._state.stage_since = workflow.now()
        if request.carry is not None:
            self._state.restore(request.carry)
        self._state.stored = stored = workflow.patched(DRAFT_IN_STORAGE)
        self._state.roster = await self._act(DirectoryActivities.load_roster, self._state.agency, short=True)
        self._state.chain = permissions.approval_chain(self._state.roster)
        self._state.plan = await self._act(
            PlanningActivities.plan_deadlines,
            PlanRequest(self._state.roster.kind, self._state.year, request.start_date),
            short=True,
        )
        opening = OpenDraft(self._state.agency, self._state.year, self._state.roster.name)
        if stored:
            self._state.take_progress(await self._act(EditingActivities.open_report, opening, short=True))
        else:
            snapshot = await self._act(DraftActivities.open_draft, opening)
            self._state.revision, self._state.legacy = snapshot.revision, LegacyDraft.of(snapshot)
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
        watch = self._watch_stuck() if stored else self._watch_stuck_restarting()
        background = [asyncio.create_task(self._remind_on_plan()), asyncio.create_task(watch)]
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
        errors = [f for f in self._state.findings if f.severity == Severity.ERROR]
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
            await self._move(Stage.DRAFTING, rejection.actor.name, f"退回修改：{rejection.comment}")
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
        if self._state.legacy is None:
            self._state.published_document = await self._read_document()
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
        reopen = ReopenRequest(self._state.draft_key(), request.actor, request.reason)
        if self._state.legacy is None:
            self._state.take_progress(await self._act(EditingActivities.reopen_report, reopen))
        else:
            snapshot = await self._act(DraftActivities.reopen, reopen)
            self._state.revision, self._state.legacy = snapshot.revision, LegacyDraft.of(snapshot)
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

    # ---- updates, their validators, the query, the signal -----------------------------------------

    @workflow.update(name=UPDATE_SET_CELLS)
    async def set_cells(self, request: SetCells) -> EditResult:
        await workflow.wait_condition(self._state.is_loaded)
        async with self._lock:
            self._check(lambda: cycle_checks.check_editable(self._state, request.actor))
            legacy = self._state.legacy
            if legacy is None:
                return await self._edit(
                    DraftEdit(self._state.draft_key(), request.actor, figures=request.values)
                )
            parsed = self._check(lambda: legacy.parse_figures(request.values))
            return await self._record(
                EditRecord(self._state.draft_key(), request.actor, legacy.figure_changes(parsed))
            )

    @set_cells.validator
    def _validate_set_cells(self, request: SetCells) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_editable(self._state, request.actor))

    @workflow.update(name=UPDATE_SET_PROSE)
    async def set_prose(self, request: SetProse) -> EditResult:
        await workflow.wait_condition(self._state.is_loaded)
        async with self._lock:
            self._check(lambda: cycle_checks.check_editable(self._state, request.actor))
            legacy = self._state.legacy
            if legacy is None:
                edit = DraftEdit(
                    self._state.draft_key(), request.actor, section=request.section, text=request.text
                )
                return await self._edit(edit)
            self._check(lambda: legacy.check_prose(request.section, request.text))
            old = legacy.prose.get(request.section, "")
            changes = (CellChange(request.section, old, request.text),) if old != request.text else ()
            return await self._record(EditRecord(self._state.draft_key(), request.actor, changes))

    @set_prose.validator
    def _validate_set_prose(self, request: SetProse) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_editable(self._state, request.actor))

    @workflow.update(name=UPDATE_SUBMIT_DOCUMENT)
    async def submit_document(self, request: SubmitDocument) -> EditResult:
        await workflow.wait_condition(self._state.is_loaded)
        async with self._lock:
            self._check(lambda: cycle_checks.check_editable(self._state, request.actor))
            legacy = self._state.legacy
            key = self._state.draft_key()
            if legacy is None:
                # The activity refuses a report of another agency or year unless it is taken as a template.
                return await self._edit(
                    DraftEdit(
                        key,
                        request.actor,
                        document=request.document,
                        source=request.source,
                        as_template=request.as_template,
                    )
                )
            fmt, cells, prose = self._check(lambda: legacy.read_document(request.document, self._state.year))
            changes = legacy.document_changes(fmt, cells, prose)
            note = f"导入文件：{request.source}" if request.source else "导入报告"
            result = await self._record(EditRecord(key, request.actor, changes, request.document, note))
            legacy.fmt, legacy.cells, legacy.prose = fmt, dict(cells), dict(prose)
            return EditResult(result.changed, legacy.progress(self._state.revision))

    @submit_document.validator
    def _validate_submit_document(self, request: SubmitDocument) -> None:
        self._check_when_loaded(lambda: cycle_checks.check_editable(self._state, request.actor))

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
            short=True,
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
        decision = dataclasses.replace(request, comment=request.comment.strip(), at=workflow.now())
        await self._act(
            DraftActivities.record_decision,
            DecisionRecord(self._state.draft_key(), decision, step.label),
            short=True,
        )
        self._state.approvals.append(decision)
        seq = self._state.stage_seq
        if request.approve:
            self._state.step += 1
        else:
            self._state.rejected = decision
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

    @workflow.update(name=UPDATE_READ_DRAFT)
    async def read_draft(self) -> dict[str, Any]:
        """The stored draft document (``domain.document.to_document`` JSON): what approvers see."""
        await workflow.wait_condition(self._state.is_loaded)
        if self._state.legacy is not None:
            return self._state.legacy.document(
                self._state.roster.name if self._state.roster else "", self._state.year
            )
        return await self._read_document()

    @workflow.query(name=QUERY_DRAFT)
    def draft(self) -> dict[str, Any] | None:
        """The document of the last publication (None before it), even after the cycle has closed."""
        return self._state.draft_document()

    @workflow.signal(name=SIGNAL_DEPARTMENT_PUBLISHED)
    def department_published(self, notice: DepartmentPublished) -> None:
        self._state.published_departments.add(notice.agency_code)
