"""Turning the text between two row anchors into raw cell texts, for each flattened layout.

- TAB: one cell per line, each line starting with a tab; a line without tab continues the previous cell;
  a blank line ends the table row (Word tables flattened to text).
- BLANKLINE: cells separated by one blank line; each empty cell adds one more blank line (HTML flattening).
- LINES: one cell per line with nothing between cells; an empty line is an empty cell.
- PIPE / TSV / CSV: a whole table row on one line, cells separated by ``|``, tabs or commas.
- INLINE: cells are the numbers in the text, whatever separates them (PDF text with whole rows on one line,
  or numbers run together with labels).
"""

from __future__ import annotations

import re
from enum import StrEnum

from domain.importing.text import is_figure

NUMBER = re.compile(r"(?:减|-)?\s?[0-9]+(?:\.[0-9]+)?(?:\s?(?:万元|元))?")
_ORDINAL_AFTER = re.compile(r"\s*[、.．](?![0-9])")
_NUMERIC_CELL = re.compile(r"(?:减少?|增加?|[-+])?\s*[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:万元|元|件|个|项)?")
_DIGIT_RUN = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9、.])")
_BLANK_CELL = re.compile(r"[-—–/／\\无]?")
# A CJK character that is not part of a figure (``减3``, ``25770元``, ``14957.7万元``, ``12件``).
_FIGURE = re.compile(r"[0-9]+")
_LABEL_FRAGMENT = 12
_WORD = re.compile(r"(?![万元减件个项])(?<!减)[\u3400-\u9fff]")


class Layout(StrEnum):
    TAB = "tab"
    BLANKLINE = "blankline"
    LINES = "lines"
    PIPE = "pipe"
    TSV = "tsv"
    CSV = "csv"
    INLINE = "inline"


DELIMITERS: dict[Layout, str] = {Layout.PIPE: "|", Layout.TSV: "\t", Layout.CSV: ","}


def detect_layout(region: str) -> Layout:
    """The layout of one table region of a flattened report."""
    lines = region.split("\n")
    nonblank = [line for line in lines if line.strip()]
    if not nonblank:
        return Layout.INLINE
    for layout, delimiter in DELIMITERS.items():
        inner = [line.strip() for line in nonblank]
        if sum(1 for line in inner if line.count(delimiter) >= 3) >= 0.4 * len(nonblank):
            return layout
    if sum(1 for line in nonblank if line.startswith("\t")) >= 0.4 * len(nonblank):
        return Layout.TAB
    if sum(1 for line in nonblank if len(_DIGIT_RUN.findall(line)) >= 2) >= 3:
        return Layout.INLINE
    single = [i for i, line in enumerate(lines[:-1]) if line.strip() and is_numeric_cell(line.strip())]
    if not single:
        return Layout.INLINE
    spaced = sum(1 for i in single if not lines[i + 1].strip())
    if spaced >= 0.8 * len(single):
        return Layout.BLANKLINE
    if len(single) - spaced >= 0.5 * len(single):
        return Layout.LINES
    return Layout.INLINE


def is_numeric_cell(text: str) -> bool:
    return is_figure(text) or bool(_NUMERIC_CELL.fullmatch(text))


def is_blank_cell(text: str) -> bool:
    stripped = text.strip()
    return not stripped or bool(_BLANK_CELL.fullmatch(stripped))


def number_tokens(text: str) -> list[str]:
    """Every number in ``text`` except ordinals such as the ``1`` of ``1、申请人…``."""
    tokens = []
    for match in NUMBER.finditer(text):
        if _ORDINAL_AFTER.match(text, match.end()) and not match.group(0).endswith("元"):
            continue
        tokens.append(re.sub(r"\s+", "", match.group(0)))
    return tokens


def cells_in_segment(segment: str, layout: Layout, *, labelled: bool = True) -> list[str]:
    """Raw cell texts of one row of a free layout, stopping at the first cell that holds text rather
    than a figure (the next row's label, a page footer, prose after the table).

    ``segment`` starts right after the row's label (``labelled``) or is a run of figures alone.
    """
    if layout is Layout.INLINE:
        return number_tokens(_up_to_text(segment))
    lines = segment.split("\n")
    body = lines[1:-1] if len(lines) > 1 and not lines[-1].strip() else lines[1:]
    decode = {Layout.TAB: _tab_cells, Layout.BLANKLINE: _blankline_cells, Layout.LINES: _line_cells}
    raw = decode[layout](body)
    head = lines[0].strip()
    if head and is_numeric_cell(head):
        raw.insert(0, head)
    return figure_cells(raw)


def figure_cells(raw: list[str]) -> list[str]:
    """The leading cells that hold a figure or are blank, spaces collapsed."""
    cells: list[str] = []
    for cell in raw:
        text = " ".join(cell.split())
        if not (is_numeric_cell(text) or is_blank_cell(text)):
            break
        cells.append(text)
    return cells


def _up_to_text(segment: str) -> str:
    """The segment up to the first stretch of words after its first figure: page text or prose that a
    crawler put between or after table rows. A short fragment between figures is the rest of a label
    wrapped around them (PDF text, ``重新出 1 0 0 / 具已获取信息 0 0 0 1``) and does not end the row."""
    first = NUMBER.search(segment)
    if first is None:
        return segment
    position = first.end()
    while (word := _WORD.search(segment, position)) is not None:
        figure = _FIGURE.search(segment, word.start())
        stretch = segment[word.start() : figure.start() if figure else len(segment)]
        if figure is None or len("".join(stretch.split())) > _LABEL_FRAGMENT or "。" in stretch:
            return segment[: word.start()]
        position = figure.end()
    return segment


def _line_cells(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines]


def _tab_cells(lines: list[str]) -> list[str]:
    cells: list[str] = []
    current: str | None = None
    for line in lines:
        if line.startswith("\t"):
            if current is not None:
                cells.append(current)
            current = line.strip()
        elif not line.strip():
            if current is not None:
                cells.append(current)
                current = None
            if cells:
                break
        elif current is not None:
            current = f"{current} {line.strip()}".strip()
    if current is not None:
        cells.append(current)
    return cells


def _blankline_cells(lines: list[str]) -> list[str]:
    cells: list[str] = []
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            continue
        cells.extend([""] * max(0, blanks - 1))
        cells.append(line.strip())
        blanks = 0
    cells.extend([""] * max(0, blanks - 1))
    return cells
