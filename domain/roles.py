"""Who acts on a report and through which channel: one vocabulary for storage, the cycle and the bot."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A person's role for one agency; the approval chain is the reviewers, then the head."""

    OFFICER = "officer"
    REVIEWER = "reviewer"
    HEAD = "head"
    COORDINATOR = "coordinator"


class Channel(StrEnum):
    """Through which door a change arrived; recorded in every audit row."""

    CLI = "cli"
    BOT = "bot"
    IMPORT = "import"
    SYSTEM = "system"
    WEB = "web"


ROLE_LABELS: dict[Role, str] = {
    Role.OFFICER: "信息公开工作人员",
    Role.REVIEWER: "分管领导",
    Role.HEAD: "主要领导",
    Role.COORDINATOR: "政务公开主管部门",
}
