"""The contract between the yearly report cycle on Temporal and everyone who talks to it.

The CLI, the chat bot and the web process import only this module (never ``storage``) to start, drive
and observe cycles. Everything here is a plain value: frozen dataclasses of ids, enums, strings and ISO
dates, so that payloads stay small and readable in the Temporal UI and never carry ORM objects.

One workflow per agency and report year, id ``report-{agency}-{year}`` (see ``report_workflow_id``):

=====================  ==========  ==================  ===========================================
name                   kind        payload             answer
=====================  ==========  ==================  ===========================================
``set_cells``          update      ``SetCells``        ``EditResult`` (officer, stage 起草中)
``set_prose``          update      ``SetProse``        ``EditResult`` (officer, stage 起草中)
``submit_document``    update      ``SubmitDocument``  ``EditResult`` (officer, stage 起草中)
``declare_ready``      update      ``DeclareReady``    ``ReadyResult`` once validation has run
``acknowledge``        update      ``Acknowledge``     ``CycleStatus`` (officer, stage 待确认警告)
``decide``             update      ``Decision``        ``CycleStatus`` (the approver of that step)
``request_correction`` update      ``CorrectionRequest`` ``CycleStatus`` (officer/coordinator, 已发布)
``remind``             update      ``Remind``          ``int`` people reminded (coordinator)
``status``             query       none                ``CycleStatus``
``draft``              query       none                the draft as a report document (``to_document``)
``department_published`` signal   ``DepartmentPublished`` (from a department's workflow to its government's)
=====================  ==========  ==================  ===========================================

Updates are checked by validators before anything is written to history: a refused update raises an
error whose message is a complete Chinese sentence (the reason to show the user) and changes nothing.
Accepted figures are persisted with an audit row before the update returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from domain.roles import ROLE_LABELS as ROLE_LABELS
from domain.roles import Channel as Channel
from domain.roles import Role as Role

TASK_QUEUE = "nianbao"  # the default of Settings.task_queue
KICKOFF_SCHEDULE_ID = "nianbao-kickoff"

UPDATE_SET_CELLS = "set_cells"
UPDATE_SET_PROSE = "set_prose"
UPDATE_SUBMIT_DOCUMENT = "submit_document"
UPDATE_DECLARE_READY = "declare_ready"
UPDATE_ACKNOWLEDGE = "acknowledge"
UPDATE_DECIDE = "decide"
UPDATE_REQUEST_CORRECTION = "request_correction"
UPDATE_REMIND = "remind"
QUERY_STATUS = "status"
# The draft as the cycle holds it now; last year's published figures come from last year's cycle this way.
QUERY_DRAFT = "draft"
SIGNAL_DEPARTMENT_PUBLISHED = "department_published"

# Custom search attributes, registered on the namespace by `nianbao up` and the test fixtures.
SEARCH_ATTRIBUTE_STAGE = "NianbaoStage"  # Keyword: Stage value, e.g. "drafting"
SEARCH_ATTRIBUTE_AGENCY = "NianbaoAgency"  # Keyword: agency code
SEARCH_ATTRIBUTE_YEAR = "NianbaoYear"  # Int: report year
SEARCH_ATTRIBUTE_OVERDUE = "NianbaoOverdue"  # Bool
SEARCH_ATTRIBUTE_TYPES: dict[str, str] = {
    SEARCH_ATTRIBUTE_STAGE: "Keyword",
    SEARCH_ATTRIBUTE_AGENCY: "Keyword",
    SEARCH_ATTRIBUTE_YEAR: "Int",
    SEARCH_ATTRIBUTE_OVERDUE: "Bool",
}


def report_workflow_id(agency_code: str, year: int) -> str:
    """The business key of one agency's cycle: a repeated kickoff never starts a second one."""
    return f"report-{agency_code}-{year}"


def kickoff_workflow_id(year: int) -> str:
    """The id of a manual kickoff for one year (scheduled runs get the schedule's id plus a timestamp)."""
    return f"kickoff-{year}"


class Stage(StrEnum):
    """Where a cycle stands; ``label`` is what officers read."""

    DRAFTING = "drafting"
    VALIDATING = "validating"
    ACKNOWLEDGING = "acknowledging"
    APPROVING = "approving"
    PUBLISHING = "publishing"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.DRAFTING: "起草中",
    Stage.VALIDATING: "校验中",
    Stage.ACKNOWLEDGING: "待确认警告",
    Stage.APPROVING: "审核中",
    Stage.PUBLISHING: "发布中",
    Stage.PUBLISHED: "已发布",
}


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
    """An approver's decision on the step they saw (``round`` and ``step`` from ``CycleStatus``).

    A decision for a step that is no longer current (stale screen, re-delivered message) is refused.
    A rejection needs a comment.
    """

    actor: Actor
    round: int
    step: int
    approve: bool
    comment: str = ""


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
    """One rule finding: ``severity`` is ``error`` or ``warning``; ``message`` is Chinese."""

    rule_id: str
    severity: str
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
class EditResult:
    """What an accepted edit changed (cell key or section → new text) and how complete the draft is."""

    changed: dict[str, str]
    filled: int
    total: int
    missing: tuple[str, ...]
    revision: int


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
class ApprovalRecord:
    round: int
    step: int
    person_id: int
    name: str
    approve: bool
    comment: str
    at: str


@dataclass(frozen=True)
class StageChange:
    """One move in the stage history: real UTC time, the simulated date, who caused it and why."""

    stage: Stage
    at: str
    date: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class PublicationInfo:
    """Where and when a revision was published; ``files`` are the file names at ``location``."""

    revision: int
    location: str
    files: tuple[str, ...]
    at: str


@dataclass(frozen=True)
class CycleStatus:
    """The answer of the ``status`` query (and of most updates)."""

    agency_code: str
    agency_name: str
    year: int
    stage: Stage
    stage_label: str
    revision: int
    format_id: str
    filled: int
    total: int
    missing: tuple[str, ...]
    missing_prose: tuple[str, ...]
    findings: tuple[FindingInfo, ...]
    approval_round: int
    current_step: ApprovalStep | None
    approvals: tuple[ApprovalRecord, ...]
    deadline: str
    today: str
    days_left: int
    overdue: bool
    history: tuple[StageChange, ...]
    publications: tuple[PublicationInfo, ...]
    waiting_for_departments: tuple[str, ...] = ()

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
    approvals: tuple[ApprovalRecord, ...]
    history: tuple[StageChange, ...]
    findings: tuple[FindingInfo, ...]
    publications: tuple[PublicationInfo, ...]
    published_departments: tuple[str, ...]
    rolled_up: bool
    reminders_sent: int
    started_at: str
    stage_since: str
    escalated: tuple[str, ...] = field(default_factory=tuple)
