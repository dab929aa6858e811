"""Arguments and results of the cycle's activities: small frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.cycle import Actor, Decision, DraftProgress, FindingInfo
from contracts.vocabulary import NoticeKind, ReminderKind, Role, Stage


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
    """Open (or re-open after a crash) the draft of ``agency_code``/``year``."""

    agency_code: str
    year: int
    agency_name: str


@dataclass(frozen=True)
class DraftSnapshot:
    """Cycles started before the draft lived only in storage tracked its cells; they still replay with it."""

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
    """Changes already parsed by the workflow (cycles started before ``DraftEdit``), with their audit rows."""

    draft: DraftKey
    actor: Actor
    changes: tuple[CellChange, ...]
    document: dict[str, Any] | None = None
    note: str = ""


@dataclass(frozen=True)
class DraftEdit:
    """One person's edit as sent, for the activity to parse, check, store and audit (all or nothing).

    Exactly one of: ``figures`` (cell key → typed text), ``section`` with ``text``, ``document``.
    """

    draft: DraftKey
    actor: Actor
    figures: dict[str, str] | None = None
    section: str | None = None
    text: str = ""
    document: dict[str, Any] | None = None
    source: str = ""
    # A document of another agency or year is refused unless taken as a template: then only its figures.
    as_template: bool = False


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
class DecisionRecord:
    """A ``Decision`` to store for ``draft``, with the label of the step it decided."""

    draft: DraftKey
    decision: Decision
    step_label: str


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
    stage: Stage
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
    """The departments that have published; ``applied`` the cells filled (None: nothing applied yet).

    ``progress`` is the draft's summary after applying (None from cycles that tracked cells themselves).
    """

    published: tuple[str, ...]
    applied: tuple[CellChange, ...] | None
    progress: DraftProgress | None = None


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
