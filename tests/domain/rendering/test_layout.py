"""The shared table layout: every cell of the format placed once, merged headers where the form has them."""

from __future__ import annotations

import pytest

from domain.formats import TABLE_SECTIONS, report_format
from domain.rendering.layout import Grid, GridCell, table_layout

FORMATS = [("2019", False), ("2021", False), ("2021", True)]


def _header(grid: Grid, text: str) -> GridCell:
    matches = [cell for cell in grid.cells if cell.scope and cell.text == text]
    assert len(matches) == 1, text
    return matches[0]


@pytest.mark.parametrize(("format_id", "legacy"), FORMATS)
def test_every_cell_of_the_format_is_placed_exactly_once(format_id: str, legacy: bool) -> None:
    fmt = report_format(format_id, legacy_other_row=legacy)
    placed = [
        cell.key
        for section in TABLE_SECTIONS
        for cell in table_layout(fmt, section).grid().cells
        if cell.key is not None
    ]
    assert sorted(placed) == sorted(spec.key for spec in fmt.table_cells)


@pytest.mark.parametrize(("format_id", "legacy"), FORMATS)
@pytest.mark.parametrize("section", TABLE_SECTIONS)
def test_grid_positions_are_covered_once_without_overlap(format_id: str, legacy: bool, section: str) -> None:
    grid = table_layout(report_format(format_id, legacy_other_row=legacy), section).grid()
    covered: dict[tuple[int, int], GridCell] = {}
    for cell in grid.cells:
        for row in range(cell.row, cell.row + cell.row_span):
            for column in range(cell.column, cell.column + cell.column_span):
                assert (row, column) not in covered, (cell, covered.get((row, column)))
                covered[(row, column)] = cell
    assert set(covered) == {(r, c) for r in range(grid.row_count) for c in range(grid.column_count)}


@pytest.mark.parametrize(("format_id", "legacy"), FORMATS)
def test_table_three_merges_headers_like_the_official_form(format_id: str, legacy: bool) -> None:
    grid = table_layout(report_format(format_id, legacy_other_row=legacy), "s3").grid()
    assert _header(grid, "申请人情况").column_span == 7
    assert _header(grid, "法人或其他组织").column_span == 5
    assert _header(grid, "自然人").row_span == 2
    assert _header(grid, "总计").row_span == 2
    note = _header(grid, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    assert (note.row_span, note.column_span) == (3, 3)
    outcomes = len(report_format(format_id, legacy_other_row=legacy).s3_outcome_rows)
    assert _header(grid, "三、本年度办理结果").row_span == outcomes + 1  # the outcome rows and （七）总计
    assert _header(grid, "（三）不予公开").row_span == 8
    assert _header(grid, "（四）无法提供").row_span == 3
    assert _header(grid, "（五）不予处理").row_span == 5
    assert _header(grid, "（六）其他处理").row_span == (1 if format_id == "2019" or legacy else 3)
    assert grid.header_rows == 3


def test_table_four_groups_review_and_the_two_kinds_of_suit() -> None:
    grid = table_layout(report_format("2021"), "s4").grid()
    assert _header(grid, "行政复议").column_span == 5
    assert _header(grid, "行政诉讼").column_span == 10
    assert _header(grid, "未经复议直接起诉").column_span == 5
    assert _header(grid, "复议后起诉").column_span == 5
    values = [cell for cell in grid.cells if cell.key]
    assert {cell.row for cell in values} == {3}
    assert [cell.key for cell in values][:2] == ["s4.review.upheld", "s4.review.corrected"]


def test_table_two_uses_the_printed_wording_of_each_format() -> None:
    labels_2019 = {cell.text for cell in table_layout(report_format("2019"), "s2").grid().cells}
    assert {"第二十条第（九）项", "本年增/减", "采购总金额（万元）", "规范性文件"} <= labels_2019
    labels_2021 = {cell.text for cell in table_layout(report_format("2021"), "s2").grid().cells}
    assert {"本年收费金额（单位：万元）", "行政规范性文件", "现行有效件数"} <= labels_2021
    assert "第二十条第（九）项" not in labels_2021
