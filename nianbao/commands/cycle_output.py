"""How the cycle commands print: status tables, one cycle's details, findings, the outbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from contracts import CycleStatus, FindingInfo
from domain.formats import OFFICIAL_HEADINGS
from domain.labels import cell_label
from domain.times import beijing_time

# The cycle's own calendar day: the real date in production, a simulated one when days are shortened.
TODAY_LABEL = "周期日期"
SIMULATED_LABEL = "模拟日期（演示：一天被缩短）"
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告"}


def days_text(status: CycleStatus) -> str:
    if status.stage.value == "published":
        return "已发布"
    if not status.deadline:
        return "—"
    if status.days_left < 0:
        return f"逾期{-status.days_left}天"
    return f"剩{status.days_left}天"


def status_table(rows: list[CycleStatus]) -> str:
    lines = ["机关代码\t机关名称\t年度\t阶段\t完成度\t截止日\t剩余/逾期"]
    lines += [
        f"{s.agency_code}\t{s.agency_name}\t{s.year}\t{s.stage_label}\t{s.percent_complete}%\t{s.deadline}\t{days_text(s)}"
        for s in rows
    ]
    return "\n".join(lines)


def status_json(rows: list[CycleStatus]) -> str:
    return json.dumps([status_dict(s) for s in rows], ensure_ascii=False, indent=2, default=_json_value)


def _json_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def status_dict(status: CycleStatus) -> dict[str, Any]:
    data = asdict(status)
    data["stage"] = status.stage.value
    data["percent_complete"] = status.percent_complete
    data["format_id"], data["variant"] = status.format.format_id, status.format.variant.value
    return data


def finding_lines(findings: tuple[FindingInfo, ...]) -> list[str]:
    return [
        f"  ［{SEVERITY_LABELS.get(f.severity, f.severity)}］{f.key}：{f.message}"
        + ("（已说明理由）" if f.acknowledged else "")
        for f in findings
    ]


def unassigned_line(agencies: list[tuple[str, str]]) -> str:
    names = "、".join(f"{name}（{code}）" for code, name in agencies)
    return f"注意：{len(agencies)}个机关没有填报人员，无人接收通知：{names}。请用 nianbao people add 指派"


def cycle_details(
    status: CycleStatus,
    review: list[str] | None = None,
    address: Callable[[str], str] = str,
    simulated: bool = False,
) -> str:
    today = SIMULATED_LABEL if simulated else TODAY_LABEL
    lines = [
        f"{status.agency_name}（{status.agency_code}）{status.year}年度报告 第{status.revision}版",
        f"阶段：{status.stage_label}　完成度：{status.percent_complete}%（{status.filled}/{status.total}）",
        f"截止日：{status.deadline}　{today}：{status.today}　{days_text(status)}",
    ]
    if status.missing:
        labels = [
            cell_label(key, format_id=status.format_id, legacy_other_row=status.legacy_other_row)
            for key in status.missing[:10]
        ]
        shown = "；".join(labels) + ("……" if len(status.missing) > 10 else "")
        lines.append(f"尚缺表格项{len(status.missing)}个：{shown}")
    if status.missing_prose:
        lines.append("尚缺文字部分：" + "、".join(OFFICIAL_HEADINGS[sid] for sid in status.missing_prose))
    if status.current_step is not None:
        lines.append(f"待审核环节：{status.current_step.label}（第{status.approval_round}轮）")
    if status.waiting_for_departments:
        lines.append("等待下属部门发布：" + "、".join(status.waiting_for_departments))
    if status.findings:
        lines += ["校验结果：", *finding_lines(status.findings)]
    lines += review or []
    for record in status.approvals:
        decision = "同意" if record.approve else "退回"
        comment = f"：{record.comment}" if record.comment else ""
        lines.append(f"审核（第{record.round}轮）{record.actor.name}{decision}{comment}")
    for publication in status.publications:
        lines.append(
            f"第{publication.revision}版已发布于 {local_time(publication.at)}：{address(publication.location)}"
        )
    lines.append("经过：")
    lines += [
        f"  {local_time(change.at)}（{today} {change.date}）{change.stage.label}（{change.by}）{change.note}"
        for change in status.history
    ]
    return "\n".join(lines)


def local_time(moment: datetime | str) -> str:
    """Beijing time, labelled: every time a person reads is in one clock."""
    return beijing_time(moment)
