"""Round trip: a report rendered to Word or HTML imports back to the same report.

Runs over every example report in ../shared/reports, and over reports with a different figure in every
cell, blank cells, decreases and money, in both formats and the legacy variant.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from domain.formats import SECTION_IDS
from domain.importing import ImportResult, read_report
from domain.importing.docx import read_docx
from domain.importing.html import read_html
from domain.rendering import render_docx, render_html
from domain.report import Report

from .conftest import REPORTS, filled_report

EXAMPLES = sorted(REPORTS.glob("*.txt"))

BACK: dict[str, Callable[[Report], ImportResult]] = {
    "docx": lambda report: read_docx(render_docx(report), source="渲染.docx", partial_ok=True),
    "html": lambda report: read_html(render_html(report), source="渲染.html", partial_ok=True),
}


def assert_same_report(back: Report, original: Report) -> None:
    assert (back.agency, back.year) == (original.agency, original.year)
    assert (back.format.id, back.format.variant) == (original.format.id, original.format.variant)
    differing = {key: (original.cells[key], back.cells.get(key)) for key in original.cells}
    assert {key: pair for key, pair in differing.items() if pair[0] != pair[1]} == {}
    assert back.cells.keys() == original.cells.keys()
    for section in SECTION_IDS:
        assert back.prose(section) == original.prose(section), section


def test_all_example_reports_take_part() -> None:
    formats = {read_report(path).report.format.id.value for path in EXAMPLES}
    assert len(EXAMPLES) >= 7
    assert formats == {"2019", "2021"}


@pytest.mark.parametrize("kind", sorted(BACK))
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: Path(path).stem)
def test_every_example_report_imports_back_identically(path: Path, kind: str) -> None:
    original = read_report(path)
    back = BACK[kind](original.report)
    assert back.ambiguities == []
    assert_same_report(back.report, original.report)


@pytest.mark.parametrize("kind", sorted(BACK))
@pytest.mark.parametrize(
    ("format_id", "legacy"),
    [
        pytest.param("2019", False, id="2019"),
        pytest.param("2021", False, id="2021"),
        pytest.param("2021", True, id="2021-legacy"),
    ],
)
def test_any_figures_import_back_identically(format_id: str, legacy: bool, kind: str) -> None:
    original = filled_report(format_id, legacy_other_row=legacy)
    assert_same_report(BACK[kind](original).report, original)


ROWS_2021 = ["new", "carried_in", "disclosed", "withheld_secret", "other_misc", "total", "carried_over"]


@pytest.mark.parametrize("kind", sorted(BACK))
@pytest.mark.parametrize(
    "row",
    list(ROWS_2021),
)
def test_a_blank_cell_at_the_end_of_any_row_stays_blank(row: str, kind: str) -> None:
    original = filled_report("2021")
    for key, value in original.cells.items():
        original.cells[key] = 1 if value is None else value
    original.cells[f"s3.{row}.total"] = None
    assert_same_report(BACK[kind](original).report, original)
