"""Reports with arbitrary figures survive every flattened layout; run-together cells are never guessed."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.formats import S3_APPLICANT_COLUMNS, S4_COLUMNS, S4_GROUPS, CellKind
from domain.importing import parse_text
from domain.report import Report
from tests.domain.importing.flattening import LAYOUTS, flatten

PROSE = {
    "s1": "本年度依法推进政府信息公开工作，全面完成各项任务。",
    "s5": "一是公开质量有待提高。二是将加强培训。",
    "s6": "无。",
}


def _counts(blank: bool) -> st.SearchStrategy[int | None]:
    numbers = st.one_of(st.just(0), st.integers(0, 40), st.integers(0, 5000))
    return st.one_of(numbers, st.none()) if blank else numbers


@st.composite
def reports(draw: st.DrawFn, *, blanks: bool) -> Report:
    format_id = draw(st.sampled_from(["2019", "2021"]))
    report = Report.blank(
        format_id, agency="某某县人民政府办公室", year=2020 if format_id == "2019" else 2023
    )
    for sid, text in PROSE.items():
        report.sections[sid].text = text
    fmt = report.format
    for spec in fmt.section_cells("s2"):
        if spec.kind is CellKind.CHANGE:
            report.cells[spec.key] = draw(st.integers(-300, 300))
        elif spec.kind is CellKind.MONEY:
            report.cells[spec.key] = Decimal(draw(st.integers(0, 10**7))) / 100
        else:
            report.cells[spec.key] = draw(_counts(blanks))
    for row in (*fmt.s3_outcome_rows, "carried_over", "carried_in"):
        for column in S3_APPLICANT_COLUMNS:
            report.cells[f"s3.{row}.{column}"] = draw(_counts(blanks))
    for column in S3_APPLICANT_COLUMNS:
        total = sum(report.number(f"s3.{row}.{column}") for row in fmt.s3_outcome_rows)
        report.cells[f"s3.total.{column}"] = total
        carried = report.number(f"s3.carried_in.{column}")
        report.cells[f"s3.carried_in.{column}"] = min(carried, total)
        new = total + report.number(f"s3.carried_over.{column}") - report.number(f"s3.carried_in.{column}")
        report.cells[f"s3.new.{column}"] = new
    for row in fmt.s3_rows:
        report.cells[f"s3.{row}.total"] = sum(report.number(f"s3.{row}.{c}") for c in S3_APPLICANT_COLUMNS)
    for group in S4_GROUPS:
        parts = [draw(_counts(blanks)) for _ in S4_COLUMNS[:-1]]
        for column, value in zip(S4_COLUMNS, [*parts, sum(p or 0 for p in parts)], strict=True):
            report.cells[f"s4.{group}.{column}"] = value
    return report


@pytest.mark.parametrize("layout", ["tab", "blank-lines", "lines", "markdown", "tsv"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=reports(blanks=True))
def test_separated_layouts_keep_every_cell_and_every_blank(layout: str, report: Report) -> None:
    result = parse_text(flatten(report, layout), source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells
    assert (result.report.agency, result.report.year) == (report.agency, report.year)
    assert result.report.format.id == report.format.id
    assert {sid: result.report.prose(sid) for sid in PROSE} == PROSE


@settings(max_examples=40, deadline=None)
@given(report=reports(blanks=False))
def test_pdf_rows_with_every_cell_written_read_back_exactly(report: Report) -> None:
    result = parse_text(flatten(report, "pdf-rows"), source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells


@settings(max_examples=60, deadline=None)
@given(report=reports(blanks=True))
def test_pdf_rows_that_lost_blank_cells_never_guess_silently(report: Report) -> None:
    """A PDF row that dropped its blank cells: each value is right or reported as ambiguous, never wrong."""
    _assert_right_or_reported(report, "pdf-rows")


@settings(max_examples=40, deadline=None)
@given(report=reports(blanks=False))
def test_run_together_cells_are_split_right_or_reported(report: Report) -> None:
    _assert_right_or_reported(report, "run-together")


def _assert_right_or_reported(report: Report, layout: str) -> None:
    result = parse_text(flatten(report, layout), source="t.txt")
    doubtful = {key for ambiguity in result.ambiguities for key in ambiguity.cells}
    for key, value in report.cells.items():
        read = result.report.cells[key]
        if key in doubtful:
            assert read is None, key
        else:
            assert read == value, key


def test_all_layouts_are_exercised() -> None:
    assert set(LAYOUTS) == {"tab", "blank-lines", "lines", "markdown", "tsv", "pdf-rows", "run-together"}


@pytest.mark.parametrize("layout", ["tab", "blank-lines", "pdf-rows"])
def test_a_2021_report_keeping_the_single_2019_other_row_is_read_as_that_variant(layout: str) -> None:
    report = Report.blank("2021", agency="某某市教育局", year=2022, legacy_other_row=True)
    for sid, text in PROSE.items():
        report.sections[sid].text = text
    for key in report.cells:
        report.cells[key] = 0
    for column, value in (("natural", 4), ("commercial", 1), ("total", 5)):
        for row in ("other", "total", "new"):
            report.cells[f"s3.{row}.{column}"] = value
    result = parse_text(flatten(report, layout), source="t.txt")
    assert result.report.format.variant == "legacy_other"
    assert result.report.cells == report.cells


def test_pdf_rows_with_thousands_separators_read_as_whole_numbers() -> None:
    report = Report.blank("2021", agency="某某市人民政府", year=2023)
    for sid, text in PROSE.items():
        report.sections[sid].text = text
    for key in report.cells:
        report.cells[key] = 0
    for row in ("new", "unavailable_not_held", "total"):
        report.cells[f"s3.{row}.natural"] = 3119
        report.cells[f"s3.{row}.total"] = 3119
    text = flatten(report, "pdf-rows").replace("3119", "3,119")
    result = parse_text(text, source="t.txt")
    assert result.ambiguities == []
    assert result.report.cells == report.cells
