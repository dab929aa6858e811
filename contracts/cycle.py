"""What people send to a report cycle and what it answers.

One workflow per agency and report year, id ``report-{agency}-{year}`` (``contracts.names``):

=====================  ==========  =====================  =========================================
name                   kind        payload                answer
=====================  ==========  =====================  =========================================
``set_cells``          update      ``SetCells``           ``EditResult`` (officer, stage 起草中)
``set_prose``          update      ``SetProse``           ``EditResult`` (officer, stage 起草中)
``submit_document``    update      ``SubmitDocument``     ``EditResult`` (officer, stage 起草中)
``declare_ready``      update      ``DeclareReady``       ``ReadyResult`` once validation has run
``acknowledge``        update      ``Acknowledge``        ``CycleStatus`` (officer, stage 待确认警告)
``decide``             update      ``Decision``           ``CycleStatus`` (the approver of that step)
``request_correction`` update      ``CorrectionRequest``  ``CycleStatus`` (officer/coordinator, 已发布)
``remind``             update      ``Remind``             ``int`` people reminded (coordinator)
``read_draft``         update      none                   the stored draft document (``to_document`` JSON)
``status``             query       none                   ``CycleStatus``
``draft``              query       none                   the last published document, or None
``department_published`` signal   ``DepartmentPublished`` (from a department's cycle to its government's)
=====================  ==========  =====================  =========================================

Validators refuse what the sender may not do at this stage before anything reaches history; a figure or
document is parsed and checked once, by the activity that stores it, and a bad one fails the update
with the Chinese reason (``ApplicationError`` of type ``Refused``; ``CycleClient`` raises ``Refused``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracts.vocabulary import Channel, ReportFormatRef, Role, Severity, Stage


@dataclass(frozen=True)
class Actor:
    """Who is acting; the workflow checks ``person_id`` against the agency roster it loaded."""

    person_id: int
    name: str
    channel: Channel


# ---- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleInput:
    """Start of one agency's cycle. ``start_date`` is the simulated date of the kickoff (ISO).

    ``history_limit``: events after which the cycle continues as new (far below Temporal's limits);
    ``carry`` is what a continued cycle brings along. Callers starting a cycle leave both alone.
    """

    agency_code: str
    year: int
    start_date: str
    carry: CycleCarry | None = None
    history_limit: int = 4000


@dataclass(frozen=True)
class KickoffInput:
    """A kickoff for ``year`` (None: the year before the scheduled start time, Asia/Shanghai).

    ``agency_codes`` limits it to some agencies (None: every active agency). ``start_date`` is the
    simulated date the cycles start on (None: the day of the scheduled or actual start).
    ``after_code`` and ``started`` carry progress across continue-as-new.
    """

    year: int | None = None
    agency_codes: tuple[str, ...] | None = None
    start_date: str | None = None
    after_code: str = ""
    started: int = 0
    already_running: int = 0
    batch_size: int = 200


@dataclass(frozen=True)
class KickoffResult:
    year: int
    started: int
    already_running: int


# ---- updates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetCells:
    """Figures as typed, cell key → text (``１２``, ``减3``, ``25770元``); all or nothing."""

    actor: Actor
    values: dict[str, str]


@dataclass(frozen=True)
class SetProse:
    """The text of a prose section: ``s1`` 总体情况, ``s5`` 问题及改进, ``s6`` 其他事项."""

    actor: Actor
    section: str
    text: str


@dataclass(frozen=True)
class SubmitDocument:
    """A whole report document (``domain.document.to_document`` JSON), e.g. from an imported file.

    It replaces every cell and prose section of the draft; ``source`` names the file for the audit. A
    report of another agency or year is refused, unless ``as_template``: then only its figures are taken
    into the draft (its prose, agency and year are not) and the audit says so.
    """

    actor: Actor
    document: dict[str, Any]
    source: str = ""
    as_template: bool = False


@dataclass(frozen=True)
class DeclareReady:
    actor: Actor


@dataclass(frozen=True)
class Acknowledge:
    """One warning acknowledged with its reason, recorded with the person.

    ``rule_id`` names the warning by its ``FindingInfo.key`` (``structure.heading:s1``); a bare rule id
    is accepted when that rule has exactly one open warning. A reason explains one warning only.
    """

    actor: Actor
    rule_id: str
    reason: str


@dataclass(frozen=True)
class Decision:
    """An approver's decision on one step (``round`` and ``step`` from ``CycleStatus``): the one shape.

    Sent as the ``decide`` update (``at`` left None), recorded by the cycle with ``at`` set, listed in
    ``CycleStatus.approvals``. A decision for a step that is no longer current (stale screen,
    re-delivered message) is refused; a rejection needs a comment.
    """

    actor: Actor
    round: int
    step: int
    approve: bool
    comment: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class CorrectionRequest:
    """更正 after publication: reopens the cycle as a new revision; the reason is recorded."""

    actor: Actor
    reason: str


@dataclass(frozen=True)
class Remind:
    """A coordinator asks for a reminder now to whoever holds the report."""

    actor: Actor


@dataclass(frozen=True)
class DepartmentPublished:
    agency_code: str
    revision: int


# ---- answers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingInfo:
    """One rule finding; ``message`` is Chinese."""

    rule_id: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = ()
    acknowledged: bool = False
    # The rule instance (a column, a section, a cell key), "" for a rule checked once.
    subject: str = ""

    @property
    def key(self) -> str:
        """Names this finding among the draft's findings; one acknowledgement explains one key."""
        return f"{self.rule_id}:{self.subject}" if self.subject else self.rule_id


@dataclass(frozen=True)
class DraftProgress:
    """The compact summary of the stored draft that the cycle keeps (activities compute it).

    ``missing``: blank table cells in format order; ``missing_prose``: blank prose sections.
    """

    revision: int
    format: ReportFormatRef
    filled: int
    total: int
    missing: tuple[str, ...]
    missing_prose: tuple[str, ...]


@dataclass(frozen=True)
class EditResult:
    """What an accepted edit changed (cell key or section → new text) and the draft's progress after it."""

    changed: dict[str, str]
    progress: DraftProgress

    @property
    def filled(self) -> int:
        return self.progress.filled

    @property
    def total(self) -> int:
        return self.progress.total

    @property
    def missing(self) -> tuple[str, ...]:
        return self.progress.missing

    @property
    def revision(self) -> int:
        return self.progress.revision

    @property
    def format(self) -> ReportFormatRef:
        return self.progress.format


@dataclass(frozen=True)
class ReadyResult:
    """Outcome of declaring ready: the stage it moved to and the findings of the validation."""

    stage: Stage
    findings: tuple[FindingInfo, ...]


@dataclass(frozen=True)
class ApprovalStep:
    """One step of the approval chain, e.g. 分管领导审核 by the reviewers."""

    index: int
    role: Role
    label: str


@dataclass(frozen=True)
class StageChange:
    """One move in the stage history: real UTC time, the simulated date (ISO), who caused it and why."""

    stage: Stage
    at: datetime
    date: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class PublicationInfo:
    """Where and when a revision was published; ``files`` are the file names at ``location``."""

    revision: int
    location: str
    files: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class CycleStatus:
    """The answer of the ``status`` query (and of most updates). Dates of the cycle's calendar are ISO."""

    agency_code: str
    agency_name: str
    year: int
    stage: Stage
    stage_label: str
    revision: int
    format: ReportFormatRef
    filled: int
    total: int
    missing: tuple[str, ...]
    missing_prose: tuple[str, ...]
    findings: tuple[FindingInfo, ...]
    approval_round: int
    current_step: ApprovalStep | None
    approvals: tuple[Decision, ...]
    deadline: str
    today: str
    days_left: int
    overdue: bool
    history: tuple[StageChange, ...]
    publications: tuple[PublicationInfo, ...]
    waiting_for_departments: tuple[str, ...] = ()

    @property
    def format_id(self) -> str:
        return self.format.format_id

    @property
    def legacy_other_row(self) -> bool:
        return self.format.legacy_other_row

    @property
    def percent_complete(self) -> int:
        return 100 * self.filled // self.total if self.total else 0


# ---- carried across continue-as-new ----------------------------------------------------------------


@dataclass(frozen=True)
class CycleCarry:
    """The state a cycle keeps when it continues as new; the draft itself lives in the database."""

    stage: Stage
    revision: int
    approval_round: int
    step: int
    approvals: tuple[Decision, ...]
    history: tuple[StageChange, ...]
    findings: tuple[FindingInfo, ...]
    publications: tuple[PublicationInfo, ...]
    published_departments: tuple[str, ...]
    rolled_up: bool
    reminders_sent: int
    started_at: datetime
    stage_since: datetime
    escalated: tuple[str, ...] = field(default_factory=tuple)
    published_document: dict[str, Any] | None = None
