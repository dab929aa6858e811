"""The layouts real publishers produce (issue 11, items 1–3), as synthetic reports with any figures:
every cell read right, or reported undecidable, never a wrong value."""

from collections.abc import Callable

import pytest
from hypothesis import given, settings

from domain.formats import OFFICIAL_HEADINGS
from domain.importing import parse_text
from domain.report import Report
from tests.domain.importing.flattening import flatten
from tests.domain.importing.real_layouts import PAGE_TEXT, WRONG_HEADER, crawler_lines, ocr_markdown, one_line
from tests.domain.importing.test_layouts import PROSE, reports
from tests.domain.reports import consistent_report

Writer = Callable[[Report], str]
WRITERS: dict[str, Writer] = {
    "crawler-lines": crawler_lines,
    "one-line": one_line,
    "ocr-markdown": ocr_markdown,
}


def sparse_report(format_id: str) -> Report:
    """A small department: nearly every cell left blank, a few figures, the 总计 column left blank too."""
    report = Report.blank(format_id, agency="某某县档案馆", year=2020 if format_id == "2019" else 2023)
    for sid, text in PROSE.items():
        report.sections[sid].text = text
    for row in ("new", "disclosed", "total"):
        report.cells[f"s3.{row}.natural"] = 3
    for row in ("new", "partial", "total"):
        report.cells[f"s3.{row}.legal"] = 2
    report.cells["s4.review.upheld"] = 1
    return report


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_one_cell_per_line_with_empty_lines_for_blanks_reads_a_nearly_blank_table(format_id: str) -> None:
    report = sparse_report(format_id)
    result = parse_text(crawler_lines(report), source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells


@pytest.mark.parametrize("name", sorted(WRITERS))
@settings(max_examples=12, deadline=None)
@given(report=reports(blanks=False))
def test_real_layouts_read_every_written_cell_exactly(name: str, report: Report) -> None:
    text = WRITERS[name](report)
    result = parse_text(text, source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells
    assert (result.report.agency, result.report.year) == (report.agency, report.year)
    assert {sid: result.report.prose(sid) for sid in PROSE} == PROSE


@settings(max_examples=12, deadline=None)
@given(report=reports(blanks=True))
def test_crawler_lines_keep_every_blank(report: Report) -> None:
    result = parse_text(crawler_lines(report), source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells


def test_the_synthetic_layouts_have_the_shapes_they_stand_for() -> None:
    report = sparse_report("2021")
    header, body = one_line(report).rstrip("\n").rsplit("\n", 1)
    assert header.endswith("==== 正文 ====")
    assert PAGE_TEXT in body
    assert all(f" {heading} " in body for heading in OFFICIAL_HEADINGS.values())
    markdown = ocr_markdown(report)
    assert WRONG_HEADER in markdown
    assert markdown.index("四、结转下年度继续办理 |") < markdown.index("（七）总计 |")
    assert markdown.count("| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |") == 3


def test_pdf_rows_with_a_label_wrapped_around_the_figures_keep_every_figure() -> None:
    report = consistent_report(
        outcomes={"unprocessed_confirmation": {"natural": 4, "legal": 1}, "disclosed": {"natural": 9}}
    )
    text = flatten(report, "pdf-rows")
    label = "5.要求行政机关确认或重新出具已获取信息"
    line = next(line for line in text.split("\n") if label in line)
    head, figures = line.split(label)
    values = figures.split()
    wrapped = f"{head}5.要求行政机关确认或重新出    {'    '.join(values[:3])}\n具已获取信息    {'    '.join(values[3:])}"
    result = parse_text(text.replace(line, wrapped), source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells


@pytest.mark.parametrize("name", ["one-line", "ocr-markdown"])
@settings(max_examples=15, deadline=None)
@given(report=reports(blanks=True))
def test_real_layouts_with_blank_cells_are_right_or_reported(name: str, report: Report) -> None:
    result = parse_text(WRITERS[name](report), source="t.txt")
    doubtful = {key for ambiguity in result.ambiguities for key in ambiguity.cells}
    wrong = {
        key: (value, result.report.cells[key])
        for key, value in report.cells.items()
        if result.report.cells[key] != (None if key in doubtful else value)
    }
    assert wrong == {}
