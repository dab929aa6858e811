"""Report → Word document laid out like the official format.

Title, the six section headings (Word heading style, so the navigation pane and screen readers see the
structure), prose paragraphs, and the three statistics tables as real Word tables with merged header
cells (``w:gridSpan`` / ``w:vMerge``) and header rows marked to repeat across pages. Fonts follow Chinese
official documents: 方正小标宋 title, 黑体 headings, 仿宋 body, tables in 五号.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.table import Table

from domain.formats import TABLE_SECTIONS
from domain.rendering.layout import (
    Grid,
    report_title,
    section_notes,
    section_paragraphs,
    sections_in_order,
    table_layout,
    value_text,
)
from domain.report import Report

_PAGE_WIDTH = Cm(21)
_PAGE_HEIGHT = Cm(29.7)
_MARGIN = Cm(2.6)
_TEXT_WIDTH = _PAGE_WIDTH - 2 * _MARGIN
_LABEL_SHARE = 0.4  # of the text width, for the row-label columns of a table
_BODY_FONT = "仿宋_GB2312"
_HEADING_FONT = "黑体"
_TITLE_FONT = "方正小标宋简体"
_TABLE_SIZE = Pt(10.5)


def render_docx(report: Report) -> bytes:
    """The report as a .docx file (bytes), in the layout of its official format and variant."""
    document = Document()
    _set_up_page(document)
    _set_up_styles(document)
    title = report_title(report)
    _set_properties(document, report, title)
    _add_title(document, title)
    for section, heading in sections_in_order():
        document.add_heading(heading, level=1)
        for text in section_paragraphs(report, section):
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.first_line_indent = Pt(32)
        if section in TABLE_SECTIONS:
            layout = table_layout(report.format, section)
            _add_table(document, report, layout.grid(), layout.caption)
            for note in section_notes(report, section):
                document.add_paragraph().add_run(note).font.size = _TABLE_SIZE
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_properties(document: WordDocument, report: Report, title: str) -> None:
    """Title and language for search and screen readers; the library's own defaults do not belong
    in a published file."""
    properties = document.core_properties
    properties.title = title
    properties.language = "zh-CN"
    properties.author = properties.last_modified_by = report.agency
    properties.comments = ""
    properties.created = properties.modified = datetime.now(UTC)


def _set_up_page(document: WordDocument) -> None:
    for page in document.sections:
        page.page_width, page.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
        page.left_margin = page.right_margin = _MARGIN
        page.top_margin = page.bottom_margin = Cm(3)


def _set_font(style: ParagraphStyle | CharacterStyle, name: str, size: Pt) -> None:
    style.font.name = name
    style.font.size = size
    style.font.color.rgb = RGBColor(0, 0, 0)
    # Word picks the font of Chinese characters from w:eastAsia, which font.name does not set.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _set_up_styles(document: WordDocument) -> None:
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _set_font(normal, _BODY_FONT, Pt(16))
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)
    heading = document.styles["Heading 1"]
    assert isinstance(heading, ParagraphStyle)
    _set_font(heading, _HEADING_FONT, Pt(16))
    heading.font.bold = False
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)


def _add_title(document: WordDocument, title: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(18)
    paragraph.paragraph_format.line_spacing = Pt(36)
    run = paragraph.add_run(title)
    run.font.size = Pt(22)
    run.font.name = _TITLE_FONT
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _TITLE_FONT)


def _column_widths(grid: Grid) -> list[int]:
    """Row-label columns share 40 % of the width, deeper levels wider; value columns share the rest."""
    label_columns = len({cell.column for cell in grid.cells if cell.scope == "row"})
    value_columns = grid.column_count - label_columns
    if not label_columns:
        return [int(_TEXT_WIDTH / grid.column_count)] * grid.column_count
    weights = list(range(1, label_columns + 1))
    labels = [int(_TEXT_WIDTH * _LABEL_SHARE * w / sum(weights)) for w in weights]
    return labels + [int(_TEXT_WIDTH * (1 - _LABEL_SHARE) / value_columns)] * value_columns


def _add_table(document: WordDocument, report: Report, grid: Grid, caption: str) -> None:
    table = document.add_table(rows=grid.row_count, cols=grid.column_count)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.style = "Table Grid"
    table.autofit = False
    widths = _column_widths(grid)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    # Taken once before merging: Table.cell() rescans the whole table on every call. The regions do
    # not overlap, so the corner cells of each region are still in place when it is merged.
    positions = [row.cells for row in table.rows]
    for cell in grid.cells:
        target = positions[cell.row][cell.column]
        if cell.row_span > 1 or cell.column_span > 1:
            target = target.merge(positions[cell.row + cell.row_span - 1][cell.column + cell.column_span - 1])
        target.width = sum(widths[cell.column : cell.column + cell.column_span])
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.paragraph_format.first_line_indent = Pt(0)
        if cell.scope != "row":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = cell.text if cell.scope else value_text(report, cell.key)
        if text:
            run = paragraph.add_run(text)
            run.font.size = _TABLE_SIZE
    _mark_rows(table, grid.header_rows)
    _describe(table, caption)
    document.add_paragraph()


def _mark_rows(table: Table, header_rows: int) -> None:
    """Keep each row on one page; repeat the column-header rows on every page and mark them as headers."""
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()  # python-docx has no public API for these two flags
        properties.append(OxmlElement("w:cantSplit"))  # schema order: cantSplit before tblHeader
        if index < header_rows:
            properties.append(OxmlElement("w:tblHeader"))


def _describe(table: Table, caption: str) -> None:
    """The table's title (``w:tblCaption``), which Word's accessibility checker asks every table for."""
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption)
    table._tbl.tblPr.append(title)  # last child of tblPr in schema order; no public API
