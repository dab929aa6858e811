"""The overview as CSV and as .xlsx, with the page's filters applied (every row, not one page)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from io import BytesIO, StringIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from domain.rendering.opendata import spreadsheet_safe
from storage.overview import OverviewRow
from web.clock import CycleDay
from web.pages import STAGE_NAMES, kind_label

HEADER: tuple[str, ...] = (
    "机关代码",
    "机关名称",
    "上级",
    "类型",
    "阶段",
    "完成度%",
    "截止日期",
    "延期至",
    "剩余天数",
    "首次发布日期（流程日）",
)


def export_lines(rows: Iterable[OverviewRow], day: CycleDay) -> Iterable[tuple[str | int | None, ...]]:
    for row in rows:
        deadline = row.effective_deadline
        left = None if deadline is None or row.stage == "published" else (deadline - day.today).days
        yield (
            row.code,
            row.name,
            row.parent_name or "",
            kind_label(row.kind),
            STAGE_NAMES.get(row.stage, row.stage),
            row.percent_complete,
            row.deadline.isoformat() if row.deadline else "",
            row.extended_deadline.isoformat() if row.extended_deadline else "",
            left,
            day.day_of(row.published_at).isoformat() if row.published_at else "",
        )


def overview_csv(rows: Iterable[OverviewRow], day: CycleDay) -> bytes:
    """UTF-8 with a byte-order mark (Excel on Chinese Windows), CRLF lines, no cell ever run as a formula."""
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in export_lines(rows, day):
        writer.writerow(["" if v is None else v if isinstance(v, int) else spreadsheet_safe(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def overview_xlsx(rows: Iterable[OverviewRow], day: CycleDay, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(HEADER))
    for line in export_lines(rows, day):
        sheet.append([_cell(sheet, value) for value in line])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(sheet: object, value: str | int | None) -> object:
    if not isinstance(value, str):
        return value
    # openpyxl stores a string starting with "=" as a formula: force plain text, and neutralise as in CSV.
    cell = WriteOnlyCell(sheet, value=spreadsheet_safe(value))
    cell.data_type = "s"
    return cell
