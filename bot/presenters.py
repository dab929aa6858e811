"""Messages as people read them, built with ``aiogram.utils.formatting`` so user text is always escaped."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiogram.types import BufferedInputFile
from aiogram.utils.formatting import Bold, Text, as_line, as_list, as_marked_list

from contracts import CycleStatus, EditResult, FindingInfo
from domain.formats import CellSpec, ReportFormat
from domain.rendering import render_docx
from domain.report import Report

PROSE_NAMES: dict[str, str] = {
    "s1": "一、总体情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}
ANSWER_HINT = "请直接回复数字（如 12、１２、0），或回复“跳过”“全部为0”（本部分其余各项都填0）“同上年”。"


def split_label(spec: CellSpec) -> tuple[str, str]:
    """The official label's section heading, and the rest as one line (``自然人`` under its row)."""
    section, _, rest = spec.label.partition("/")
    return section, rest.replace("/", " · ") or section


def progress(filled: int, total: int) -> str:
    return f"已填 {filled}/{total}"


def deadline_line(status: CycleStatus) -> str:
    if not status.deadline:
        return ""
    if status.overdue:
        return f"截止日期 {status.deadline}，已逾期"
    return f"截止日期 {status.deadline}，还剩 {status.days_left} 天"


def missing_summary(status: CycleStatus, fmt: ReportFormat) -> Text:
    """What is still missing, grouped by table section, with the deadline (``fmt``: the draft's format)."""
    by_key = {spec.key: spec for spec in fmt.cells}
    sections = Counter(split_label(by_key[key])[0] for key in status.missing if key in by_key)
    lines: list[Any] = [f"{section}：缺 {count} 项" for section, count in sections.items()]
    lines += [f"{PROSE_NAMES.get(s, s)}：尚未填写" for s in status.missing_prose]
    return as_list(
        Bold(f"{status.agency_name} {status.year} 年度报告（{status.stage_label}）"),
        as_line(progress(status.filled, status.total), "；", deadline_line(status), sep=""),
        as_marked_list(*lines) if lines else Text("各项均已填写。可发送 /ready 提请校验。"),
    )


def cell_question(spec: CellSpec, filled: int, total: int) -> Text:
    section, question = split_label(spec)
    unit = f"（单位：{spec.unit}）" if spec.unit else ""
    return as_list(
        Text(section),
        Bold(question, unit),
        Text(progress(filled, total), "。", ANSWER_HINT),
    )


DURABLE = "年报系统已接收并记录，重启也不会丢失"


def saved(spec: CellSpec, result: EditResult) -> Text:
    """The reply to an accepted figure, naming its cell; the cycle accepted and recorded it before answering."""
    value = result.changed.get(spec.key)
    shown = f"“{value}”" if value is not None else "（与原值相同）"
    return Text(
        "已保存 ",
        split_label(spec)[1],
        "：",
        shown,
        f"（{DURABLE}）。",
        progress(result.filled, result.total),
    )


def findings_list(findings: tuple[FindingInfo, ...]) -> Text:
    if not findings:
        return Text("校验通过，没有发现问题。")
    return as_marked_list(
        *(
            Text("【错误】" if f.severity == "error" else "【警告】", f.message, f"（{f.rule_id}）")
            for f in findings
        )
    )


def status_line(status: CycleStatus) -> Text:
    overdue = "【逾期】" if status.overdue else ""
    return Text(
        overdue,
        f"{status.agency_name}（{status.agency_code}）：{status.stage_label}，",
        progress(status.filled, status.total),
        f"，{deadline_line(status)}" if status.deadline else "",
    )


def report_summary(status: CycleStatus) -> Text:
    acknowledged = [f for f in status.findings if f.acknowledged]
    step = status.current_step.label if status.current_step else "审核"
    return as_list(
        Bold(f"{status.agency_name} {status.year} 年度报告 · {step}（第{status.approval_round}轮）"),
        Text(progress(status.filled, status.total), "；", deadline_line(status)),
        Text("已确认的警告：", str(len(acknowledged)) if acknowledged else "无"),
        *(Text("· ", f.message) for f in acknowledged),
    )


def report_file(report: Report) -> BufferedInputFile:
    """The draft rendered as the official .docx, named as an officer would save it."""
    name = f"{report.agency}{report.year}年政府信息公开工作年度报告.docx"
    return BufferedInputFile(render_docx(report), filename=name)
