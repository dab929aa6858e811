"""Report → Markdown: headings, prose, and one pipe table per block of the official form.

Markdown cannot merge cells, so nested headers are flattened into paths: the column 商业企业 under
法人或其他组织 is headed 「法人或其他组织/商业企业」, the row 1.属于国家秘密 is labelled
「三、本年度办理结果/（三）不予公开/1.属于国家秘密」.
"""

from __future__ import annotations

import re

from domain.formats import TABLE_SECTIONS
from domain.rendering.layout import (
    Block,
    report_title,
    section_notes,
    section_paragraphs,
    sections_in_order,
    table_layout,
    value_text,
)
from domain.report import Report

_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_START = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s)")


def render_markdown(report: Report) -> str:
    """The report as Markdown text (CommonMark with GFM pipe tables)."""
    lines = [f"# {_escape(report_title(report))}", ""]
    for section, heading in sections_in_order():
        lines += [f"## {_escape(heading)}", ""]
        for text in section_paragraphs(report, section):
            lines += [_escape_paragraph(text), ""]
        if section in TABLE_SECTIONS:
            for block in table_layout(report.format, section).blocks:
                lines += _block(report, block)
            for note in section_notes(report, section):
                lines += [_escape_paragraph(note), ""]
    return "\n".join(lines)


def _block(report: Report, block: Block) -> list[str]:
    lines = [f"**{_escape(block.title)}**", ""] if block.title else []
    labelled = block.label_columns > 0
    header = [block.corner] if labelled else []
    header += ["/".join(path) for path in block.column_paths]
    alignment = ["---"] if labelled else []
    alignment += ["---:"] * len(block.column_paths)
    lines.append(_pipe_row([_escape(text) for text in header]))
    lines.append(_pipe_row(alignment))
    for path, keys in zip(block.row_paths, block.keys, strict=True):
        row = [_escape("/".join(path))] if labelled else []
        row += [value_text(report, key) for key in keys]
        lines.append(_pipe_row(row))
    lines.append("")
    return lines


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _escape(text: str) -> str:
    return _INLINE_MARKUP.sub(r"\\\1", text)


def _escape_paragraph(text: str) -> str:
    """Escape markup, and a start that Markdown would read as a heading, quote or list item."""
    escaped = _escape(text)
    return "\\" + escaped if _BLOCK_START.match(escaped) else escaped
