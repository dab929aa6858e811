"""Word (.docx) → the flattened text layout that ``parse_text`` reads.

The layout is what Word's own text export gives for the official tables (the example reports 000 and
002 were made that way): paragraphs as plain lines; every table cell as one line starting with a TAB, a
line break inside a cell as a continuation line without TAB; a blank line between table rows. A cell
spanning several columns (``w:gridSpan``) appears once; a cell merged down from the row above
(``w:vMerge``) appears as an empty cell, so each row keeps the shape the printed form shows.
python-docx itself repeats merged cells, which is why the walk reads the XML.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement as Element

from domain.errors import NotAReportError
from domain.importing.reader import ImportResult, parse_text
from domain.report import Report

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_TEXT, _TAB, _BREAKS = qn("w:t"), qn("w:tab"), (qn("w:br"), qn("w:cr"))
_VMERGE, _VAL = qn("w:vMerge"), qn("w:val")

Cell = list[str]  # the lines of one cell; empty for a blank or merged-down cell


def read_docx(
    data: bytes, *, source: str, partial_ok: bool = False, previous: Report | None = None
) -> ImportResult:
    """Import a report from the bytes of a .docx file; ``NotAReportError`` for anything else.

    ``partial_ok`` is passed on to ``parse_text`` (accept an incomplete draft).
    """
    return parse_text(docx_text(data, source=source), source=source, partial_ok=partial_ok, previous=previous)


def docx_text(data: bytes, *, source: str) -> str:
    """The document flattened to the text layout of the example reports."""
    try:
        body = Document(BytesIO(data)).element.body
    except Exception as error:
        # zipfile, lxml and python-docx each raise their own errors for a damaged or foreign file;
        # whichever it is, the officer needs the same answer.
        raise NotAReportError(
            f"「{source}」无法作为 Word 文档（.docx）打开：文件已损坏，或不是 .docx 格式"
            "（旧版 .doc 请先在 Word 中另存为 .docx）。"
        ) from error
    return "\n".join(_block_lines(body))


def table_lines(rows: list[list[Cell]]) -> list[str]:
    """Rows of cells in the text layout: TAB-prefixed cells, continuation lines, blank line after a row."""
    lines: list[str] = []
    for row in rows:
        for cell in row:
            first, *rest = cell or [""]
            lines.append("\t" + first)
            lines.extend(rest)
        lines.append("")
    return lines


def _children(element: Element, tag: str) -> Iterator[Element]:
    """Children with ``tag``, looking through content controls (``w:sdt``) that wrap them."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)


def _block_lines(container: Element) -> Iterator[str]:
    for child in container.iterchildren():
        if child.tag == _P:
            yield from (line.rstrip() for line in _paragraph_text(child).split("\n"))
        elif child.tag == _TBL:
            yield from _table_block(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content)


def _table_block(table: Element) -> Iterator[str]:
    rows = [list(_children(row, _TC)) for row in _children(table, _TR)]
    if len(rows) == 1 and len(rows[0]) == 1:
        # A one-cell table is a frame some agencies put around the whole report: read what is inside.
        yield from _block_lines(rows[0][0])
        return
    yield from table_lines([[_cell_lines(cell) for cell in row] for row in rows])


def _cell_lines(cell: Element) -> Cell:
    properties = cell.find(qn("w:tcPr"))
    merge = properties.find(_VMERGE) if properties is not None else None
    if merge is not None and merge.get(_VAL, "continue") == "continue":
        return []
    lines = []
    for paragraph in cell.iter(_P):
        lines += [line.strip() for line in _paragraph_text(paragraph).split("\n")]
    return [line for line in lines if line]


def _paragraph_text(paragraph: Element) -> str:
    """Visible text of a paragraph; a tab becomes a space so no prose line can pose as a table cell."""
    parts: list[str] = []
    for element in paragraph.iter():
        if element.tag == _TEXT:
            parts.append(element.text or "")
        elif element.tag == _TAB:
            parts.append(" ")
        elif element.tag in _BREAKS:
            parts.append("\n")
    return "".join(parts).replace("\t", " ")
