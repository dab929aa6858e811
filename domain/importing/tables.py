"""Reading the three tables (二, 三, 四) out of their text regions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product

from domain.errors import Ambiguity, FigureError, FigureRangeError
from domain.formats import S3_COLUMNS, S4_COLUMNS, S4_GROUPS, ReportFormat
from domain.importing import continuity
from domain.importing.anchors import S2_2019, S2_2021, S4_HEADER_WORDS, s3_anchors
from domain.importing.cells import read_cell
from domain.importing.rows import row_cells, unlabelled_cells
from domain.importing.segments import DELIMITERS, Layout, is_blank_cell
from domain.importing.splitting import (
    Accept,
    Reading,
    TooManyReadingsError,
    groups_sum_ok,
    readings,
    row_sum_ok,
)
from domain.importing.text import CJK, is_figure
from domain.report import Report
from domain.values import CellValue

MAX_COMBINATIONS = 5_000


@dataclass
class TableReading:
    """What was read from one table: values by key, unit notes, ambiguities, warnings."""

    values: dict[str, CellValue | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    ambiguities: list[Ambiguity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows_found: int = 0


@dataclass(frozen=True, slots=True)
class _Row:
    keys: tuple[str, ...]
    source: str
    readings: tuple[Reading, ...]
    # No reading adds up to the row's own 总计: these readings ignore it (a published arithmetic error,
    # to be reproduced), and only the column arithmetic of the six applicant columns can choose.
    relaxed: bool = False


def _row(
    raw: list[str], keys: tuple[str, ...], accept: Accept, *, context: str = "", packed: bool = False
) -> _Row:
    while len(raw) > len(keys) and is_blank_cell(raw[-1]):
        raw.pop()
    source = " ".join(cell or "（空）" for cell in raw)[:80] or " ".join(context.split())[:40]
    if len(raw) == len(keys):
        return _Row(keys, source, (tuple(raw),))
    tokens = [cell for cell in raw if not is_blank_cell(cell)]
    try:
        found = readings(tokens, len(keys), accept, packed=packed)
    except TooManyReadingsError:
        found = []
    return _Row(keys, source, tuple(found))


def _assign(reading: TableReading, row: _Row, chosen: Reading, specs: ReportFormat, unit: str | None) -> None:
    for key, raw in zip(row.keys, chosen, strict=True):
        try:
            value, note = read_cell(specs.cell(key), raw, unit_in_header=unit)
        except FigureRangeError:
            raise
        except FigureError as error:
            reading.warnings.append(f"{error}，该格按空白处理")
            value, note = None, None
        reading.values[key] = value
        if note:
            reading.notes[key] = note


def _ambiguous(
    reading: TableReading, row: _Row, options: Sequence[Reading], fmt: ReportFormat, unit: str | None
) -> None:
    """Cells on which every remaining reading agrees are known; the others stay blank, with candidates."""
    open_at = [i for i in range(len(row.keys)) if not options or len({o[i] for o in options}) > 1]
    if options:
        agreed = tuple(options[0][i] if i not in open_at else None for i in range(len(row.keys)))
        _assign(reading, row, agreed, fmt, unit)
    keys = tuple(row.keys[i] for i in open_at)
    projected = dict.fromkeys(tuple(o[i] or "" for i in open_at) for o in options)
    reading.ambiguities.append(Ambiguity(cells=keys, source=row.source, candidates=tuple(projected)[:12]))
    for key in keys:
        reading.values[key] = None
        reading.notes.pop(key, None)


def read_s2(
    region: str, fmt: ReportFormat, layout: Layout, hints: dict[str, int], previous: Report | None = None
) -> TableReading:
    """Table 二. Rows run together are decided only by a hard rule: this year's 上一年项目数量 (2019
    format) continues last year's 上一年项目数量 + 本年增/减. The 2021 现行有效件数 continuity and the figures
    the prose states only put the reading they support first, since real reports often break them."""
    reading = TableReading()
    definitions = S2_2019 if fmt.id.value == "2019" else S2_2021
    segments = row_cells(region, [anchor for _, anchor, _ in definitions], layout)
    unit = _money_unit(region, fmt)
    for group, anchor, columns in definitions:
        keys = tuple(f"s2.{group}.{anchor.row}.{column}" for column in columns)
        if anchor.row not in segments:
            reading.warnings.append(f"表二中未找到「{anchor.keywords[0]}」一行，该行按空白处理")
            continue
        reading.rows_found += 1
        text = segments[anchor.row]
        row = _row(text.cells, keys, lambda _reading: True, packed=text.packed)
        options = list(row.readings)
        if len(options) > 1 and previous is not None:
            continuing = continuity.decide(options, keys, fmt, previous)
            if continuing:
                options = continuing
                if len(options) == 1:
                    reading.warnings.append(
                        f"「{row.source}」的拆分依据上一年度报告的{continuity.RULE_2019}确定"
                    )
        if len(options) > 1:
            options = _order_by_hints(reading, row, options, hints, previous, fmt)
        if len(options) == 1:
            _assign(reading, row, options[0], fmt, unit)
        else:
            _ambiguous(reading, row, options, fmt, unit)
    return reading


def _order_by_hints(
    reading: TableReading,
    row: _Row,
    options: list[Reading],
    hints: dict[str, int],
    previous: Report | None,
    fmt: ReportFormat,
) -> list[Reading]:
    """Soft hints: the readings they support come first and a warning names them; none decides."""
    for name, supported in (
        ("正文所述数字", _by_hints(options, row.keys, hints)),
        (
            f"上一年度报告（{continuity.RULE_2021}）",
            continuity.soft(options, row.keys, fmt, previous) if previous else [],
        ),
    ):
        if supported and len(supported) < len(options):
            shown = "；".join("|".join("" if v is None else v for v in o) for o in supported[:3])
            reading.warnings.append(f"「{row.source}」与{name}相符的读法：{shown}（仅供参考，未据此确定）")
            options = supported + [o for o in options if o not in supported]
    return options


def _by_hints(options: list[Reading], keys: tuple[str, ...], hints: dict[str, int]) -> list[Reading]:
    stated = [(i, hints[key]) for i, key in enumerate(keys) if key in hints]
    if not stated:
        return []
    return [o for o in options if all(o[i] is not None and o[i] == str(v) for i, v in stated)]


def _money_unit(region: str, fmt: ReportFormat) -> str | None:
    header = r"采\s*购\s*总\s*金\s*额" if fmt.id.value == "2019" else r"收\s*费\s*金\s*额"
    match = re.search(header + r"[^\n0-9]{0,12}", region)
    if match and "万元" in match.group(0):
        return "万元"
    if match and re.search(r"[（(]\s*(?:单位\s*[:：]\s*)?元", match.group(0)):
        return "元"
    return "万元" if fmt.id.value == "2021" else None


def read_s3(region: str, fmt: ReportFormat, layout: Layout) -> TableReading:
    reading = TableReading()
    anchors = s3_anchors(split_other=not fmt.legacy_other_row and fmt.id.value == "2021")
    segments = row_cells(region, anchors, layout)
    rows: dict[str, _Row] = {}
    for anchor in anchors:
        keys = tuple(f"s3.{anchor.row}.{column}" for column in S3_COLUMNS)
        if anchor.row not in segments:
            reading.warnings.append(f"表三中未找到「{anchor.keywords[0]}」一行，该行按空白处理")
            continue
        text = segments[anchor.row]
        row = _row(text.cells, keys, row_sum_ok, packed=text.packed)
        if not row.readings:
            loose = _row(text.cells, keys, lambda _reading: True, packed=text.packed)
            row = _Row(row.keys, row.source, loose.readings, relaxed=True)
        rows[anchor.row] = row
    reading.rows_found = len(rows)
    for _name, row, chosen in _solve(rows, fmt, reading):
        if isinstance(chosen, list):
            _ambiguous(reading, row, chosen, fmt, None)
        else:
            _assign(reading, row, chosen, fmt, None)
    return reading


def _solve(
    rows: dict[str, _Row], fmt: ReportFormat, reading: TableReading
) -> list[tuple[str, _Row, Reading | list[Reading]]]:
    """Fix rows with one reading; choose among several by the column arithmetic, or give up and return
    the readings that remain (those of the balancing solutions, if any)."""
    open_rows = [name for name, row in rows.items() if len(row.readings) != 1]
    fixed = {name: row.readings[0] for name, row in rows.items() if len(row.readings) == 1}
    choices = [rows[name].readings for name in open_rows if rows[name].readings]
    # A row whose own 总计 is wrong as published makes the 总计 column unbalanced whatever the split.
    columns = len(S3_COLUMNS) - (1 if any(rows[name].relaxed for name in open_rows) else 0)
    solutions: list[dict[str, Reading]] = []
    if open_rows and len(choices) == len(open_rows) and _count(choices) <= MAX_COMBINATIONS:
        for combo in product(*choices):
            candidate = {**fixed, **dict(zip(open_rows, combo, strict=True))}
            if _columns_balance(candidate, fmt, columns):
                solutions.append(candidate)
    result: list[tuple[str, _Row, Reading | list[Reading]]] = []
    for name, row in rows.items():
        if name in fixed:
            result.append((name, row, fixed[name]))
        elif solutions and len({s[name] for s in solutions}) == 1:
            reason = (
                "各列的勾稽关系确定；本行总计与各格之和不符，照录原文" if row.relaxed else "表格勾稽关系确定"
            )
            reading.warnings.append(f"「{row.source}」的拆分依据{reason}")
            result.append((name, row, solutions[0][name]))
        else:
            remaining = list(dict.fromkeys(s[name] for s in solutions)) or list(row.readings)
            result.append((name, row, remaining))
    return result


def _count(choices: list[tuple[Reading, ...]]) -> int:
    total = 1
    for options in choices:
        total *= len(options)
    return total


def _columns_balance(rows: dict[str, Reading], fmt: ReportFormat, columns: int) -> bool:
    """The first ``columns`` columns of 三 keep 第一项加第二项 = 第三项加第四项 and 总计 = its outcome rows."""
    needed = {"new", "carried_in", "total", "carried_over"}
    if not needed <= rows.keys():
        return False
    for column in range(columns):

        def value(name: str, column: int = column) -> int:
            cell = rows[name][column] if name in rows else None
            return int(cell) if cell and is_figure(cell) else 0

        if value("new") + value("carried_in") != value("total") + value("carried_over"):
            return False
        if value("total") != sum(value(r) for r in fmt.s3_outcome_rows):
            return False
    return True


def read_s4(region: str, fmt: ReportFormat, layout: Layout) -> TableReading:
    reading = TableReading()
    keys = tuple(f"s4.{group}.{column}" for group in S4_GROUPS for column in S4_COLUMNS)
    headers = list(S4_HEADER_WORDS.finditer(region))
    if not headers:
        reading.warnings.append("未找到表四（行政复议、行政诉讼）的表头，表四按空白处理")
        return reading
    if layout in DELIMITERS:
        raw = unlabelled_cells(region, layout)
    else:
        values_text = region[headers[-1].end() :]
        text_after = CJK.search(values_text)
        if text_after:
            values_text = values_text[: text_after.start()]
        raw = unlabelled_cells(values_text, layout)
    packed = layout is Layout.INLINE and bool(re.match(r"[0-9]", region[headers[-1].end() :]))
    row = _row(raw, keys, groups_sum_ok(len(S4_COLUMNS)), context=region[headers[-1].end() :], packed=packed)
    reading.rows_found = 1
    if len(row.readings) == 1:
        _assign(reading, row, row.readings[0], fmt, None)
    else:
        _ambiguous(reading, row, row.readings, fmt, None)
    return reading
