"""Who may do what to a cycle: roles, stages and the approval chain.

Pure and deterministic, so the workflow's update validators can call it: every refusal is a
``RefusedError`` whose message is the Chinese reason the sender sees. Figures and documents are not
judged here: the activity that stores them parses and checks them (``activities.report_documents``).
"""

from __future__ import annotations

from contracts import ROLE_LABELS, Actor, AgencyRoster, ApprovalStep, Role, Stage

STEP_LABELS: dict[Role, str] = {Role.REVIEWER: "分管领导审核", Role.HEAD: "主要领导确认"}


class RefusedError(Exception):
    """An update that must not be applied; ``str()`` is the Chinese reason."""


def require_role(roster: AgencyRoster, actor: Actor, *roles: Role) -> None:
    member = roster.member(actor.person_id)
    if member is None:
        raise RefusedError(f"{actor.name}不是{roster.name}年报工作的参与人员，无权操作")
    if not any(role in member.roles for role in roles):
        wanted = "或".join(ROLE_LABELS[role] for role in roles)
        raise RefusedError(f"{actor.name}不是{roster.name}的{wanted}，无权进行此操作")


def require_stage(current: Stage, *allowed: Stage) -> None:
    if current not in allowed:
        wanted = "或".join(stage.label for stage in allowed)
        raise RefusedError(f"报告当前处于“{current.label}”阶段，只有在“{wanted}”阶段才能进行此操作")


def approval_chain(roster: AgencyRoster) -> tuple[ApprovalStep, ...]:
    """分管领导审核 by the reviewers, then 主要领导确认 by the head; a role nobody holds is skipped."""
    roles = [role for role in (Role.REVIEWER, Role.HEAD) if roster.holders(role)]
    return tuple(ApprovalStep(index=i, role=role, label=STEP_LABELS[role]) for i, role in enumerate(roles))
