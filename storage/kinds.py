"""The closed vocabularies stored as text columns; repository functions accept only these values."""

from __future__ import annotations

from enum import StrEnum

from domain.roles import ROLE_LABELS as ROLE_LABELS
from domain.roles import Channel as Channel
from domain.roles import Role
from storage.errors import InvalidEntryError

# Storage calls a role by its name column.
RoleName = Role


class AgencyKind(StrEnum):
    DEPARTMENT = "department"
    GOVERNMENT = "government"


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


def parse_role(text: str) -> RoleName:
    """The role named by ``text``; a Chinese error listing the valid roles otherwise."""
    try:
        return RoleName(text.strip().lower())
    except ValueError:
        valid = "、".join(f"{role.value}（{label}）" for role, label in ROLE_LABELS.items())
        raise InvalidEntryError(f"角色「{text}」无效，可选：{valid}") from None
