"""Synthetic reports in the shapes real publishers produce (issue 11), written from any report's figures.

Each writer copies the shape of a layout met in the wild, never its text or figures:

- ``crawler_lines``: an HTML table flattened by a crawler, one cell per line, an empty line for every
  blank cell and nothing else between cells (the example 104's sibling pages);
- ``one_line``: the whole report on one line (crawler text): a metadata header, headings inline after a
  full stop and a space, cells spaced but a zero run into the next figure (``1 0 0 0 0 01``), page text
  between the rows of table 二, table 四's header running into its figures;
- ``ocr_markdown``: Markdown converted from a PDF by OCR: ``#`` headings, pipe tables split per row group,
  an inserted header row whose column labels are wrong, rows out of order, table 四 as three tables.
"""

from __future__ import annotations

from itertools import pairwise

from domain.formats import OFFICIAL_HEADINGS, S3_COLUMNS, S4_COLUMNS, S4_GROUPS
from domain.report import Report
from tests.domain.importing.flattening import _value, flatten, table_rows

PAGE_TEXT = (
    "（二）主动公开政府信息的主要类别本年度在主动公开的86条政府信息中，政策解读共12条，工作动态共31条。"
)
WRONG_HEADER = "| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |"


def crawler_lines(report: Report) -> str:
    return flatten(report, "lines")


def one_line(report: Report) -> str:
    tables = table_rows(report)
    parts = [f"{report.agency}{report.year}年度 政府信息公开工作年度报告"]
    for sid, heading in OFFICIAL_HEADINGS.items():
        parts.append(heading)
        if sid == "s2":
            parts.append(_one_line_s2(tables["s2"]))
        elif sid == "s3":
            parts.append("".join(_spaced_row(row) for row in tables["s3"]))
        elif sid == "s4":
            *headers, values = tables["s4"]
            parts.append("".join("".join(row) for row in headers) + " " + _fused(values))
        else:
            parts.append(report.prose(sid))
    body = " ".join(parts)
    return f"标题: {report.agency}{report.year}年度 政府信息公开工作年度报告\n发布时间: 2024-01-05 10:14\n==== 正文 ====\n{body}\n"


def _one_line_s2(rows: list[list[str]]) -> str:
    text = ""
    for row in rows:
        text += (
            "".join(row) if len(row) == 1 or not any(c[:1].isdigit() for c in row[1:]) else _spaced_row(row)
        )
        if row[0] == "行政许可":
            text += " " + PAGE_TEXT + " "
    return text


def _spaced_row(row: list[str]) -> str:
    """Label run into its figures; figures spaced, except a 0 run into the figure after it."""
    label = "".join(c for c in row if c and not (c[0].isdigit() or c.startswith("减")))
    figures = [c for c in row if c and (c[0].isdigit() or c.startswith("减"))]
    if not figures:
        return label
    # Publishers who run figures into their label write every cell (a blank would leave no trace, and
    # the importer reads such a packed run as every cell written); a row with blanks stands apart.
    written = len(figures) == len(row) - len([c for c in row if c and not (c[0].isdigit() or c.startswith("减"))])
    return label + (_fused(figures) if written else " " + " ".join(figures)) + " "


def _fused(figures: list[str]) -> str:
    text = figures[0]
    for before, figure in pairwise(figures):
        text += figure if before == "0" and figure.isdigit() else " " + figure
    return text


def ocr_markdown(report: Report) -> str:
    tables = table_rows(report)
    lines = [f"# {report.agency} {report.year} 年 政府信息公开工作年度报告", "", f"{report.agency}", ""]
    for sid, heading in OFFICIAL_HEADINGS.items():
        lines += [f"## {heading}", ""]
        if sid == "s2":
            lines += _markdown_s2(tables["s2"])
        elif sid == "s3":
            lines += _markdown_s3(report)
        elif sid == "s4":
            lines += _markdown_s4(report)
        else:
            lines += [report.prose(sid), ""]
    return "\n".join(lines) + "\n"


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _markdown_s2(rows: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for row in rows:
        if len(row) == 1:
            lines += ["", f"### {row[0]}"]
        elif row[0] == "信息内容":
            lines += [_pipe(row), _pipe(["---"] * len(row))]
        else:
            lines.append(_pipe(row))
    return [*lines, ""]


def _markdown_s3(report: Report) -> list[str]:
    fmt = report.format
    header = _pipe(["类别", *(f"数据{i}" for i in range(1, 7)), "总计"])
    rule = _pipe(["---"] * 8)
    lines = ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", ""]
    lines += ["### 申请人情况 (自然人)", "| (数据项目) | 数量 |", "|---|---|", "| - | - |", ""]
    groups: dict[str, list[str]] = {}
    for row in fmt.s3_rows:
        path = fmt.cell(f"s3.{row}.natural").path
        group = path[-3] if len(path) > 4 else path[-2]
        values = [_value(report, f"s3.{row}.{c}") for c in S3_COLUMNS]
        groups.setdefault(group, []).append(_pipe([path[-2], *values]))
    ordered = list(groups.items())
    ordered[-2:] = ordered[:-3:-1]  # 四、结转下年度 printed before （七）总计
    for number, (group, rows) in enumerate(ordered):
        if len(rows) > 2:
            rows = [rows[0], rows[-1], *rows[1:-1]]  # out of order, as OCR reassembles a page
        if number == len(groups) - 3 and len(rows) > 1:
            rows = [rows[0], WRONG_HEADER, *rows[1:]]
        lines += [f"### {group}", header, rule, *rows, ""]
    return lines


def _markdown_s4(report: Report) -> list[str]:
    lines: list[str] = []
    for group, title in zip(
        S4_GROUPS, ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"), strict=True
    ):
        lines += [
            f"### {title}",
            _pipe(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]),
            _pipe(["---"] * 5),
        ]
        lines += [_pipe([_value(report, f"s4.{group}.{c}") for c in S4_COLUMNS]), ""]
    return lines
