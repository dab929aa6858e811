"""The raw cell texts of each table row, found by the row's label.

Free layouts (TAB, BLANKLINE, LINES, INLINE) are read in table order: a row's cells are what stands
between its label and the next row's label. Delimited layouts (Markdown pipes, TSV, CSV) carry their
rows whole, one per line: each line's label names its row wherever the line stands, so rows printed out
of order, tables split per row group and inserted header rows (whose column labels OCR may have made up;
the columns are always read in the official order) change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.formats import S3_COLUMNS
from domain.importing.anchors import RowAnchor
from domain.importing.segments import (
    DELIMITERS,
    Layout,
    cells_in_segment,
    figure_cells,
    is_blank_cell,
    is_numeric_cell,
)
from domain.importing.splitting import row_sum_ok


@dataclass(frozen=True, slots=True)
class RowText:
    """The raw cells of one row; ``packed`` when its figures touch the label with no space between
    (``行政规范性文件808``): cells run together, where a blank cell would leave no trace."""

    cells: list[str]
    packed: bool = False


_PACKED = re.compile(r"[^\d\s]*\d")


def locate(region: str, anchors: Sequence[RowAnchor]) -> dict[str, tuple[int, int]]:
    """Start and end of each row anchor found, searched in table order."""
    found: dict[str, tuple[int, int]] = {}
    position = 0
    for anchor in anchors:
        match = anchor.pattern.search(region, position)
        if match:
            found[anchor.row] = (match.start(), match.end())
            position = match.end()
    return found


def row_cells(region: str, anchors: Sequence[RowAnchor], layout: Layout) -> dict[str, RowText]:
    """Row name → the raw texts of its cells, for every row whose label is found."""
    if layout in DELIMITERS:
        return _labelled_lines(region, anchors, DELIMITERS[layout])
    found = locate(region, anchors)
    rows = [a.row for a in anchors if a.row in found]
    cells = {}
    for i, row in enumerate(rows):
        end = found[rows[i + 1]][0] if i + 1 < len(rows) else len(region)
        segment = region[found[row][1] : end]
        packed = layout is Layout.INLINE and bool(_PACKED.match(segment))
        cells[row] = RowText(cells_in_segment(segment, layout), packed=packed)
    return cells


def line_layout(region: str, anchors: Sequence[RowAnchor], detected: Layout) -> Layout:
    """LINES or BLANKLINE, whichever reads more rows of table 三 as exactly seven cells that add up.

    The two differ only in what an empty line means (an empty cell, or the break between two cells);
    a table with few figures leaves the line counts too alike to tell them apart, the rows' arithmetic
    does not."""
    if detected not in (Layout.LINES, Layout.BLANKLINE):
        return detected
    scores = {
        layout: _rows_that_add_up(region, anchors, layout) for layout in (Layout.LINES, Layout.BLANKLINE)
    }
    other = Layout.BLANKLINE if detected is Layout.LINES else Layout.LINES
    return other if scores[other] > scores[detected] else detected


def _rows_that_add_up(region: str, anchors: Sequence[RowAnchor], layout: Layout) -> int:
    columns = len(S3_COLUMNS)
    count = 0
    for text in row_cells(region, anchors, layout).values():
        cells = list(text.cells)
        while len(cells) > columns and is_blank_cell(cells[-1]):
            cells.pop()
        if len(cells) == columns and row_sum_ok(tuple(None if is_blank_cell(c) else c for c in cells)):
            count += 1
    return count


def unlabelled_cells(region: str, layout: Layout) -> list[str]:
    """The figures of a table whose value rows carry no label (四): every delimited line of figures in
    order (a table split in three is read as one), or the figures after the last header word."""
    if layout in DELIMITERS:
        cells: list[str] = []
        for line in region.split("\n"):
            parts = _split(line, DELIMITERS[layout])
            if any(is_numeric_cell(p) for p in parts) and all(
                is_numeric_cell(p) or is_blank_cell(p) for p in parts
            ):
                cells += parts
        return cells
    return cells_in_segment(region, layout, labelled=False)


def _split(line: str, delimiter: str) -> list[str]:
    # A TSV line keeps its tabs at both ends: a trailing tab is an empty last cell.
    text = line.strip(" \r\n") if delimiter == "\t" else line.strip()
    if delimiter == "|":
        text = text.strip("|")
    return [" ".join(part.split()) for part in text.split(delimiter)] if text else []


def _labelled_lines(region: str, anchors: Sequence[RowAnchor], delimiter: str) -> dict[str, RowText]:
    cells: dict[str, RowText] = {}
    for line in region.split("\n"):
        label, values = _label_and_values(_split(line, delimiter))
        if not label or not any(is_numeric_cell(v) for v in values):
            continue
        anchor = next((a for a in anchors if a.row not in cells and a.pattern.search(label)), None)
        if anchor is not None:
            cells[anchor.row] = RowText(figure_cells(values))
    return cells


def _label_and_values(parts: list[str]) -> tuple[str, list[str]]:
    """Leading text cells (group and row labels, ``（三）不予公开 | 1.属于国家秘密``) and the cells after."""
    index = 0
    while index < len(parts) and not parts[index]:
        index += 1
    start = index
    while index < len(parts) and not (is_numeric_cell(parts[index]) or is_blank_cell(parts[index])):
        index += 1
    return " ".join(parts[start:index]), parts[index:]
