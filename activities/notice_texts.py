"""The Chinese text of every notice the cycle sends."""

from __future__ import annotations

from contracts import Notice, NoticeKind

_REMINDER_LEADS: dict[str, str] = {
    "kickoff": "{year}年度政府信息公开工作年度报告填报已启动，请于{deadline}前完成。",
    "before": "距{year}年度报告发布截止日还有{days_before}天，请抓紧办理。",
    "overdue": "{year}年度报告已超过发布截止日，请尽快办理。",
}


def notice_text(notice: Notice) -> str:
    """The message for ``notice``: names the agency and year, then says what to do."""
    d = {"year": str(notice.year), **notice.details}
    head = f"【{d.get('agency', notice.agency_code)}】"
    kind = notice.kind
    if kind is NoticeKind.REMINDER:
        lead = _REMINDER_LEADS.get(d.get("reminder", ""), "{year}年度报告尚待办理。")
        reason = f"（{d['reason']}）" if d.get("reason") else ""
        return head + lead.format_map(_Defaults(d)) + reason + _missing(d)
    if kind is NoticeKind.MISSING:
        return head + f"{notice.year}年度报告尚缺以下内容，请补充。" + _missing(d)
    if kind is NoticeKind.FINDINGS:
        return (
            head
            + f"{notice.year}年度报告校验未通过，已退回起草，请修改后重新提请校验：\n{d.get('findings', '')}"
        )
    if kind is NoticeKind.WARNINGS:
        return head + f"{notice.year}年度报告有以下警告，请逐条说明理由后确认：\n{d.get('findings', '')}"
    if kind is NoticeKind.APPROVAL_NEEDED:
        return (
            head
            + f"{notice.year}年度报告已通过校验，请进行“{d.get('step', '审核')}”（第{d.get('round', '1')}轮）。"
        )
    if kind is NoticeKind.REJECTED:
        return head + f"{notice.year}年度报告被退回修改，意见：{d.get('comment', '')}"
    if kind is NoticeKind.PUBLISHED:
        return head + f"{notice.year}年度报告（第{d.get('revision', '1')}版）已发布：{d.get('location', '')}"
    if kind is NoticeKind.ESCALATION:
        late = f"，已逾期{d['days_late']}天" if d.get("days_late", "0") != "0" else ""
        holder = f"。报告处于“{d['stage']}”阶段，由{d['holder']}办理" if d.get("holder") else ""
        return head + f"{notice.year}年度报告需要督办：{d.get('reason', '')}{late}{holder}。"
    if kind is NoticeKind.ROLLUP:
        return (
            head
            + f"所属部门的{notice.year}年度报告均已发布，已将其汇总数字填入本级报告草稿的{d.get('count', '0')}个空项，请核对。"
        )
    return head + f"{notice.year}年度报告已发起更正，请修改后重新提请校验。理由：{d.get('reason', '')}"


def _missing(details: dict[str, str]) -> str:
    missing = details.get("missing", "")
    return f"\n尚缺：{missing}" if missing else ""


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
