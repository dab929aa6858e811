"""Every example report imports to exactly the figures it states, cell by cell against the shared goldens.

``../shared/reports/golden/NAME.cells`` holds ``key<TAB>value`` for every cell of the report's format:
an empty value is a blank cell, ``?`` a cell the text cannot decide (it must be exported blank and listed
among the ambiguities, with its candidates), anything else the figure as exported.
"""

from pathlib import Path

import pytest

from domain.importing import ImportResult, read_report
from domain.values import format_value

REPORTS = Path(__file__).resolve().parents[4] / "shared" / "reports"
GOLDEN = REPORTS / "golden"
EXAMPLES = sorted(REPORTS.glob("*.txt")) if REPORTS.exists() else []
UNDECIDABLE = "?"

pytestmark = pytest.mark.skipif(not EXAMPLES, reason="shared/reports is not beside this checkout")


def _golden(path: Path) -> dict[str, str]:
    golden = GOLDEN / f"{path.stem}.cells"
    if not golden.is_file():
        pytest.fail(f"example report {path.name} has no golden cells: add {golden}", pytrace=False)
    lines = golden.read_text(encoding="utf-8").splitlines()
    return dict(line.partition("\t")[::2] for line in lines if line)


def _exported(result: ImportResult) -> dict[str, str]:
    report = result.report
    cells = {
        "meta.agency": report.agency,
        "meta.year": str(report.year),
        "meta.format": report.format.id.value,
    }
    cells.update({spec.key: format_value(report.cells[spec.key]) for spec in report.format.table_cells})
    return cells


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_cell_is_the_value_the_report_states(path: Path) -> None:
    expected = _golden(path)
    result = read_report(path)
    got = _exported(result)
    assert got.keys() == expected.keys()
    wrong = {
        key: (want, got[key])
        for key, want in expected.items()
        if got[key] != ("" if want == UNDECIDABLE else want)
    }
    assert wrong == {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_exactly_the_undecidable_cells_are_reported_with_candidates(path: Path) -> None:
    expected = _golden(path)
    result = read_report(path)
    doubtful = {key for ambiguity in result.ambiguities for key in ambiguity.cells}
    assert doubtful == {key for key, value in expected.items() if value == UNDECIDABLE}
    assert all(len(ambiguity.candidates) > 1 for ambiguity in result.ambiguities)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_all_six_sections_are_found_with_their_prose(path: Path) -> None:
    report = read_report(path).report
    assert list(report.sections) == ["s1", "s2", "s3", "s4", "s5", "s6"]
    for section in ("s1", "s5", "s6"):
        assert report.prose(section).strip()
    assert "关于我们" not in report.prose("s6")


def test_an_example_without_golden_cells_fails_naming_the_missing_file(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"has no golden cells: add .*999_new\.cells"):
        _golden(tmp_path / "999_new.txt")


def test_money_without_a_unit_is_kept_as_written_with_a_note() -> None:
    report = read_report(next(p for p in EXAMPLES if p.name.startswith("004"))).report
    assert format_value(report.cells["s2.art20_9.procurement.amount"]) == "63.2"
    assert "单位" in report.notes["s2.art20_9.procurement.amount"]


def test_money_in_yuan_is_converted_to_ten_thousands() -> None:
    report = read_report(next(p for p in EXAMPLES if p.name.startswith("002"))).report
    assert format_value(report.cells["s2.art20_9.procurement.amount"]) == "2.577"
    assert "s2.art20_9.procurement.amount" not in report.notes
