"""Report → a standalone, accessible HTML page.

One ``<h1>`` (the title), one ``<h2>`` per section, prose as ``<p>``, each statistics table with a
``<caption>``, ``<th scope="col">`` / ``<th scope="row">`` headers and ``colspan``/``rowspan`` for the
merged header cells of the official form. No scripts, no external resources; the inline CSS prints on A4.
All text is escaped.
"""

from __future__ import annotations

from html import escape

from domain.formats import TABLE_SECTIONS
from domain.rendering.layout import (
    GridCell,
    TableLayout,
    report_title,
    section_notes,
    section_paragraphs,
    sections_in_order,
    table_layout,
    value_text,
)
from domain.report import Report

_STYLE = """\
body { font-family: "FangSong", "仿宋", "Noto Serif CJK SC", serif; font-size: 16px; line-height: 1.8;
  color: #000; background: #fff; max-width: 60em; margin: 0 auto; padding: 1em; }
h1 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 1.6em; text-align: center; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 1.2em; margin-top: 1.5em; }
p { text-indent: 2em; margin: 0.3em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; font-size: 14px; line-height: 1.4; }
caption { font-weight: bold; padding: 0.3em; }
p.note { text-indent: 0; font-size: 14px; }
th, td { border: 1px solid #000; padding: 0.25em 0.4em; text-align: center; vertical-align: middle; }
th { font-weight: normal; background: #f2f2f2; }
th[scope="row"] { text-align: left; }
td { font-variant-numeric: tabular-nums; }
@page { size: A4; margin: 2cm; }
@media print {
  body { max-width: none; padding: 0; font-size: 12pt; }
  table { font-size: 9pt; }
  th { background: none; }
  thead { display: table-header-group; }
  tr, h2 { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
}
"""


def render_html(report: Report) -> str:
    """The report as one HTML page (UTF-8 text), laid out like its official format."""
    title = escape(report_title(report))
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{title}</h1>",
    ]
    for section, heading in sections_in_order():
        lines.append(f'<section aria-labelledby="{section}">')
        lines.append(f'<h2 id="{section}">{escape(heading)}</h2>')
        lines.extend(f"<p>{escape(text)}</p>" for text in section_paragraphs(report, section))
        if section in TABLE_SECTIONS:
            lines.extend(_table(report, table_layout(report.format, section)))
            lines.extend(f'<p class="note">{escape(note)}</p>' for note in section_notes(report, section))
        lines.append("</section>")
    lines += ["</main>", "</body>", "</html>", ""]
    return "\n".join(lines)


def _table(report: Report, layout: TableLayout) -> list[str]:
    grid = layout.grid()
    lines = ["<table>", f"<caption>{escape(layout.caption)}</caption>"]
    rows = list(grid.rows())
    if grid.header_rows:
        lines.append("<thead>")
        lines.extend(_row(report, row) for row in rows[: grid.header_rows])
        lines.append("</thead>")
    lines.append("<tbody>")
    lines.extend(_row(report, row) for row in rows[grid.header_rows :])
    lines += ["</tbody>", "</table>"]
    return lines


def _row(report: Report, cells: tuple[GridCell, ...]) -> str:
    return "<tr>" + "".join(_cell(report, cell) for cell in cells) + "</tr>"


def _cell(report: Report, cell: GridCell) -> str:
    spans = ""
    if cell.column_span > 1:
        spans += f' colspan="{cell.column_span}"'
    if cell.row_span > 1:
        spans += f' rowspan="{cell.row_span}"'
    if cell.scope:
        return f'<th scope="{cell.scope}"{spans}>{escape(cell.text)}</th>'
    return f"<td{spans}>{escape(value_text(report, cell.key))}</td>"
