"""The closed vocabularies of the cycle, as enums from end to end (their values are what payloads carry)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.roles import ROLE_LABELS as ROLE_LABELS
from domain.roles import Channel as Channel
from domain.roles import Role as Role


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


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


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


class ReminderKind(StrEnum):
    KICKOFF = "kickoff"
    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATE = "escalate"


class FormatVariant(StrEnum):
    """``legacy_other``: a 2021 report that keeps the single 2019 （六）其他处理 row."""

    STANDARD = "standard"
    LEGACY_OTHER = "legacy_other"


@dataclass(frozen=True)
class ReportFormatRef:
    """A format with its variant: ``domain.formats.report_format(ref.format_id, legacy_other_row=ref.legacy_other_row)``."""

    format_id: str
    variant: FormatVariant = FormatVariant.STANDARD

    @property
    def legacy_other_row(self) -> bool:
        return self.variant is FormatVariant.LEGACY_OTHER
