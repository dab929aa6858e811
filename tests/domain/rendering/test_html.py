"""The HTML page: standalone, accessible (a check written here), escaped, laid out like the form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from domain.formats import OFFICIAL_HEADINGS
from domain.importing.html import html_text
from domain.rendering import render_html
from domain.report import Report
from domain.values import format_value


@dataclass
class _Table:
    caption: str | None = None
    first_child: str | None = None
    rows: list[list[tuple[int, int]]] = field(default_factory=list)  # (colspan, rowspan) per cell


class _Audit(HTMLParser):
    """Collects what a basic accessibility review looks at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.texts: dict[str, list[str]] = {"title": [], "h1": [], "h2": [], "caption": []}
        self.tables: list[_Table] = []
        self.th_scopes: list[str | None] = []
        self._open_text: str | None = None
        self._buffer = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        values = dict(attrs)
        if tag in self.texts:
            self._open_text, self._buffer = tag, ""
        if tag == "table":
            self.tables.append(_Table())
        elif self.tables and self.tables[-1].first_child is None:
            self.tables[-1].first_child = tag
        if tag == "tr":
            self.tables[-1].rows.append([])
        if tag in ("td", "th"):
            self.tables[-1].rows[-1].append(
                (int(values.get("colspan") or 1), int(values.get("rowspan") or 1))
            )
        if tag == "th":
            self.th_scopes.append(values.get("scope"))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open_text:
            self.texts[tag].append(self._buffer.strip())
            if tag == "caption":
                self.tables[-1].caption = self._buffer.strip()
            self._open_text = None

    def handle_data(self, data: str) -> None:
        if self._open_text:
            self._buffer += data


def audit(page: str) -> _Audit:
    checker = _Audit()
    checker.feed(page)
    checker.close()
    return checker


def _grid_is_rectangular(table: _Table) -> bool:
    """Every row, counting cells reaching down from rows above, covers the same number of columns."""
    reaching: list[int] = []  # rows still covered, per column
    widths = []
    for row in table.rows:
        width = sum(1 for left in reaching if left > 0)
        covered = [left - 1 for left in reaching]
        for colspan, rowspan in row:
            width += colspan
            covered += [rowspan - 1] * colspan
        reaching = [left for left in covered if left > 0]
        widths.append(width)
    return len(set(widths)) == 1 and not reaching


def test_the_page_passes_a_basic_accessibility_check(report: Report) -> None:
    page = render_html(report)
    result = audit(page)
    assert page.startswith("<!DOCTYPE html>\n")
    assert ("html", "lang", "zh-CN") in result.attributes
    assert ("meta", "charset", "utf-8") in result.attributes
    assert result.texts["title"] == ["测试市交通运输局2023年政府信息公开工作年度报告"]
    assert result.texts["h1"] == result.texts["title"]
    assert result.texts["h2"] == list(OFFICIAL_HEADINGS.values())
    assert len(result.tables) == 3
    for table in result.tables:
        assert table.first_child == "caption"
        assert table.caption
        assert _grid_is_rectangular(table)
    assert result.th_scopes
    assert set(result.th_scopes) == {"col", "row"}


def test_the_page_is_standalone_without_scripts_or_outside_resources(report: Report) -> None:
    result = audit(render_html(report))
    assert "script" not in result.tags
    assert "link" not in result.tags
    assert not [name for _, name, _ in result.attributes if name.startswith("on") or name in ("src", "href")]


def test_text_from_the_report_is_escaped() -> None:
    report = Report.blank("2021", agency="<script>alert(1)</script>局", year=2024)
    report.sections["s1"].text = '收到申请 <5 件 & 答复"及时"。'
    page = render_html(report)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in page
    assert "收到申请 &lt;5 件 &amp; 答复&quot;及时&quot;。" in page
    assert '收到申请 <5 件 & 答复"及时"。' in html_text(page, source="a.html").splitlines()


def test_every_figure_of_table_three_sits_in_its_row_and_blank_cells_stay_empty(report: Report) -> None:
    page = render_html(report)
    table = page[page.index("<caption>收到和处理政府信息公开申请情况</caption>") :].split("</table>")[0]
    rows = [re.findall(r"<td>([^<]*)</td>", line) for line in table.splitlines() if "<td>" in line]
    columns = ("natural", "commercial", "research", "nonprofit", "legal", "other", "total")
    expected = [
        [format_value(report.cells[f"s3.{row}.{column}"]) for column in columns]
        for row in report.format.s3_rows
    ]
    assert rows == expected
    assert any("" in row for row in rows)
