"""Reports built for rule tests: consistent by construction, so one changed figure is the only fault."""

from collections.abc import Mapping

from domain.formats import S3_APPLICANT_COLUMNS, S4_GROUPS, report_format
from domain.report import Report

PROSE = {
    "s1": "本机关认真贯彻落实《条例》要求。",
    "s5": "主要问题是公开深度不足，下一步将加以改进。",
    "s6": "无其他需要报告的事项。",
}


def consistent_report(
    format_id: str = "2021",
    *,
    outcomes: Mapping[str, Mapping[str, int]] | None = None,
    carried_over: Mapping[str, int] | None = None,
    carried_in: Mapping[str, int] | None = None,
    legacy: bool = False,
    year: int = 2022,
) -> Report:
    """Every table filled in and adding up: the given outcome figures (row → column → count) and
    carry-overs; new applications are whatever makes 第一项加第二项 = 第三项加第四项."""
    report = Report.blank(format_id, agency="某区政务服务管理局", year=year, legacy_other_row=legacy)
    fmt = report_format(format_id, legacy_other_row=legacy)
    for key in report.cells:
        report.set_cell(key, 0)
    for sid, text in PROSE.items():
        report.sections[sid].text = text
    outcomes = outcomes or {}
    for column in S3_APPLICANT_COLUMNS:
        handled = 0
        for row in fmt.s3_outcome_rows:
            value = outcomes.get(row, {}).get(column, 0)
            report.set_cell(f"s3.{row}.{column}", value)
            handled += value
        report.set_cell(f"s3.total.{column}", handled)
        over = (carried_over or {}).get(column, 0)
        into = min((carried_in or {}).get(column, 0), handled + over)
        report.set_cell(f"s3.carried_over.{column}", over)
        report.set_cell(f"s3.carried_in.{column}", into)
        report.set_cell(f"s3.new.{column}", handled + over - into)
    for row in fmt.s3_rows:
        report.set_cell(
            f"s3.{row}.total", sum(int(report.number(f"s3.{row}.{c}")) for c in S3_APPLICANT_COLUMNS)
        )
    for group in S4_GROUPS:
        report.set_cell(f"s4.{group}.total", 0)
    return report
