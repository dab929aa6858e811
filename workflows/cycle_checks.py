"""Who may do what at which stage of a cycle: each check raises ``permissions.RefusedError`` with a Chinese reason.

Update validators and handlers run the same checks, so a refusal reaches the sender before anything is
recorded and again, after loading, inside the handler.
"""

from __future__ import annotations

from contracts import (
    Acknowledge,
    Actor,
    AgencyRoster,
    CorrectionRequest,
    Decision,
    FindingInfo,
    Remind,
    Role,
    Stage,
)
from workflows import permissions
from workflows.cycle_state import CycleState


def loaded(state: CycleState) -> AgencyRoster:
    if state.roster is None or not state.is_loaded():
        raise permissions.RefusedError("报告周期正在启动，请稍后再试")
    return state.roster


def check_editable(state: CycleState, actor: Actor) -> None:
    permissions.require_role(loaded(state), actor, Role.OFFICER)
    # Instead of explaining a warning, the officer may fix the draft; it then goes back to drafting.
    permissions.require_stage(state.stage, Stage.DRAFTING, Stage.ACKNOWLEDGING)
    if state.ready_by is not None:
        raise permissions.RefusedError("报告已提请校验，请等待校验结果")


def check_ready(state: CycleState, actor: Actor) -> None:
    check_editable(state, actor)
    permissions.require_stage(state.stage, Stage.DRAFTING)


def check_acknowledge(state: CycleState, request: Acknowledge) -> FindingInfo:
    """The one warning the request explains: named by its key, or by a rule with a single open warning."""
    permissions.require_role(loaded(state), request.actor, Role.OFFICER)
    permissions.require_stage(state.stage, Stage.ACKNOWLEDGING)
    warnings = [f for f in state.findings if f.severity == "warning"]
    matching = [f for f in warnings if f.key == request.rule_id] or [
        f for f in warnings if f.rule_id == request.rule_id and not f.acknowledged
    ]
    if not matching:
        open_keys = "、".join(f.key for f in warnings if not f.acknowledged) or "无"
        raise permissions.RefusedError(f"没有编号为“{request.rule_id}”的待确认警告（待确认：{open_keys}）")
    if len(matching) > 1:
        keys = "、".join(f.key for f in matching)
        raise permissions.RefusedError(
            f"规则“{request.rule_id}”有{len(matching)}条警告，每条须分别说明理由，请逐条确认：{keys}"
        )
    if len(request.reason.strip()) < 2:
        raise permissions.RefusedError("请说明理由：确认警告必须填写理由")
    return matching[0]


def check_acknowledge_by_rule(state: CycleState, request: Acknowledge) -> FindingInfo:
    """Before per-warning acknowledgements: the first warning of the rule (its siblings went with it)."""
    permissions.require_role(loaded(state), request.actor, Role.OFFICER)
    permissions.require_stage(state.stage, Stage.ACKNOWLEDGING)
    finding = next(
        (f for f in state.findings if f.rule_id == request.rule_id and f.severity == "warning"), None
    )
    if finding is None:
        open_ids = "、".join(f.rule_id for f in state.findings if not f.acknowledged) or "无"
        raise permissions.RefusedError(f"没有编号为“{request.rule_id}”的待确认警告（待确认：{open_ids}）")
    if len(request.reason.strip()) < 2:
        raise permissions.RefusedError("请说明理由：确认警告必须填写理由")
    return finding


def check_decision(state: CycleState, request: Decision) -> None:
    roster = loaded(state)
    permissions.require_stage(state.stage, Stage.APPROVING)
    if state.rejected is not None or state.step >= len(state.chain):
        raise permissions.RefusedError("本轮审核已结束，请刷新后查看最新状态")
    step = state.chain[state.step]
    if (request.round, request.step) != (state.approval_round, state.step):
        raise permissions.RefusedError(
            f"该审核环节已过期，当前环节为“{step.label}”（第{state.approval_round}轮），请刷新后再操作"
        )
    member = roster.member(request.actor.person_id)
    if member is None or step.role not in member.roles:
        raise permissions.RefusedError(f"{request.actor.name}不是“{step.label}”环节的审核人，无权审核")
    if not request.approve and len(request.comment.strip()) < 2:
        raise permissions.RefusedError("退回修改必须填写意见")


def check_correction(state: CycleState, request: CorrectionRequest) -> None:
    permissions.require_role(loaded(state), request.actor, Role.OFFICER, Role.COORDINATOR)
    permissions.require_stage(state.stage, Stage.PUBLISHED)
    if state.correction is not None:
        raise permissions.RefusedError("已在办理更正，请勿重复提交")
    if len(request.reason.strip()) < 2:
        raise permissions.RefusedError("更正必须说明理由")


def check_remind(state: CycleState, request: Remind) -> None:
    permissions.require_role(loaded(state), request.actor, Role.COORDINATOR)
    if state.stage is Stage.PUBLISHED:
        raise permissions.RefusedError("报告已发布，无需提醒")
