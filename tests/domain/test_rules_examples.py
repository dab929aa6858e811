"""The rules on the real published reports flag exactly what is really wrong in them (read by hand):

- 000, 004: the procurement amount is a bare number (39891, 63.2) with no unit anywhere;
- 003: heading 一 is written 1、, heading 六 says 需求 for 需要, and 一 says 受理…申请74件 where the
  table's new applications total 73 (74 adds the 1 carried in);
- 102: heading 四 says 行政法复议, and 一 says 收到…申请75件 where the table's new total is 74;
- 103: heading 五 reads 五、政府信息公开工作存在的…, and 一 says 受理…申请749件 where the table's new total is
  713 (749 adds the 36 carried in);
- 001, 002, 101, 104: every table adds up and every quoted figure matches (101 quotes 3119, 34, 103, 351, 46).
"""

from pathlib import Path

import pytest

from domain.importing import read_report
from domain.rules import check_report

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "reports"

EXPECTED: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "000_0aa99e0fac0e428e": [("cells.money_unit", "s2.art20_9.procurement.amount", None, None)],
    "001_5b7f9e9403413c40": [],
    "002_eb31c528b5a40be4": [],
    "003_ce66a7de9cdaf2df": [
        ("structure.heading", "", "一、总体情况", "1、总体情况"),
        ("structure.heading", "", "六、其他需要报告的事项", "六、其他需求报告的事项"),
        ("prose.new_applications", "s3.new.total", "73", "74"),
    ],
    "004_7eb9f2b2a221df7d": [("cells.money_unit", "s2.art20_9.procurement.amount", None, None)],
    "101_huaian_city_gov_2024_pdf-layout": [],
    "102_pingtan_2022_concatenated-cells": [
        (
            "structure.heading",
            "",
            "四、政府信息公开行政复议、行政诉讼情况",
            "四、政府信息公开行政法复议、行政诉讼情况",
        ),
        ("prose.new_applications", "s3.new.total", "74", "75"),
    ],
    "103_shuyang_county_gov_2025_markdown-from-ocr": [
        (
            "structure.heading",
            "",
            "五、存在的主要问题及改进情况",
            "五、政府信息公开工作存在的主要问题及改进情况",
        ),
        ("prose.new_applications", "s3.new.total", "713", "749"),
    ],
    "104_pingtan_czj_2022_crawler-one-line": [],
}

pytestmark = pytest.mark.skipif(not REPORTS.is_dir(), reason="shared/reports is not beside this checkout")


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_check_flags_exactly_the_real_inconsistencies(stem: str) -> None:
    report = read_report(REPORTS / f"{stem}.txt").report
    found = [
        (
            f.rule_id,
            f.cells[0][0] if f.cells else "",
            f.expected if f.rule_id != "cells.money_unit" else None,
            f.actual if f.rule_id != "cells.money_unit" else None,
        )
        for f in check_report(report)
    ]
    assert found == EXPECTED[stem]


def test_every_example_report_is_in_the_expectations() -> None:
    assert sorted(path.stem for path in REPORTS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_no_example_report_has_an_arithmetic_error(stem: str) -> None:
    report = read_report(REPORTS / f"{stem}.txt").report
    assert [f for f in check_report(report) if f.severity == "error"] == []
