"""Readings the text forces (issue 11, items 4–6): published arithmetic errors reproduced, cells every
reading agrees on, sections numbered otherwise, and last year's report deciding a table-二 row."""

from domain.importing import parse_text
from domain.report import Report
from tests.domain.importing.flattening import flatten
from tests.domain.importing.test_real_layouts import sparse_report
from tests.domain.reports import consistent_report

OUTCOMES = {"disclosed": {"natural": 21}, "partial": {"natural": 8, "commercial": 1}}


def test_a_run_together_row_whose_published_total_is_wrong_is_read_and_reproduced() -> None:
    report = consistent_report(outcomes=OUTCOMES, carried_in={"natural": 1})
    report.set_cell("s3.disclosed.total", 22)  # the publication's own error: 21 + 0 … = 22
    result = parse_text(flatten(report, "run-together"), source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells
    assert any("照录原文" in warning for warning in result.warnings)


def test_fifteen_digits_run_into_table_four_header_are_fifteen_cells_whatever_the_totals() -> None:
    report = consistent_report(outcomes=OUTCOMES)
    report.set_cell("s4.review.corrected", 1)  # its 总计 stays 0 as published
    report.set_cell("s4.suit_direct.pending", 2)
    result = parse_text(flatten(report, "run-together"), source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells


def test_a_cell_every_reading_agrees_on_is_known_and_only_the_others_are_undecided() -> None:
    # PDF rows that lost their blank cells: 「3 3」 puts the 3 in any applicant column, the 总计 is 3.
    report = Report.blank("2021", agency="某某县档案馆", year=2023)
    report.sections = sparse_report("2021").sections
    for row in ("new", "disclosed", "total"):
        report.cells[f"s3.{row}.natural"] = report.cells[f"s3.{row}.total"] = 3
    result = parse_text(flatten(report, "pdf-rows"), source="t.txt")
    doubtful = {key for ambiguity in result.ambiguities for key in ambiguity.cells}
    assert "s3.new.total" not in doubtful
    assert result.report.cells["s3.new.total"] == 3
    assert "s3.new.natural" in doubtful
    assert all(len(ambiguity.candidates) > 1 for ambiguity in result.ambiguities)


def test_sections_numbered_from_one_without_a_heading_for_the_overview() -> None:
    report = consistent_report(outcomes=OUTCOMES)
    text = flatten(report, "tab").replace("一、总体情况\n", "")
    for old, new in (
        ("二、主动", "一、主动"),
        ("三、收到", "二、收到"),
        ("四、政府信息公开行政", "三、政府信息公开行政"),
    ):
        text = text.replace(old, new, 1)
    text = text.replace("五、存在", "四、存在").replace("六、其他需要", "五、其他需要")
    result = parse_text(text, source="t.txt")
    assert result.report.cells == report.cells
    assert list(result.report.sections) == ["s2", "s3", "s4", "s5", "s6"]
    assert result.report.prose("s5") == report.prose("s5")


def _licensing_2019(previous: int, change: int, decisions: int, year: int) -> Report:
    report = consistent_report("2019", outcomes=OUTCOMES, year=year)
    for column, value in (("previous", previous), ("change", change), ("decisions", decisions)):
        report.set_cell(f"s2.art20_5.licensing.{column}", value)
    return report


def test_last_years_report_decides_a_run_together_2019_row_and_says_which_rule() -> None:
    this = _licensing_2019(396, 0, 181, year=2020)
    text = flatten(this, "run-together")
    alone = parse_text(text, source="t.txt")
    assert "s2.art20_5.licensing.previous" in {k for a in alone.ambiguities for k in a.cells}
    last = _licensing_2019(390, 6, 175, year=2019)
    result = parse_text(text, source="t.txt", previous=last)
    assert result.report.cells == this.cells
    assert any("上一年项目数量" in warning and "确定" in warning for warning in result.warnings)


def test_the_2021_in_force_continuity_only_orders_the_candidates() -> None:
    this = consistent_report(outcomes=OUTCOMES)
    for column, value in (("issued", 88), ("repealed", 55), ("in_force", 698)):
        this.set_cell(f"s2.art20_1.normative.{column}", value)
    last = consistent_report(outcomes=OUTCOMES, year=2021)
    last.set_cell("s2.art20_1.normative.in_force", 665)
    result = parse_text(flatten(this, "run-together"), source="t.txt", previous=last)
    [ambiguity] = [a for a in result.ambiguities if "s2.art20_1.normative.issued" in a.cells]
    assert ambiguity.candidates[0] == ("88", "55", "698")
    assert any("仅供参考" in warning for warning in result.warnings)
