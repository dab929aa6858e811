"""The .docx and .html importers: documents agencies made themselves, and anything that is no report."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from io import BytesIO

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import NotAReportError
from domain.importing import read_report
from domain.importing.docx import docx_text, read_docx
from domain.importing.html import html_text, read_html
from domain.rendering import render_docx

from .agency_documents import tab_layout_blocks, web_page, word_document
from .conftest import REPORTS, filled_report
from .test_round_trip import assert_same_report

TAB_LAYOUT_EXAMPLES = ["000_0aa99e0fac0e428e", "002_eb31c528b5a40be4"]
CJK = re.compile(r"[\u4e00-\u9fff]")
NOTICE = "关于召开二〇二四年第一季度安全生产工作会议的通知。各科室：经研究，定于下周一上午九时在三楼会议室召开会议，请准时参加。"


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def _rendered_2021() -> bytes:
    return render_docx(filled_report("2021"))


def _zip(name: str, content: bytes) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("name", TAB_LAYOUT_EXAMPLES)
def test_a_word_document_typed_by_an_agency_reads_like_its_text(name: str) -> None:
    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    original = read_report(REPORTS / f"{name}.txt")
    imported = read_docx(word_document(tab_layout_blocks(text)), source=f"{name}.docx")
    assert_same_report(imported.report, original.report)


@pytest.mark.parametrize("name", TAB_LAYOUT_EXAMPLES)
def test_a_web_page_with_menus_scripts_and_a_layout_table_reads_like_its_text(name: str) -> None:
    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    original = read_report(REPORTS / f"{name}.txt")
    imported = read_html(web_page(tab_layout_blocks(text)), source=f"{name}.html")
    assert_same_report(imported.report, original.report)


def test_merged_cells_appear_once_and_merged_down_cells_as_empty_cells() -> None:
    document = Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "申请人情况"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "法人或其他组织"
    table.cell(1, 1).text = "商业企业"
    table.cell(1, 2).text = "科研机构"
    cell = table.cell(2, 0)
    cell.text = "本年新"
    cell.add_paragraph("制作数量")
    table.cell(2, 1).text = "\t3"
    buffer = BytesIO()
    document.save(buffer)
    lines = docx_text(buffer.getvalue(), source="a.docx").split("\n")
    assert lines[:12] == [
        "\t申请人情况",
        "\t法人或其他组织",
        "",
        "\t",
        "\t商业企业",
        "\t科研机构",
        "",
        "\t本年新",
        "制作数量",
        "\t3",
        "\t",
        "",
    ]


def test_a_report_inside_a_one_cell_frame_is_read_through() -> None:
    report = filled_report("2021")
    framed = Document()
    frame = framed.add_table(rows=1, cols=1).cell(0, 0)
    original = Document(BytesIO(render_docx(report)))
    frame._tc.remove(frame.paragraphs[0]._p)
    for element in list(original.element.body.iterchildren()):
        if not element.tag.endswith("sectPr"):
            frame._tc.append(element)
    buffer = BytesIO()
    framed.save(buffer)
    assert docx_text(buffer.getvalue(), source="a.docx") == docx_text(render_docx(report), source="b.docx")


def test_prose_indented_with_a_tab_is_not_taken_for_a_table_cell() -> None:
    text = docx_text(_docx("\t（一）主动公开方面。", "正文\t继续"), source="a.docx")
    assert text.splitlines() == [" （一）主动公开方面。", "正文 继续"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some bytes",
        b"PK\x03\x04" + b"\x00" * 40,
        _zip("hello.txt", b"hello"),
        _zip("[Content_Types].xml", b"<Types/>"),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
    ],
    ids=["empty", "bytes", "truncated-zip", "zip-of-text", "zip-without-parts", "pdf"],
)
def test_a_file_that_is_no_word_document_gets_a_clear_chinese_error(data: bytes) -> None:
    with pytest.raises(NotAReportError, match=r"「材料\.docx」无法作为 Word 文档") as error:
        read_docx(data, source="材料.docx")
    assert CJK.search(str(error.value))


def test_a_word_document_without_the_tables_is_not_a_report() -> None:
    with pytest.raises(NotAReportError) as error:
        read_docx(_docx(NOTICE, NOTICE), source="通知.docx")
    assert "通知.docx" in str(error.value)


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><body></body></html>",
        f"<html><head><title>新闻</title></head><body><h1>会议通知</h1><p>{NOTICE}</p></body></html>",
        f"<table><tr><td>{NOTICE}</td><td>1</td></tr></table>",
    ],
    ids=["empty", "empty-page", "news", "other-table"],
)
def test_a_web_page_that_is_no_report_gets_a_clear_chinese_error(page: str) -> None:
    with pytest.raises(NotAReportError) as error:
        read_html(page, source="页面.html")
    assert CJK.search(str(error.value))


def test_a_page_nested_beyond_reason_gets_a_clear_error() -> None:
    with pytest.raises(NotAReportError, match="嵌套过深"):
        read_html("<div>" * 5000 + "三、收到和处理政府信息公开申请情况", source="页面.html")


def test_row_spans_in_html_become_empty_cells_as_in_word() -> None:
    page = (
        "<table><tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>5</td></tr>"
        "<tr><td>（三）不予公开</td><td rowspan='2'>1.属于国家秘密</td><td>0</td></tr>"
        "<tr><td>x</td><td>7</td></tr></table>"
    )
    assert html_text(page, source="a.html").split("\n") == [
        "\t三、本年度办理结果",
        "\t（一）予以公开",
        "\t5",
        "",
        "\t",
        "\t（三）不予公开",
        "\t1.属于国家秘密",
        "\t0",
        "",
        "\tx",
        "\t7",
        "\t",
        "",
    ]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_any_bytes_give_a_report_or_a_clear_error(data: bytes) -> None:
    with pytest.raises(NotAReportError):
        read_docx(data, source="x.docx")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_word_file_gives_a_clear_error_or_a_report(data: st.DataObject) -> None:
    document = bytearray(_rendered_2021())
    for _ in range(data.draw(st.integers(1, 5))):
        document[data.draw(st.integers(0, len(document) - 1))] = data.draw(st.integers(0, 255))
    try:
        read_docx(bytes(document), source="x.docx", partial_ok=True)
    except NotAReportError as error:
        message = str(error)
    else:
        message = "读取成功"
    assert CJK.search(message)


MARKUP = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td rowspan=3>",
        "<td colspan=x>",
        "<th>",
        "</td>",
        "<br>",
        "<p>",
        "</p>",
        "<!--",
        "-->",
        "<![if !supportLists]>",
        "<![endif]>",
        "<script>",
        "</script>",
        "&nbsp;",
        "&#x0;",
        "\t",
        "\n",
        "三、收到和处理政府信息公开申请情况",
        "1",
        "<caption>",
        "</caption>",
        "<div>",
        "</div>",
    ]
)


@settings(max_examples=200)
@given(st.lists(MARKUP | st.text(max_size=5), max_size=40))
def test_any_markup_flattens_without_error(parts: list[str]) -> None:
    text = html_text("".join(parts), source="x.html")
    assert all(not line.startswith("\t") or "\n" not in line for line in text.splitlines())
    try:
        read_html("".join(parts), source="x.html")
    except NotAReportError as error:
        message = str(error)
    else:
        message = "读取成功"
    assert CJK.search(message)
