"""Input that must never crash the importer: foreign digits, superscripts, endless numbers, money past
exact precision, huge files and zip bombs. Each ends in a Chinese reason, never a traceback."""

import io
import resource
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import FigureError, FigureRangeError, NianbaoError, NotAReportError
from domain.formats import report_format
from domain.importing import parse_text, read_bytes, read_report
from domain.importing.limits import MAX_DOCX_EXPANDED, MAX_TEXT_BYTES
from domain.report import Report
from domain.values import parse_cell, parse_money
from tests.domain.importing.flattening import flatten
from tests.domain.importing.real_layouts import PAGE_TEXT, one_line

PROSE = {"s1": "本年度依法推进政府信息公开工作。", "s5": "一是公开质量有待提高。", "s6": "无。"}


def _report() -> Report:
    report = Report.blank("2021", agency="某某县交通运输局", year=2023)
    for key in report.cells:
        report.cells[key] = 0
    for row in ("new", "disclosed", "total"):
        report.cells[f"s3.{row}.natural"] = 12
        report.cells[f"s3.{row}.total"] = 12
    report.cells["s2.art20_5.licensing.decisions"] = 345
    report.cells["s2.art20_8.fees.amount"] = Decimal("14957.701682")
    for sid, text in PROSE.items():
        report.sections[sid].text = text
    return report


def _text(layout: str = "tab") -> str:
    return flatten(_report(), layout)


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("¹", "SUPERSCRIPT ONE"),
        ("③", "CIRCLED DIGIT THREE"),
        ("٣", "ARABIC-INDIC DIGIT THREE"),
        ("३", "DEVANAGARI DIGIT THREE"),
        ("໓", "LAO DIGIT THREE"),
    ],
)
@pytest.mark.parametrize("layout", ["tab", "pdf-rows", "run-together", "markdown"])
def test_a_digit_of_another_script_in_a_table_is_refused_by_name(
    character: str, name: str, layout: str
) -> None:
    text = _text(layout).replace("345", f"3{character}5", 1)
    with pytest.raises(NotAReportError, match=f"「{character}」.*{name}"):
        parse_text(text, source="t.txt")


def test_full_width_digits_are_read() -> None:
    text = _text().replace("345", "３４５", 1)
    assert parse_text(text, source="t.txt").report.cells["s2.art20_5.licensing.decisions"] == 345


def test_a_number_past_python_int_limits_is_refused_in_a_table_and_ignored_in_prose() -> None:
    huge = "7" * 5000
    with pytest.raises(NotAReportError, match="5000 位"):
        parse_text(_text().replace("345", huge, 1), source="t.txt")
    prose = _text().replace("本年度依法推进", f"共收到申请{huge}件，本年度依法推进", 1)
    result = parse_text(prose, source="t.txt")
    assert result.report.cells["s2.art20_5.licensing.decisions"] == 345


def test_money_past_exact_precision_is_refused_never_rounded() -> None:
    nines = "14957." + "9" * 35 + "万元"
    with pytest.raises(FigureRangeError, match="不会四舍五入"):
        parse_money(nines)
    with pytest.raises(NotAReportError, match="不会四舍五入"):
        parse_text(_text().replace("14957.701682", nines[:-2], 1), source="t.txt")


def test_money_is_converted_exactly() -> None:
    assert parse_money("25770元").value == Decimal("2.577")
    assert parse_money("123456789012.345元").value == Decimal("12345678.9012345")
    assert parse_money("14957.701682万元").value == Decimal("14957.701682")


@pytest.mark.parametrize("typed", ["٣", "1²", "9" * 5000, "1" * 13])
def test_typed_figures_outside_the_digits_or_the_range_are_refused(typed: str) -> None:
    spec = report_format("2021").cell("s3.new.natural")
    with pytest.raises(FigureError):
        parse_cell(spec, typed)


def test_a_text_file_larger_than_any_report_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(MAX_TEXT_BYTES + 1)
    with pytest.raises(NotAReportError, match="文件过大"):
        read_report(big)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (MAX_DOCX_EXPANDED + 1))
    return buffer.getvalue()


def test_a_docx_that_expands_past_the_bound_is_refused_without_expanding() -> None:
    bomb = _zip_bomb()
    assert len(bomb) < MAX_DOCX_EXPANDED // 100
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(NotAReportError, match="解压后过大"):
        read_bytes(bomb, source="炸弹.docx")
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 20_000


_NOISE = st.sampled_from(
    ["¹", "③", "٣", "०", "０", "9" * 80, "减", "元", "万元", ".", "\t", "\n", "|", " ", "、", "0"]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), layout=st.sampled_from(["tab", "pdf-rows", "run-together", "markdown", "lines"]))
def test_mutated_reports_end_in_a_reading_or_a_chinese_refusal(data: st.DataObject, layout: str) -> None:
    text = _text(layout)
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:position] + data.draw(_NOISE | st.text(max_size=3)) + text[position + cut :]
    try:
        result = parse_text(text, source="t.txt")
    except NianbaoError as error:
        refusal = str(error)
    else:
        assert result.report.cells.keys() == _report().cells.keys()
        return
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refusal)


def test_circled_numbers_that_number_points_of_prose_between_table_rows_are_words() -> None:
    report = _report()
    text = one_line(report).replace(PAGE_TEXT, "（二）主要类别：①政策解读；②工作动态。")
    assert "①政策解读" in text
    assert parse_text(text, source="t.txt").report.cells == report.cells
