"""Who may do what to a cycle, and how typed input becomes canonical cell text.

Pure and deterministic, so the workflow's update validators can call it: every refusal is a
``RefusedError`` whose message is the Chinese reason the sender sees.
"""

from __future__ import annotations

from typing import Any

from activities.payloads import AgencyRoster
from domain.agencies import same_agency
from domain.document import from_document
from domain.errors import NianbaoError
from domain.formats import PROSE_SECTIONS, ReportFormat
from domain.report import Report
from domain.values import format_value, parse_cell
from workflows.contracts import ROLE_LABELS, Actor, ApprovalStep, Role, Stage

PROSE_LABELS: dict[str, str] = {
    "s1": "一、总体情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}
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


def parse_figures(fmt: ReportFormat, values: dict[str, str]) -> dict[str, str]:
    """Typed figures → canonical text per cell; all or nothing, every bad value named in the reason."""
    if not values:
        raise RefusedError("没有提交任何数字")
    parsed: dict[str, str] = {}
    problems: list[str] = []
    for key, text in values.items():
        if not fmt.has(key) or key.startswith("meta."):
            problems.append(f"“{key}”不是{fmt.title}报告中的表格项")
            continue
        if not text.strip():
            parsed[key] = ""
            continue
        try:
            parsed[key] = format_value(parse_cell(fmt.cell(key), text))
        except NianbaoError as error:
            problems.append(str(error))
    if problems:
        raise RefusedError("；".join(problems) + "。未作任何修改")
    return parsed


def check_prose(section: str, text: str) -> None:
    if section not in PROSE_SECTIONS:
        raise RefusedError(f"“{section}”不是文字部分，可填写的部分为：{'、'.join(PROSE_LABELS.values())}")
    if len(text) > 20000:
        raise RefusedError("文字过长（超过20000字），请精简后再提交")


def document_figures(
    document: dict[str, Any], year: int, agency: str | None = None
) -> tuple[ReportFormat, dict[str, str], dict[str, str]]:
    """A whole report document → its format, canonical cell texts and prose.

    Refuses a report of another year, and (given the cycle's ``agency``) of another agency, naming both.
    """
    report = _report_of(document)
    if report.year is not None and report.year != year:
        raise RefusedError(
            f"提交的报告年度为{report.year}年，与本次{year}年度报告不符，未作任何修改"
            "（如只借用其中的数字，请按模板导入）"
        )
    if agency and report.agency and not same_agency(report.agency, agency):
        raise RefusedError(
            f"提交的是“{report.agency}”的报告，与本次“{agency}”的年报不符，未作任何修改"
            "（如只借用其中的数字，请按模板导入）"
        )
    cells = {key: format_value(value) for key, value in report.cells.items() if value is not None}
    prose = {sid: report.prose(sid) for sid in PROSE_SECTIONS if report.prose(sid)}
    return report.format, cells, prose


def template_figures(document: dict[str, Any], fmt: ReportFormat) -> tuple[dict[str, str], str]:
    """The filled figures of a report used as a template, for the draft's format, and whose report it is."""
    report = _report_of(document)
    cells = {
        key: format_value(value)
        for key, value in report.cells.items()
        if value is not None and fmt.has(key) and not key.startswith("meta.")
    }
    if not cells:
        raise RefusedError("模板中没有可用的数字，未作任何修改")
    whose = f"{report.agency or '未注明机关'}{f'{report.year}年度' if report.year else ''}报告"
    return cells, whose


def _report_of(document: dict[str, Any]) -> Report:
    try:
        return from_document(document)
    except NianbaoError as error:
        raise RefusedError(str(error)) from None
