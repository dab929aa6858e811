from pathlib import Path

import pytest

import schemas
from domain.formats import CellKind, format_for_year, report_format

SHARED_CELLS = Path(__file__).resolve().parents[3] / "shared" / "format" / "cells.tsv"


@pytest.mark.skipif(not SHARED_CELLS.exists(), reason="shared/ is not beside this checkout")
def test_packaged_cell_catalogue_is_the_shared_contract() -> None:
    packaged = Path(schemas.__file__).with_name("cells.tsv").read_text(encoding="utf-8")
    assert packaged == SHARED_CELLS.read_text(encoding="utf-8")


def test_each_format_lists_its_cells_in_contract_order() -> None:
    rows = schemas.cell_rows()
    for fid in ("2019", "2021"):
        expected = [key for fmt, key, _, _ in rows if fmt == fid]
        assert list(report_format(fid).keys) == expected


def test_legacy_variant_replaces_the_three_2021_other_rows_with_the_single_2019_row() -> None:
    legacy = report_format("2021", legacy_other_row=True)
    rows = legacy.s3_rows
    assert "other" in rows
    assert not {"other_no_correction", "other_no_fee", "other_misc"} & set(rows)
    assert rows.index("other") == rows.index("total") - 1
    assert len(legacy.section_cells("s3")) == 7 * 23


def test_cell_kinds_follow_units() -> None:
    f2019 = report_format("2019")
    assert f2019.cell("s2.art20_9.procurement.amount").kind is CellKind.MONEY
    assert f2019.cell("s2.art20_5.licensing.change").kind is CellKind.CHANGE
    assert f2019.cell("s3.new.natural").kind is CellKind.COUNT
    assert report_format("2021").cell("s2.art20_8.fees.amount").kind is CellKind.MONEY


def test_format_by_report_year() -> None:
    assert format_for_year(2019).value == "2019"
    assert format_for_year(2020).value == "2019"
    assert format_for_year(2021).value == "2021"
