"""Reports for the renderer tests, built the way an officer fills in a draft: blank form, then figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from domain.formats import CellKind
from domain.report import Report

REPORTS = Path(__file__).resolve().parents[4] / "shared" / "reports"
GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"

PROSE = {
    "s1": "2023年，本局坚持以公开为常态、不公开为例外。\n全年主动公开政府信息1,024条，其中<重点>领域信息 & 解读材料36件。",
    "s5": "一是公开的及时性有待提高。\n二是解读形式比较单一。",
    "s6": "本年度未收取信息处理费。",
}


def filled_report(format_id: str, *, legacy_other_row: bool = False) -> Report:
    """Every cell a different figure, so a value in the wrong place shows; some cells left blank."""
    report = Report.blank(format_id, agency="测试市交通运输局", year=2023, legacy_other_row=legacy_other_row)
    for number, spec in enumerate(report.format.table_cells, start=1):
        if number % 11 == 0:
            continue  # left blank: must stay blank, not become 0
        if spec.kind is CellKind.MONEY:
            report.set_cell(spec.key, Decimal(number) + Decimal("0.2577"))
        elif spec.kind is CellKind.CHANGE:
            report.set_cell(spec.key, -number)
        else:
            report.set_cell(spec.key, number)
    for section, text in PROSE.items():
        report.sections[section].text = text
    return report


@pytest.fixture(
    params=[("2019", False), ("2021", False), ("2021", True)], ids=["2019", "2021", "2021-legacy"]
)
def report(request: pytest.FixtureRequest) -> Report:
    format_id, legacy = request.param
    return filled_report(format_id, legacy_other_row=legacy)
