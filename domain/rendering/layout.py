"""The official tables as grids of header and value cells, so every renderer lays them out the same way.

The hierarchy comes from the label paths in ``cells.tsv``: ``三、本年度办理结果/（三）不予公开/1.属于国家秘密``
becomes three row-header levels, ``法人或其他组织/商业企业`` two column-header levels, and cells that share a
prefix share one merged header cell. A table is made of blocks (section 二 has one block per 第二十条 item);
``TableLayout.grid()`` places every header and value cell with its row and column span.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from domain.formats import OFFICIAL_HEADINGS, S3_COLUMNS, SECTION_IDS, CellSpec, ReportFormat
from domain.labels import cell_label
from domain.report import Report
from domain.values import format_value

S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
S3_COLUMN_GROUP = "申请人情况"
S2_CORNER = "信息内容"

# cells.tsv spells out how the export treats two columns; the printed form uses its own short wording.
_FORM_WORDING: dict[str, str] = {
    "本年增/减（减少为负数）": "本年增/减",
    "采购总金额（换算为万元；原文未注明单位时按原数字，并给出警告）": "采购总金额（万元）",
}

Scope = Literal["col", "row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One rectangle of the form: value cells at row x column, with the labels of both.

    ``keys[row][column]`` is the cell key, or None where the form has no cell. A block without row
    labels (section 四) has a single row whose path is empty.
    """

    title: str
    corner: str
    column_group: str
    column_paths: tuple[tuple[str, ...], ...]
    row_paths: tuple[tuple[str, ...], ...]
    keys: tuple[tuple[str | None, ...], ...]

    @property
    def label_columns(self) -> int:
        return max(len(path) for path in self.row_paths)

    @property
    def header_depth(self) -> int:
        return max(len(path) for path in self.column_paths) + (1 if self.column_group else 0)


@dataclass(frozen=True, slots=True)
class GridCell:
    """A placed cell: a header (``scope`` set, ``text`` its label) or a value cell (``key`` set)."""

    row: int
    column: int
    row_span: int
    column_span: int
    text: str = ""
    key: str | None = None
    scope: Scope | None = None


@dataclass(frozen=True, slots=True)
class Grid:
    row_count: int
    column_count: int
    header_rows: int
    cells: tuple[GridCell, ...]

    def rows(self) -> Iterator[tuple[GridCell, ...]]:
        """Cells grouped by the row they start in (the HTML model: spanned positions are left out)."""
        for row in range(self.row_count):
            yield tuple(cell for cell in self.cells if cell.row == row)


@dataclass(frozen=True, slots=True)
class TableLayout:
    section: str
    caption: str
    blocks: tuple[Block, ...]

    @property
    def column_count(self) -> int:
        return max(block.label_columns + len(block.column_paths) for block in self.blocks)

    def grid(self) -> Grid:
        width = self.column_count
        cells: list[GridCell] = []
        row = 0
        for block in self.blocks:
            placed = list(_place_block(block, top=row, width=width))
            cells.extend(placed)
            row = max(cell.row + cell.row_span for cell in placed)
        single = self.blocks[0] if len(self.blocks) == 1 else None
        header_rows = single.header_depth if single is not None and not single.title else 0
        return Grid(row_count=row, column_count=width, header_rows=header_rows, cells=tuple(cells))


def _value_spans(block: Block, width: int) -> list[int]:
    """Column span of each value column; the last one takes up what a narrower block leaves over."""
    spans = [1] * len(block.column_paths)
    spans[-1] += width - block.label_columns - len(block.column_paths)
    return spans


def _run_length(paths: tuple[tuple[str, ...], ...], start: int, level: int) -> int:
    """How many paths from ``start`` on share the prefix of ``paths[start]`` up to ``level``."""
    prefix = paths[start][: level + 1]
    count = 1
    while start + count < len(paths) and paths[start + count][: level + 1] == prefix:
        count += 1
    return count


def _place_block(block: Block, *, top: int, width: int) -> Iterator[GridCell]:
    row = top
    if block.title:
        yield GridCell(row=row, column=0, row_span=1, column_span=width, text=block.title, scope="col")
        row += 1
    labels = block.label_columns
    spans = _value_spans(block, width)
    starts = [labels + sum(spans[:j]) for j in range(len(spans))]
    depth = block.header_depth
    if labels:
        yield GridCell(row=row, column=0, row_span=depth, column_span=labels, text=block.corner, scope="col")
    if block.column_group:
        yield GridCell(
            row=row, column=labels, row_span=1, column_span=sum(spans), text=block.column_group, scope="col"
        )
        row += 1
        depth -= 1
    paths = block.column_paths
    for level in range(depth):
        j = 0
        while j < len(paths):
            run = _run_length(paths, j, level) if len(paths[j]) > level else 1
            if len(paths[j]) > level:
                leaf = len(paths[j]) == level + 1
                yield GridCell(
                    row=row + level,
                    column=starts[j],
                    row_span=depth - level if leaf else 1,
                    column_span=sum(spans[j : j + run]),
                    text=paths[j][level],
                    scope="col",
                )
            j += run
    row += depth
    yield from _place_rows(block, top=row, starts=starts, spans=spans)


