"""Arguments and results of the cycle's activities: small frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from workflows.contracts import Actor, FindingInfo, Role


@dataclass(frozen=True)
class RosterMember:
    person_id: int
    name: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class AgencyRoster:
    """An agency as the workflow needs it: who may do what, and (for a government) its departments."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    members: tuple[RosterMember, ...]
    department_codes: tuple[str, ...] = ()

    def holders(self, role: Role) -> tuple[int, ...]:
        return tuple(m.person_id for m in self.members if role in m.roles)

    def member(self, person_id: int) -> RosterMember | None:
        return next((m for m in self.members if m.person_id == person_id), None)

    @property
    def is_government(self) -> bool:
        return self.kind == "government"


@dataclass(frozen=True)
class DraftKey:
    agency_code: str
    year: int
    revision: int


@dataclass(frozen=True)
class OpenDraft:
    """Open (or re-open after a crash) the draft of ``agency_code``/``year``; ``revision`` 0 = latest."""

    agency_code: str
    year: int
    agency_name: str


@dataclass(frozen=True)
class DraftSnapshot:
    """The draft as the workflow tracks it: filled cells as canonical text, prose by section id."""

    revision: int
    format_id: str
    variant: str
    cells: dict[str, str]
    prose: dict[str, str]
    prefilled: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellChange:
    """One accepted change: a cell key or a prose section id, with old and new text ("" = blank)."""

    key: str
    old: str
    new: str


@dataclass(frozen=True)
class EditRecord:
    """Changes to persist with their audit rows before the update that made them returns."""

    draft: DraftKey
    actor: Actor
    changes: tuple[CellChange, ...]
    document: dict[str, Any] | None = None
    note: str = ""


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[FindingInfo, ...]


@dataclass(frozen=True)
class AcknowledgementRecord:
    draft: DraftKey
    actor: Actor
    rule_id: str  # the warning's FindingInfo.key (a bare rule id in cycles started before it)
    reason: str


@dataclass(frozen=True)
class ApprovalDecisionRecord:
    draft: DraftKey
    actor: Actor
    step: int
    step_label: str
    approve: bool
    comment: str


@dataclass(frozen=True)
class ReopenRequest:
    """A correction: copy the published revision into ``draft.revision`` + 1."""

    draft: DraftKey
    actor: Actor
    reason: str


@dataclass(frozen=True)
class PlanRequest:
    agency_kind: str
    year: int
    start_date: str


class ReminderKind(StrEnum):
    KICKOFF = "kickoff"
    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATE = "escalate"


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder at ``offset_seconds`` of real time after the cycle started, for simulated ``date``."""

    offset_seconds: float
    date: str
    kind: ReminderKind
    days_before: int = 0


@dataclass(frozen=True)
class DeadlinePlan:
    deadline: str
    day_seconds: float
    stuck_after_days: int
    close_after_days: int
    reminders: tuple[PlannedReminder, ...]


class NoticeKind(StrEnum):
    MISSING = "missing"
    REMINDER = "reminder"
    FINDINGS = "findings"
    WARNINGS = "warnings"
    APPROVAL_NEEDED = "approval_needed"
    REJECTED = "rejected"
    PUBLISHED = "published"
    ESCALATION = "escalation"
    ROLLUP = "rollup"
    CORRECTION = "correction"


@dataclass(frozen=True)
class Notice:
    """One message for some people; ``dedup_key`` makes a retried activity send nothing twice."""

    agency_code: str
    year: int
    kind: NoticeKind
    recipients: tuple[int, ...]
    dedup_key: str
    details: dict[str, str]


@dataclass(frozen=True)
class PublishRequest:
    draft: DraftKey
    agency_name: str


@dataclass(frozen=True)
class StatusRow:
    """The dashboard row of one cycle (storage's cycle_status)."""

    agency_code: str
    year: int
    stage: str
    percent_complete: int
    deadline: str
    overdue: bool


@dataclass(frozen=True)
class RollUpRequest:
    """``apply``: fill the government's draft now (it is being drafted) if every department published."""

    draft: DraftKey
    department_codes: tuple[str, ...]
    apply: bool


@dataclass(frozen=True)
class RollUpResult:
    """The departments that have published; ``applied`` the cells filled (None: nothing applied yet)."""

    published: tuple[str, ...]
    applied: tuple[CellChange, ...] | None


@dataclass(frozen=True)
class AgencyBatchRequest:
    agency_codes: tuple[str, ...] | None
    after_code: str
    limit: int


@dataclass(frozen=True)
class StartCyclesRequest:
    agency_codes: tuple[str, ...]
    year: int
    start_date: str


@dataclass(frozen=True)
class StartCyclesResult:
    started: int
    already_running: int
