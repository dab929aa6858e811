"""The open-data CSV: cells.tsv keys and order, values as the export writes them, a BOM for Excel."""

from __future__ import annotations

import csv
from io import StringIO

from domain.export import cell_lines
from domain.rendering import render_csv
from domain.report import Report
from domain.values import format_value

from .conftest import filled_report


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(StringIO(text.removeprefix("\ufeff"))))


def test_one_line_per_cell_in_cells_tsv_order_with_meta_first(report: Report) -> None:
    text = render_csv(report)
    assert text.startswith("\ufeffkey,label,unit,value\r\n")
    rows = _rows(text)
    assert rows[0] == ["key", "label", "unit", "value"]
    assert [row[0] for row in rows[1:]] == list(report.format.keys)
    assert rows[1:4] == [
        ["meta.agency", "报告机关名称（标题中的机关）", "", "测试市交通运输局"],
        ["meta.year", "报告年度（统计年度）", "年", "2023"],
        [
            "meta.format",
            "格式版本：2019（国办公开办函〔2019〕60号）或 2021（国办公开办函〔2021〕30号）",
            "",
            report.format.id.value,
        ],
    ]
    values = {row[0]: row[3] for row in rows[4:]}
    assert values == {key: format_value(value) for key, value in report.cells.items()}
    assert [(row[0], row[3]) for row in rows[1:]] == cell_lines(report)


def test_blank_cells_are_empty_and_money_is_in_ten_thousand_yuan() -> None:
    report = filled_report("2021")
    rows = {row[0]: row for row in _rows(render_csv(report))[1:]}
    blank = next(key for key, value in report.cells.items() if value is None)
    assert rows[blank][3] == ""
    assert rows["s2.art20_8.fees.amount"][2:] == [
        "万元",
        format_value(report.cells["s2.art20_8.fees.amount"]),
    ]
    assert rows["s2.art20_8.fees.amount"][3].endswith(".2577")


def test_the_legacy_variant_exports_the_single_other_row_in_place() -> None:
    keys = [row[0] for row in _rows(render_csv(filled_report("2021", legacy_other_row=True)))[1:]]
    assert "s3.other_misc.total" not in keys
    assert keys.index("s3.other.natural") == keys.index("s3.unprocessed_confirmation.total") + 1
    assert keys.index("s3.total.natural") == keys.index("s3.other.total") + 1
