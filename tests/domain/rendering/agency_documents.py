"""Word documents and web pages built the way agencies make them, from a report's flattened text.

Test-side only. The example reports 000 and 002 are Word tables flattened to text; these helpers turn
such text back into a Word table (cells with several paragraphs, rows shorter than the table ending in a
cell that spans the rest) or an HTML table, so the importers are checked on documents our renderer did
not write.
"""

from __future__ import annotations

from html import escape
from io import BytesIO

from docx import Document

Rows = list[list[list[str]]]  # rows → cells → lines


def tab_layout_blocks(text: str) -> list[tuple[str, str | Rows]]:
    """Plain lines and tables of a TAB-layout text, in order."""
    blocks: list[tuple[str, str | Rows]] = []
    table: Rows | None = None
    row: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("\t"):
            if table is None:
                table = []
                blocks.append(("table", table))
            if row is None:
                row = []
                table.append(row)
            row.append([line[1:].strip()])
        elif not line.strip():
            row = None
        elif row is not None:
            row[-1].append(line.strip())
        else:
            table = None
            blocks.append(("p", line))
    return blocks


def word_document(blocks: list[tuple[str, str | Rows]]) -> bytes:
    document = Document()
    for _kind, content in blocks:
        if isinstance(content, str):
            document.add_paragraph(content)
            continue
        width = max(len(row) for row in content)
        table = document.add_table(rows=len(content), cols=width)
        for cells, row in zip([row.cells for row in table.rows], content, strict=True):
            if len(row) < width:
                cells[len(row) - 1].merge(cells[width - 1])
            for cell, lines in zip(cells, row, strict=False):
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def web_page(blocks: list[tuple[str, str | Rows]]) -> str:
    """A government web page: a menu and a script before, the report inside a layout table."""
    body: list[str] = []
    for _kind, content in blocks:
        if isinstance(content, str):
            body.append(f"<p>{escape(content)}</p>")
            continue
        body.append('<table border="1" cellspacing="0">')
        for row in content:
            cells = "".join(f"<td>{'<br/>'.join(escape(line) for line in lines)}</td>" for lines in row)
            body.append(f"<tr>{cells}</tr>")
        body.append("</table>")
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政务公开</title>"
        "<script>var 三、收到和处理政府信息公开申请情况 = '<td>9</td>';</script>"
        "<style>td { color: red }</style></head><body>"
        "<div class=nav><ul><li>首页</li><li>政务公开</li></ul></div>"
        "<table width=100%><tr><td class=frame>" + "\n".join(body) + "</td></tr></table></body></html>"
    )
