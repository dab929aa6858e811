"""The closed vocabularies stored as text columns; repository functions accept only these values."""

from __future__ import annotations

from enum import StrEnum

from storage.errors import InvalidEntryError


class AgencyKind(StrEnum):
    DEPARTMENT = "department"
    GOVERNMENT = "government"


class RoleName(StrEnum):
    OFFICER = "officer"
    REVIEWER = "reviewer"
    HEAD = "head"
    COORDINATOR = "coordinator"


class Channel(StrEnum):
    """Through which door a change came in (recorded in the audit trail)."""

    CLI = "cli"
    BOT = "bot"
    IMPORT = "import"
    SYSTEM = "system"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


AGENCY_KIND_LABELS: dict[AgencyKind, str] = {
    AgencyKind.DEPARTMENT: "部门",
    AgencyKind.GOVERNMENT: "政府",
}

ROLE_LABELS: dict[RoleName, str] = {
    RoleName.OFFICER: "填报人",
    RoleName.REVIEWER: "分管领导",
    RoleName.HEAD: "主要领导",
    RoleName.COORDINATOR: "协调人",
}


def parse_role(text: str) -> RoleName:
    """The role named by ``text``; a Chinese error listing the valid roles otherwise."""
    try:
        return RoleName(text.strip().lower())
    except ValueError:
        valid = "、".join(f"{role.value}（{label}）" for role, label in ROLE_LABELS.items())
        raise InvalidEntryError(f"角色「{text}」无效，可选：{valid}") from None
