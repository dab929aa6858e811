"""Writes a report as flattened text in the layouts real published reports arrive in.

Test-side only: it lets the importer be checked on reports with any figures, not just the examples.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.formats import OFFICIAL_HEADINGS, S3_COLUMNS, S4_COLUMNS, S4_GROUPS
from domain.report import Report
from domain.values import format_value

Row = list[str]

_S2_HEADERS = {
    "2019": {
        "art20_1": ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]),
        "art20_5": ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]),
        "art20_6": ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]),
        "art20_8": ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"]),
        "art20_9": ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"]),
    },
    "2021": {
        "art20_1": ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
        "art20_5": ("第二十条第（五）项", ["信息内容", "本年处理决定数量"]),
        "art20_6": ("第二十条第（六）项", ["信息内容", "本年处理决定数量"]),
        "art20_8": ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"]),
    },
}


def _value(report: Report, key: str) -> str:
    value = format_value(report.cells[key])
    if value.startswith("-"):
        return "减" + value[1:]
    return value


def table_rows(report: Report) -> dict[str, list[Row]]:
    """The rows of tables 二, 三 and 四 as a reader sees them: header rows, then labelled value rows."""
    fmt = report.format
    s2: list[Row] = []
    for group, (title, header) in _S2_HEADERS[fmt.id.value].items():
        s2 += [[title], header]
        specs = [s for s in fmt.section_cells("s2") if s.key.split(".")[1] == group]
        for row_id in dict.fromkeys(s.key.split(".")[2] for s in specs):
            keys = [s.key for s in specs if s.key.split(".")[2] == row_id]
            s2.append([fmt.cell(keys[0]).path[-2], *(_value(report, k) for k in keys)])
    s3: list[Row] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["", "自然人", "法人或其他组织", "总计"],
        ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    groups_seen: set[str] = set()
    for row_id in fmt.s3_rows:
        path = fmt.cell(f"s3.{row_id}.natural").path[1:-1]
        prefix = [part for part in path[:-1] if part not in groups_seen]
        groups_seen.update(path[:-1])
        s3.append([*prefix, path[-1], *(_value(report, f"s3.{row_id}.{c}") for c in S3_COLUMNS)])
    s4: list[Row] = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        [_value(report, f"s4.{g}.{c}") for g in S4_GROUPS for c in S4_COLUMNS],
    ]
    return {"s2": s2, "s3": s3, "s4": s4}


def _tab(rows: list[Row]) -> str:
    return "\n\n".join("\n".join("\t" + cell for cell in row) for row in rows) + "\n"


def _blank_lines(rows: list[Row]) -> str:
    return "".join("".join(f"{cell}\n\n" if cell else "\n" for cell in row) for row in rows)


def _inline(rows: list[Row]) -> str:
    return "\n".join("    ".join(cell for cell in row if cell) for row in rows) + "\n"


def _lines(rows: list[Row]) -> str:
    return "\n".join("\n".join(row) for row in rows) + "\n"


def _pipes(rows: list[Row]) -> str:
    return "".join("| " + " | ".join(row) + " |\n" for row in rows)


def _tsv(rows: list[Row]) -> str:
    return "".join("\t".join(row) + "\n" for row in rows)


def _run_together(rows: list[Row]) -> str:
    return "".join("".join(row) for row in rows) + " "


LAYOUTS: dict[str, Callable[[list[Row]], str]] = {
    "tab": _tab,
    "blank-lines": _blank_lines,
    "lines": _lines,
    "markdown": _pipes,
    "tsv": _tsv,
    "pdf-rows": _inline,
    "run-together": _run_together,
}


def flatten(report: Report, layout: str) -> str:
    """The whole report as text in one layout."""
    write = LAYOUTS[layout]
    tables = table_rows(report)
    parts = [f"{report.agency}{report.year}年政府信息公开工作年度报告\n"]
    for sid, heading in OFFICIAL_HEADINGS.items():
        parts.append(heading + "\n")
        parts.append(write(tables[sid]) if sid in tables else report.prose(sid) + "\n")
    return "\n".join(parts)
