"""Every example report imports to exactly the figures it states (golden files read by hand)."""

from pathlib import Path

import pytest

from domain.importing import read_report
from domain.values import format_value

REPORTS = Path(__file__).resolve().parents[4] / "shared" / "reports"
GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden" / "cells"
EXAMPLES = sorted(REPORTS.glob("*.txt")) if REPORTS.exists() else []

pytestmark = pytest.mark.skipif(not EXAMPLES, reason="shared/reports is not beside this checkout")


def _golden(path: Path) -> list[tuple[str, str]]:
    lines = (GOLDEN / f"{path.stem}.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines]  # type: ignore[misc]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_cell_is_the_value_the_report_states(path: Path) -> None:
    result = read_report(path)
    report = result.report
    got = [
        ("meta.agency", report.agency),
        ("meta.year", str(report.year)),
        ("meta.format", report.format.id.value),
    ]
    got += [(spec.key, format_value(report.cells[spec.key])) for spec in report.format.table_cells]
    assert got == _golden(path)
    assert result.ambiguities == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_all_six_sections_are_found_with_their_prose(path: Path) -> None:
    report = read_report(path).report
    assert list(report.sections) == ["s1", "s2", "s3", "s4", "s5", "s6"]
    for section in ("s1", "s5", "s6"):
        assert report.prose(section).strip()
    assert "关于我们" not in report.prose("s6")


def test_money_without_a_unit_is_kept_as_written_with_a_note() -> None:
    report = read_report(next(p for p in EXAMPLES if p.name.startswith("004"))).report
    assert format_value(report.cells["s2.art20_9.procurement.amount"]) == "63.2"
    assert "单位" in report.notes["s2.art20_9.procurement.amount"]


def test_money_in_yuan_is_converted_to_ten_thousands() -> None:
    report = read_report(next(p for p in EXAMPLES if p.name.startswith("002"))).report
    assert format_value(report.cells["s2.art20_9.procurement.amount"]) == "2.577"
    assert "s2.art20_9.procurement.amount" not in report.notes


def test_run_together_cells_that_prose_disambiguates_say_so() -> None:
    result = read_report(next(p for p in EXAMPLES if "concatenated" in p.name))
    assert any("正文" in warning for warning in result.warnings)
