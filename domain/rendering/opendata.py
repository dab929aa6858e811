"""Report → open-data CSV: one line per cell, keyed as in ``cells.tsv``."""

from __future__ import annotations

import csv
import re
from io import StringIO

from domain.export import cell_lines
from domain.report import Report

CSV_HEADER: tuple[str, ...] = ("key", "label", "unit", "value")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it but never runs it: a leading ``'`` before a would-be formula.

    Plain numbers (``-3``, ``+2.5``) stay numbers.
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def render_csv(report: Report) -> str:
    """The cells as CSV: header ``key,label,unit,value``, then every cell in ``cells.tsv`` order, meta first.

    Values are written as the export writes them (blank cells empty, money in 万元). The text starts with
    U+FEFF, so written with ``encoding="utf-8"`` the file carries the UTF-8 byte-order mark that Excel
    needs to show Chinese correctly; lines end in CRLF as RFC 4180 asks.
    """
    values = dict(cell_lines(report))
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for spec in report.format.cells:
        writer.writerow(
            tuple(spreadsheet_safe(text) for text in (spec.key, spec.label, spec.unit, values[spec.key]))
        )
    return "\ufeff" + buffer.getvalue()
