"""Turning the text between two row anchors into raw cell texts, for each flattened layout.

- TAB: one cell per line, each line starting with a tab; a line without tab continues the previous cell;
  a blank line ends the table row (Word tables flattened to text).
- BLANKLINE: cells separated by one blank line; each empty cell adds one more blank line (HTML flattening).
- INLINE: cells are the numbers in the text, whatever separates them (PDF text with whole rows on one line,
  one number per line, or numbers run together with labels).
"""

from __future__ import annotations

import re
from enum import StrEnum

NUMBER = re.compile(r"(?:减|-)?\s?\d+(?:\.\d+)?(?:\s?(?:万元|元))?")
_ORDINAL_AFTER = re.compile(r"\s*[、.．](?!\d)")
_NUMERIC_CELL = re.compile(r"(?:减少?|增加?|[-+])?\s*\d[\d,]*(?:\.\d+)?\s*(?:万元|元|件|个|项)?")
_BLANK_CELL = re.compile(r"[-—–/／\\无]?")


class Layout(StrEnum):
    TAB = "tab"
    BLANKLINE = "blankline"
    INLINE = "inline"


def detect_layout(region: str) -> Layout:
    """The layout of one table region of a flattened report."""
    lines = region.split("\n")
    nonblank = [line for line in lines if line.strip()]
    if not nonblank:
        return Layout.INLINE
    if sum(1 for line in nonblank if line.startswith("\t")) >= 0.4 * len(nonblank):
        return Layout.TAB
    if sum(1 for line in nonblank if len(number_tokens(line)) >= 2) >= 3:
        return Layout.INLINE
    single = [i for i, line in enumerate(lines) if is_numeric_cell(line.strip()) and line.strip()]
    spaced = sum(1 for i in single if 0 < i < len(lines) - 1 and not lines[i + 1].strip())
    if single and spaced >= 0.8 * len(single):
        return Layout.BLANKLINE
    return Layout.INLINE


def is_numeric_cell(text: str) -> bool:
    return bool(_NUMERIC_CELL.fullmatch(text))


def is_blank_cell(text: str) -> bool:
    return bool(_BLANK_CELL.fullmatch(text.strip()))


def number_tokens(text: str) -> list[str]:
    """Every number in ``text`` except ordinals such as the ``1`` of ``1、申请人…``."""
    tokens = []
    for match in NUMBER.finditer(text):
        if _ORDINAL_AFTER.match(text, match.end()) and not match.group(0).endswith("元"):
            continue
        tokens.append(re.sub(r"\s+", "", match.group(0)))
    return tokens


def cells_in_segment(segment: str, layout: Layout) -> list[str]:
    """Raw cell texts of one row, stopping at the first cell that holds text rather than a figure."""
    if layout is Layout.INLINE:
        return number_tokens(segment)
    lines = segment.split("\n")
    body = lines[1:-1] if len(lines) > 1 and not lines[-1].strip() else lines[1:]
    head = lines[0].strip()
    raw = _tab_cells(body) if layout is Layout.TAB else _blankline_cells(body)
    if head and is_numeric_cell(head):
        raw.insert(0, head)
    cells: list[str] = []
    for cell in raw:
        text = " ".join(cell.split())
        if not (is_numeric_cell(text) or is_blank_cell(text)):
            break
        cells.append(text)
    return cells


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
