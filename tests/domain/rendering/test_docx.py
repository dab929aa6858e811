"""The Word rendering: official title and headings, real tables, merged header cells in the XML."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from domain.formats import OFFICIAL_HEADINGS
from domain.importing.docx import docx_text
from domain.importing.html import html_text
from domain.rendering import render_docx, render_html
from domain.report import Report
from domain.values import format_value

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cell_containing(body: etree._Element, text: str) -> etree._Element:
    cells = [tc for tc in body.iter(f"{W}tc") if "".join(tc.itertext()).strip() == text]
    assert len(cells) == 1, text
    return cells[0]


def _property(cell: etree._Element, name: str) -> str | None:
    element = cell.find(f"{W}tcPr/{W}{name}")
    return None if element is None else element.get(f"{W}val", "continue")


def test_title_and_the_six_headings_are_those_of_the_official_format(report: Report) -> None:
    document = Document(BytesIO(render_docx(report)))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].text == "测试市交通运输局2023年政府信息公开工作年度报告"
    headings = [p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == list(OFFICIAL_HEADINGS.values())
    texts = [p.text for p in paragraphs]
    assert "二是解读形式比较单一。" in texts
    assert texts.index("二是解读形式比较单一。") > texts.index("五、存在的主要问题及改进情况")
    assert len(document.tables) == 3


def test_header_cells_are_merged_with_grid_span_and_vertical_merge(report: Report) -> None:
    body = etree.fromstring(Document(BytesIO(render_docx(report))).element.xml.encode())
    assert _property(_cell_containing(body, "法人或其他组织"), "gridSpan") == "5"
    assert _property(_cell_containing(body, "申请人情况"), "gridSpan") == "7"
    assert _property(_cell_containing(body, "行政诉讼"), "gridSpan") == "10"
    outcome = _cell_containing(body, "三、本年度办理结果")
    assert _property(outcome, "vMerge") == "restart"
    table = next(t for t in body.iter(f"{W}tbl") if outcome in t.iter(f"{W}tc"))
    first_cells = [row.find(f"{W}tc") for row in table.findall(f"{W}tr")]
    below = first_cells[first_cells.index(outcome) + 1 :]
    merged_down = [cell for cell in below if _property(cell, "vMerge") == "continue"]
    expected = len(report.format.s3_outcome_rows)  # the rows under it, down to （七）总计
    assert len(merged_down) == expected
    withheld = _cell_containing(body, "（三）不予公开")
    assert _property(withheld, "vMerge") == "restart"
    header_rows = [row for row in table.findall(f"{W}tr") if row.find(f"{W}trPr/{W}tblHeader") is not None]
    assert len(header_rows) == 3


def test_every_value_sits_under_its_headers_and_blank_cells_stay_empty(report: Report) -> None:
    document = Document(BytesIO(render_docx(report)))
    table = document.tables[1]
    labels = [row.cells[2].text for row in table.rows]
    secret = table.rows[labels.index("1.属于国家秘密")].cells
    assert [cell.text for cell in secret[3:]] == [
        format_value(report.cells[f"s3.withheld_secret.{column}"])
        for column in ("natural", "commercial", "research", "nonprofit", "legal", "other", "total")
    ]
    blank = [key for key, value in report.cells.items() if value is None and key.startswith("s3.")]
    assert blank, "the fixture leaves some cells blank"
    texts = docx_text(render_docx(report), source="测试.docx")
    assert "\t0\n" not in texts


def test_money_is_written_in_ten_thousand_yuan_as_the_export_writes_it(report: Report) -> None:
    money = next(key for key in report.cells if key.endswith(".amount"))
    document = Document(BytesIO(render_docx(report)))
    written = {cell.text for row in document.tables[0].rows for cell in row.cells}
    assert format_value(report.cells[money]) in written
    assert any("万元" in text for text in written)


def test_word_and_html_renderings_flatten_to_the_same_table_text(report: Report) -> None:
    from_word = [line for line in docx_text(render_docx(report), source="a.docx").splitlines() if line]
    from_html = [line for line in html_text(render_html(report), source="a.html").splitlines() if line]
    assert from_word == from_html


def test_the_file_names_its_title_author_language_and_table_titles(report: Report) -> None:
    document = Document(BytesIO(render_docx(report)))
    assert document.core_properties.title == "测试市交通运输局2023年政府信息公开工作年度报告"
    assert document.core_properties.language == "zh-CN"
    assert document.core_properties.author == "测试市交通运输局"
    assert "python-docx" not in document.core_properties.comments
    captions = [element.get(qn("w:val")) for element in document.element.body.iter(qn("w:tblCaption"))]
    assert captions == [
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
    ]
