"""HTML → the flattened text layout that ``parse_text`` reads (see ``domain.importing.docx``).

Text outside tables becomes plain lines, one per block element; a data table (one without tables
inside) becomes TAB-prefixed cell lines with a blank line between rows. A cell covered by a ``rowspan``
from above is written as an empty cell, as Word writes a merged-down cell, so both sources give the
same shape. Tables that hold other tables are page layout, not data: their cells are read as blocks.
``<head>``, scripts, styles and table captions are not report text and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from domain.errors import NotAReportError
from domain.importing.docx import Cell, table_lines
from domain.importing.reader import ImportResult, parse_text
from domain.report import Report

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_SKIPPED = frozenset({"head", "script", "style", "template", "noscript", "caption", "svg", "object"})
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset"}
    | {"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr"}
    | {"li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th"}
    | {"thead", "tr", "ul"}
)
# Opening one of these closes an open element of the same family, as browsers do.
_IMPLICIT_CLOSE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr"}), frozenset({"table"})),
    "p": (frozenset({"p"}), frozenset({"td", "th", "div", "table", "li"})),
    "li": (frozenset({"li"}), frozenset({"ul", "ol"})),
}
_SPACES = re.compile(r"[ \t\r\n\f]+")
_MAX_SPAN = 1000


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


def read_html(
    text: str, *, source: str, partial_ok: bool = False, previous: Report | None = None
) -> ImportResult:
    """Import a report from an HTML page; ``NotAReportError`` when the page is not a report.

    ``partial_ok`` is passed on to ``parse_text`` (accept an incomplete draft).
    """
    return parse_text(html_text(text, source=source), source=source, partial_ok=partial_ok, previous=previous)


def html_text(text: str, *, source: str) -> str:
    """The page flattened to the text layout of the example reports."""
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
    except (AssertionError, ValueError) as error:
        # Older html.parser versions assert on malformed markup such as unknown <![ sections.
        raise NotAReportError(f"「{source}」不是可以读取的 HTML 网页。") from error
    lines: list[str] = []
    try:
        _Flattener(lines).block(builder.root)
    except RecursionError as error:
        raise NotAReportError(f"「{source}」的网页结构嵌套过深，无法读取。") from error
    return "\n".join(lines)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unknown end tags are ignored, open elements closed like a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _IMPLICIT_CLOSE:
            closes, stops = _IMPLICIT_CLOSE[tag]
            for depth in range(len(self._open) - 1, 0, -1):
                if self._open[depth].tag in stops:
                    break
                if self._open[depth].tag in closes:
                    del self._open[depth:]
                    break
        node = Node(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(node)
        if tag not in _VOID:
            self._open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


class _Flattener:
    """Writes block text as lines and data tables in the TAB layout."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._line: list[str] = []

    def block(self, node: Node) -> None:
        self.inline(node)
        self._flush()

    def inline(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self._line.append(_SPACES.sub(" ", child))
            elif child.tag in _SKIPPED:
                continue
            elif child.tag == "br":
                self._flush()
            elif child.tag == "table":
                self._flush()
                self._table(child)
            elif child.tag in _BLOCKS:
                self._flush()
                self.inline(child)
                self._flush()
            else:
                self.inline(child)

    def _flush(self) -> None:
        line = "".join(self._line).replace("\t", " ").strip()
        self._line.clear()
        if line:
            self.lines.append(line)

    def _table(self, table: Node) -> None:
        rows = _descendants(table, "tr")
        if any(_descendants(row, "table") for row in rows):
            for row in rows:
                for cell in _cells(row):
                    self.block(cell)
            return
        self.lines.extend(table_lines(_with_row_spans(rows)))


def _descendants(node: Node, tag: str) -> list[Node]:
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            else:
                found.extend(_descendants(child, tag))
    return found


def _cells(row: Node) -> list[Node]:
    return [child for child in row.children if isinstance(child, Node) and child.tag in ("td", "th")]


def _span(cell: Node, name: str) -> int:
    digits = re.match(r"\s*(\d+)", cell.attrs.get(name, ""))
    return min(max(int(digits.group(1)), 1), _MAX_SPAN) if digits else 1


def _cell_text(cell: Node) -> Cell:
    lines: list[str] = []
    _Flattener(lines).block(cell)
    return lines


def _with_row_spans(rows: list[Node]) -> list[list[Cell]]:
    """Cells per row, with an empty cell where a cell from a row above reaches down."""
    reaching: dict[int, tuple[int, int]] = {}  # start column → (column span, rows still covered)
    result: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = []
        started: dict[int, tuple[int, int]] = {}
        column = 0
        for cell in _cells(row):
            column = _skip_reaching(reaching, column, cells)
            cells.append(_cell_text(cell))
            width, height = _span(cell, "colspan"), _span(cell, "rowspan")
            if height > 1:
                started[column] = (width, height - 1)
            column += width
        cells.extend([] for start in sorted(reaching) if start >= column)
        reaching = {start: (w, h - 1) for start, (w, h) in reaching.items() if h > 1} | started
        result.append(cells)
    return result


def _skip_reaching(reaching: dict[int, tuple[int, int]], column: int, cells: list[Cell]) -> int:
    """Write an empty cell for each cell reaching down into ``column``; return the first free column."""
    while column in reaching:
        cells.append([])
        column += reaching[column][0]
    return column
