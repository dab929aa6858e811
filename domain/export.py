"""The ``key<TAB>value`` export: meta lines, then every cell of the report's format in cells.tsv order."""

from __future__ import annotations

from domain.report import Report
from domain.values import format_value


def cell_lines(report: Report) -> list[tuple[str, str]]:
    """(key, value) per line; a blank cell has an empty value, a written 0 is ``0``.

    A 2021 report keeping the single 2019 （六） row lists its seven ``s3.other.*`` cells where the
    21 ``s3.other_*`` cells would stand, because that is the order of its format variant.
    """
    meta = report.meta_values()
    lines = [(key, meta[key]) for key in ("meta.agency", "meta.year", "meta.format")]
    lines.extend((spec.key, format_value(report.cells.get(spec.key))) for spec in report.format.table_cells)
    return lines


def render_cell_lines(report: Report) -> str:
    """The export as text, one ``key<TAB>value`` line per cell."""
    return "".join(f"{key}\t{value}\n" for key, value in cell_lines(report))