def _place_rows(block: Block, *, top: int, starts: list[int], spans: list[int]) -> Iterator[GridCell]:
    paths = block.row_paths
    labels = block.label_columns
    for i, path in enumerate(paths):
        for level, text in enumerate(path):
            if i > 0 and len(paths[i - 1]) > level and paths[i - 1][: level + 1] == path[: level + 1]:
                continue  # covered by the merged label above
            leaf = len(path) == level + 1
            yield GridCell(
                row=top + i,
                column=level,
                row_span=_run_length(paths, i, level),
                column_span=labels - level if leaf else 1,
                text=text,
                scope="row",
            )
        for j, key in enumerate(block.keys[i]):
            yield GridCell(row=top + i, column=starts[j], row_span=1, column_span=spans[j], key=key)


def _form_label(part: str) -> str:
    return _FORM_WORDING.get(part, part)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _s2_blocks(specs: tuple[CellSpec, ...]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for item in _unique([spec.path[1] for spec in specs]):
        members = [spec for spec in specs if spec.path[1] == item]
        rows = _unique([spec.path[2] for spec in members])
        # "本年增/减" contains the path separator, so the column label is everything after the row.
        columns = _unique(["/".join(spec.path[3:]) for spec in members])
        by_place = {(spec.path[2], "/".join(spec.path[3:])): spec.key for spec in members}
        blocks.append(
            Block(
                title=item,
                corner=S2_CORNER,
                column_group="",
                column_paths=tuple((_form_label(column),) for column in columns),
                row_paths=tuple((row,) for row in rows),
                keys=tuple(tuple(by_place.get((row, column)) for column in columns) for row in rows),
            )
        )
    return tuple(blocks)


def _s3_block(specs: tuple[CellSpec, ...]) -> Block:
    row_ids = _unique([spec.key.split(".")[1] for spec in specs])
    by_key = {spec.key: spec for spec in specs}
    row_paths: list[tuple[str, ...]] = []
    for row_id in row_ids:
        # The row's labels are what all its cells share; the rest of each path names the column.
        first = by_key[f"s3.{row_id}.{S3_COLUMNS[0]}"].path[1:]
        last = by_key[f"s3.{row_id}.{S3_COLUMNS[-1]}"].path[1:]
        row_paths.append(first[: len(last) - 1])
    row_length = len(row_paths[0])
    column_paths = tuple(by_key[f"s3.{row_ids[0]}.{column}"].path[1 + row_length :] for column in S3_COLUMNS)
    return Block(
        title="",
        corner=S3_NOTE,
        column_group=S3_COLUMN_GROUP,
        column_paths=column_paths,
        row_paths=tuple(row_paths),
        keys=tuple(tuple(f"s3.{row_id}.{column}" for column in S3_COLUMNS) for row_id in row_ids),
    )


def _s4_block(specs: tuple[CellSpec, ...]) -> Block:
    return Block(
        title="",
        corner="",
        column_group="",
        column_paths=tuple(spec.path[1:] for spec in specs),
        row_paths=((),),
        keys=(tuple(spec.key for spec in specs),),
    )


@cache
def table_layout(fmt: ReportFormat, section: str) -> TableLayout:
    """The layout of table 二, 三 or 四 of one format (variant included)."""
    specs = fmt.section_cells(section)
    if section == "s2":
        blocks = _s2_blocks(specs)
    elif section == "s3":
        blocks = (_s3_block(specs),)
    elif section == "s4":
        blocks = (_s4_block(specs),)
    else:
        raise ValueError(f"section {section} has no table")
    return TableLayout(section=section, caption=section_caption(section), blocks=blocks)


def section_caption(section: str) -> str:
    """The heading without its numeral, e.g. ``主动公开政府信息情况``, used as a table caption."""
    return OFFICIAL_HEADINGS[section].split("、", 1)[1]


def report_title(report: Report) -> str:
    """「{agency}{year}年政府信息公开工作年度报告」, as the official format titles a report."""
    year = "" if report.year is None else f"{report.year}年"
    return f"{report.agency}{year}政府信息公开工作年度报告"


def section_paragraphs(report: Report, section: str) -> list[str]:
    """The prose of one section as paragraphs, empty lines dropped."""
    return [line.strip() for line in report.prose(section).splitlines() if line.strip()]


def section_notes(report: Report, section: str) -> list[str]:
    """「注：」lines for the cells of one section that carry a note, e.g. money given without a unit.

    Shown under the table so that a reader of the rendering learns what the export already warns about.
    """
    fmt = report.format
    return [
        f"注：{cell_label(key, format_id=fmt.id.value, legacy_other_row=fmt.legacy_other_row)}：{note}"
        for key, note in sorted(report.notes.items(), key=lambda item: fmt.keys.index(item[0]))
        if fmt.has(key) and fmt.cell(key).section == section
    ]


def value_text(report: Report, key: str | None) -> str:
    """A cell's value as the export writes it; blank (and a place without a cell) stays empty."""
    return "" if key is None else format_value(report.cells.get(key))


def sections_in_order() -> tuple[tuple[str, str], ...]:
    """Every section id with its official heading: a rendered report always shows all six."""
    return tuple((sid, OFFICIAL_HEADINGS[sid]) for sid in SECTION_IDS)
