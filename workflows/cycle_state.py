"""What a report cycle knows, and the pure answers derived from it (status, draft, carry-over).

Everything here is deterministic: the workflow passes in ``workflow.now()`` where time matters, so the
module is safe to import into the workflow sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from contracts import (
    ROLE_LABELS,
    Actor,
    AgencyRoster,
    ApprovalStep,
    CellChange,
    CorrectionRequest,
    CycleCarry,
    CycleStatus,
    DeadlinePlan,
    Decision,
    DraftKey,
    DraftProgress,
    FindingInfo,
    Notice,
    NoticeKind,
    PublicationInfo,
    ReportFormatRef,
    Role,
    Severity,
    Stage,
    StageChange,
    report_workflow_id,
)
from domain.formats import OFFICIAL_HEADINGS
from workflows.cycle_legacy import LegacyDraft

# Before the draft has been opened (the first moments of a cycle) the status counts nothing.
NOT_OPENED = DraftProgress(1, ReportFormatRef("2021"), 0, 0, (), ())


@dataclass
class CycleState:
    """The cycle's state: what the conductor, the handlers and the continue-as-new carry share."""

    agency: str = ""
    year: int = 0
    history_limit: int = 0
    start_date: date = date(2000, 1, 1)
    started_at: datetime = datetime.min
    stage_since: datetime = datetime.min
    stage: Stage = Stage.DRAFTING
    stage_seq: int = 0
    revision: int = 1
    approval_round: int = 1
    step: int = 0
    approvals: list[Decision] = field(default_factory=list)
    history: list[StageChange] = field(default_factory=list)
    findings: list[FindingInfo] = field(default_factory=list)
    publications: list[PublicationInfo] = field(default_factory=list)
    published_departments: set[str] = field(default_factory=set)
    rolled_up: bool = False
    reminders_sent: int = 0
    escalated: set[str] = field(default_factory=set)
    # Cycles since DRAFT_IN_STORAGE keep only this summary; the draft itself is the stored document.
    progress: DraftProgress | None = None
    # Cycles started before it tracked the cells themselves (they replay with it).
    legacy: LegacyDraft | None = None
    # Set at the start of each run from workflow.patched(DRAFT_IN_STORAGE).
    stored: bool = False
    published_document: dict[str, Any] | None = None
    ready_by: Actor | None = None
    edited_after_check: bool = False
    validations: int = 0
    rejected: Decision | None = None
    correction: CorrectionRequest | None = None
    roster: AgencyRoster | None = None
    plan: DeadlinePlan | None = None
    chain: tuple[ApprovalStep, ...] = ()

    def is_loaded(self) -> bool:
        return (
            self.roster is not None
            and self.plan is not None
            and (self.progress is not None or self.legacy is not None)
        )

    def current_step(self) -> ApprovalStep | None:
        if self.stage is Stage.APPROVING and self.step < len(self.chain):
            return self.chain[self.step]
        return None

    def holders(self) -> tuple[Role, ...]:
        if self.stage is Stage.APPROVING and self.step < len(self.chain):
            return (self.chain[self.step].role,)
        return (Role.OFFICER,)

    def open_warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.WARNING and not f.acknowledged)

    def draft_key(self) -> DraftKey:
        return DraftKey(self.agency, self.year, self.revision)

    def today(self, now: datetime) -> date:
        """The cycle's calendar day: plan days may be shorter than real ones (demo and tests)."""
        if self.plan is None:
            return self.start_date
        elapsed = (now - self.started_at).total_seconds()
        return self.start_date + timedelta(days=int(elapsed // self.plan.day_seconds))

    def overdue(self, now: datetime) -> bool:
        if self.plan is None or self.stage is Stage.PUBLISHED:
            return False
        return self.today(now) > date.fromisoformat(self.plan.deadline)

    def current_progress(self) -> DraftProgress:
        if self.legacy is not None:
            return self.legacy.progress(self.revision)
        return self.progress or NOT_OPENED

    def take_progress(self, progress: DraftProgress) -> None:
        self.progress, self.revision = progress, progress.revision

    def apply_cells(self, changes: tuple[CellChange, ...]) -> None:
        """Cells filled by the roll-up, for cycles that track them (the others take the roll-up's progress)."""
        if self.legacy is not None:
            self.legacy.apply(changes)

    def take_findings(self, findings: tuple[FindingInfo, ...], *, per_warning: bool = True) -> None:
        """A new check's findings; a warning explained before stays explained (the same warning, by key,
        or before ``per_warning``: any warning of a rule one of whose warnings was explained)."""
        if per_warning:
            explained = {f.key for f in self.findings if f.acknowledged}
            self.findings = [replace(f, acknowledged=f.key in explained) for f in findings]
            return
        acknowledged = {f.rule_id for f in self.findings if f.acknowledged}
        self.findings = [replace(f, acknowledged=f.rule_id in acknowledged) for f in findings]

    def acknowledge(self, finding: FindingInfo, *, per_warning: bool = True) -> None:
        """Mark the finding explained (before ``per_warning``: every finding of its rule)."""
        self.findings = [
            replace(f, acknowledged=True)
            if (f.key == finding.key if per_warning else f.rule_id == finding.rule_id)
            else f
            for f in self.findings
        ]

    def notice(
        self, kind: NoticeKind, roles: tuple[Role, ...], key: str, details: dict[str, str], now: datetime
    ) -> Notice | None:
        """The notice to the holders of ``roles``, or None when nobody holds them."""
        assert self.roster is not None
        recipients = tuple(dict.fromkeys(p for role in roles for p in self.roster.holders(role)))
        if not recipients:
            return None
        dedup = f"{report_workflow_id(self.agency, self.year)}-r{self.revision}-{key}"
        base = {"agency": self.roster.name, "deadline": self.plan.deadline if self.plan else ""}
        if Role.OFFICER in roles and self.stage is Stage.DRAFTING:
            base["missing"] = self.missing_summary(now)
        if kind is NoticeKind.ESCALATION:
            base.update(self.holding(now))
        return Notice(self.agency, self.year, kind, recipients, dedup, {**base, **details})

    def holding(self, now: datetime) -> dict[str, str]:
        """Who holds the report now and how late it is: what a coordinator needs to chase it."""
        assert self.roster is not None
        held_by = self.holders()
        people = {p for role in held_by for p in self.roster.holders(role)}
        names = [m.name for m in self.roster.members if m.person_id in people]
        role = "或".join(ROLE_LABELS[r] for r in held_by)
        late = (self.today(now) - date.fromisoformat(self.plan.deadline)).days if self.plan else 0
        return {
            "stage": self.stage.label,
            "holder": f"{role}{'、'.join(names)}" if names else f"{role}（未指派）",
            "days_late": str(max(late, 0)),
        }

    def status(self, now: datetime) -> CycleStatus:
        today = self.today(now)
        deadline = date.fromisoformat(self.plan.deadline) if self.plan else today
        progress = self.current_progress()
        departments = self.roster.department_codes if self.roster else ()
        return CycleStatus(
            agency_code=self.agency,
            agency_name=self.roster.name if self.roster else self.agency,
            year=self.year,
            stage=self.stage,
            stage_label=self.stage.label,
            revision=self.revision,
            format=progress.format,
            filled=progress.filled,
            total=progress.total,
            missing=progress.missing,
            missing_prose=progress.missing_prose,
            findings=tuple(self.findings),
            approval_round=self.approval_round,
            current_step=self.current_step(),
            approvals=tuple(self.approvals),
            deadline=self.plan.deadline if self.plan else "",
            today=today.isoformat(),
            days_left=(deadline - today).days,
            overdue=self.overdue(now),
            history=tuple(self.history),
            publications=tuple(self.publications),
            waiting_for_departments=tuple(c for c in departments if c not in self.published_departments),
        )

    def draft_document(self) -> dict[str, Any] | None:
        """The ``draft`` query: the last published document (cycles tracking cells: their draft)."""
        if self.legacy is not None:
            return self.legacy.document(self.roster.name if self.roster else self.agency, self.year)
        return self.published_document

    def missing_summary(self, now: datetime) -> str:
        current = self.status(now)
        parts = [f"表格{len(current.missing)}项（共{current.total}项）"] if current.missing else []
        parts += [OFFICIAL_HEADINGS[sid] for sid in current.missing_prose]
        return "、".join(parts)

    def restore(self, carry: CycleCarry) -> None:
        self.stage, self.revision, self.approval_round, self.step = (
            carry.stage,
            carry.revision,
            carry.approval_round,
            carry.step,
        )
        self.approvals, self.history = list(carry.approvals), list(carry.history)
        self.findings, self.publications = list(carry.findings), list(carry.publications)
        self.published_departments, self.rolled_up = set(carry.published_departments), carry.rolled_up
        self.reminders_sent, self.escalated = carry.reminders_sent, set(carry.escalated)
        self.started_at, self.stage_since = carry.started_at, carry.stage_since
        self.published_document = carry.published_document

    def carry(self) -> CycleCarry:
        return CycleCarry(
            stage=self.stage,
            revision=self.revision,
            approval_round=self.approval_round,
            step=self.step,
            approvals=tuple(self.approvals),
            history=tuple(self.history),
            findings=tuple(self.findings),
            publications=tuple(self.publications),
            published_departments=tuple(sorted(self.published_departments)),
            rolled_up=self.rolled_up,
            reminders_sent=self.reminders_sent,
            started_at=self.started_at,
            stage_since=self.stage_since,
            escalated=tuple(sorted(self.escalated)),
            published_document=self.published_document,
        )
