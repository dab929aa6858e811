"""The key<TAB>value export: meta first, then every cell of the format variant in cells.tsv order."""

from decimal import Decimal

import pytest

import schemas
from domain.export import cell_lines, render_cell_lines
from domain.report import Report


def _tsv_keys(format_id: str) -> list[str]:
    return [key for fmt, key, _, _ in schemas.cell_rows() if fmt == format_id]


@pytest.mark.parametrize("format_id", schemas.FORMAT_IDS)
def test_lines_follow_cells_tsv_order_exactly(format_id: str) -> None:
    report = Report.blank(format_id, agency="区信访办", year=2019)
    assert [key for key, _ in cell_lines(report)] == _tsv_keys(format_id)


def test_meta_values_and_blank_versus_written_zero() -> None:
    report = Report.blank("2021", agency="淮安市人民政府", year=2024)
    report.set_cell("s3.new.natural", 0)
    report.set_cell("s3.new.total", 3119)
    lines = dict(cell_lines(report))
    assert lines["meta.agency"] == "淮安市人民政府"
    assert lines["meta.year"] == "2024"
    assert lines["meta.format"] == "2021"
    assert lines["s3.new.natural"] == "0"
    assert lines["s3.new.commercial"] == ""
    assert lines["s3.new.total"] == "3119"


def test_unknown_year_is_exported_empty() -> None:
    report = Report.blank("2021", agency="某局", year=None)
    assert cell_lines(report)[1] == ("meta.year", "")


def test_money_in_ten_thousand_yuan_without_exponent_and_negative_changes() -> None:
    report = Report.blank("2019", agency="区工信局", year=2019)
    report.set_cell("s2.art20_9.procurement.amount", Decimal("2.577"))
    report.set_cell("s2.art20_6.coercion.change", -3)
    lines = dict(cell_lines(report))
    assert lines["s2.art20_9.procurement.amount"] == "2.577"
    assert lines["s2.art20_6.coercion.change"] == "-3"
    report.set_cell("s2.art20_9.procurement.amount", Decimal("1E+2"))
    assert dict(cell_lines(report))["s2.art20_9.procurement.amount"] == "100"


def test_legacy_variant_puts_the_seven_single_row_cells_where_the_three_rows_stand() -> None:
    report = Report.blank("2021", agency="某局", year=2022, legacy_other_row=True)
    keys = [key for key, _ in cell_lines(report)]
    standard = _tsv_keys("2021")
    first = standard.index("s3.other_no_correction.natural")
    single_row = [
        f"s3.other.{c}" for c in ("natural", "commercial", "research", "nonprofit", "legal", "other", "total")
    ]
    assert keys[first : first + 7] == single_row
    assert keys[first + 7 :] == standard[first + 21 :]
    assert keys[:first] == standard[:first]


def test_rendered_text_is_one_tab_separated_line_per_cell() -> None:
    report = Report.blank("2019", agency="区信访办", year=2019)
    text = render_cell_lines(report)
    assert text.splitlines()[0] == "meta.agency\t区信访办"
    assert len(text.splitlines()) == len(_tsv_keys("2019"))
    assert text.endswith("\n")
