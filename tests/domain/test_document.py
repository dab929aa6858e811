"""The report document: valid against the schema, exact round trip, clear Chinese refusals."""

import json
from decimal import Decimal
from typing import Any

import pytest

from domain.document import from_document, render_json, to_document, validator
from domain.errors import DocumentError
from domain.report import Report


def _filled_report(format_id: str = "2019", *, legacy: bool = False) -> Report:
    report = Report.blank(format_id, agency="天津市红桥区人民政府", year=2020, legacy_other_row=legacy)
    for number, key in enumerate(report.cells):
        report.set_cell(key, number % 7)
    report.sections["s1"].text = "2020年全年共收到政府信息公开申请300件。"
    report.notes[next(iter(report.cells))] = "原文未注明单位，按原数字导出"
    return report


@pytest.mark.parametrize(("format_id", "legacy"), [("2019", False), ("2021", False), ("2021", True)])
def test_document_round_trips_through_json_text(format_id: str, legacy: bool) -> None:
    report = _filled_report(format_id, legacy=legacy)
    assert from_document(json.loads(render_json(report))) == report


@pytest.mark.parametrize("amount", ["14957.701682", "2.577", "96171.6", "0.0001", "123456789.123456"])
def test_money_survives_the_round_trip_exactly(amount: str) -> None:
    report = Report.blank("2019", agency="区工信局", year=2019)
    report.set_cell("s2.art20_9.procurement.amount", Decimal(amount))
    document = json.loads(render_json(report))
    assert document["sections"]["s2"]["cells"]["s2.art20_9.procurement.amount"] == float(amount)
    restored = from_document(document).cells["s2.art20_9.procurement.amount"]
    assert restored == Decimal(amount)
    assert str(restored) == amount


def test_document_has_the_documented_shape() -> None:
    report = Report.blank("2021", agency="淮安市人民政府", year=2024)
    report.set_cell("s3.new.natural", 3001)
    document = to_document(report)
    assert document["meta"] == {
        "agency": "淮安市人民政府",
        "year": 2024,
        "format": "2021",
        "variant": "standard",
    }
    assert list(document["sections"]) == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert document["sections"]["s1"] == {"heading": "一、总体情况", "text": ""}
    assert document["sections"]["s3"]["cells"]["s3.new.natural"] == 3001
    assert document["sections"]["s3"]["cells"]["s3.new.commercial"] is None
    assert validator("2021").is_valid(document)


def test_missing_sections_stay_missing_and_keep_their_order() -> None:
    report = Report.blank("2021", agency="某局", year=2022)
    report.sections = {sid: report.sections[sid] for sid in ("s2", "s1", "s3")}
    restored = from_document(to_document(report))
    assert list(restored.sections) == ["s2", "s1", "s3"]


def _document() -> dict[str, Any]:
    return to_document(Report.blank("2021", agency="某局", year=2022))


def _problems(document: dict[str, Any]) -> str:
    with pytest.raises(DocumentError) as caught:
        from_document(document)
    return str(caught.value)


def test_negative_count_is_refused_with_the_cell_named() -> None:
    document = _document()
    document["sections"]["s3"]["cells"]["s3.new.natural"] = -1
    message = _problems(document)
    assert "三、本年新收政府信息公开申请数量 自然人" in message
    assert "不能为负数" in message


def test_decimal_count_and_text_are_refused() -> None:
    document = _document()
    document["sections"]["s4"]["cells"]["s4.review.total"] = 1.5
    document["sections"]["s4"]["cells"]["s4.review.upheld"] = "三"
    message = _problems(document)
    assert "四、行政复议 总计" in message
    assert "四、行政复议 结果维持" in message


def test_unknown_cell_is_refused() -> None:
    document = _document()
    document["sections"]["s3"]["cells"]["s3.other.natural"] = 1
    assert "s3.other.natural" in _problems(document)


def test_legacy_variant_takes_the_single_other_row_instead_of_the_three() -> None:
    report = Report.blank("2021", agency="某局", year=2022, legacy_other_row=True)
    report.set_cell("s3.other.natural", 4)
    document = to_document(report)
    assert document["meta"]["variant"] == "legacy_other"
    assert from_document(document).cells["s3.other.natural"] == 4
    document["sections"]["s3"]["cells"]["s3.other_misc.natural"] = 1
    assert "s3.other_misc.natural" in _problems(document)


def test_legacy_variant_does_not_exist_in_the_2019_format() -> None:
    document = to_document(Report.blank("2019", agency="某局", year=2019))
    document["meta"]["variant"] = "legacy_other"
    assert "meta/variant" in _problems(document)


def test_unknown_format_and_missing_meta_are_refused() -> None:
    assert "2019 或 2021" in _problems({"meta": {"agency": "某局", "year": 2022, "format": "2030"}})
    assert "2019 或 2021" in _problems({"sections": {}})
    document = _document()
    del document["meta"]["agency"]
    assert "agency" in _problems(document)


def test_document_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(DocumentError, match="JSON 对象"):
        from_document([1, 2])  # type: ignore[arg-type]


def test_figures_of_a_table_whose_heading_is_missing_survive_the_document() -> None:
    report = Report.blank("2021", agency="某县政府办公室", year=2023)
    del report.sections["s3"]
    report.cells["s3.new.natural"] = 5
    back = from_document(to_document(report))
    assert back.cells["s3.new.natural"] == 5
    assert "s3" not in back.sections
