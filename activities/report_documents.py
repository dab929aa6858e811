"""Conversions between stored report documents and what the workflow tracks, and the starting draft."""

from __future__ import annotations

from typing import Any

from activities.payloads import CellChange, DraftSnapshot
from domain.document import from_document, to_document
from domain.formats import OFFICIAL_HEADINGS, PROSE_SECTIONS, format_for_year
from domain.report import Report, Section, total
from domain.values import format_value

# 2021 format: 现行有效件数 of last year is where this year's count starts from.
IN_FORCE_SUFFIX = ".in_force"


def snapshot(document: dict[str, Any], revision: int, prefilled: tuple[str, ...] = ()) -> DraftSnapshot:
    report = from_document(document)
    return DraftSnapshot(
        revision=revision,
        format_id=report.format.id.value,
        variant=report.format.variant,
        cells={key: format_value(value) for key, value in report.cells.items() if value is not None},
        prose={sid: report.prose(sid) for sid in PROSE_SECTIONS if report.prose(sid)},
        prefilled=prefilled,
    )


def starting_report(
    *, agency_name: str, year: int, previous: Report | None
) -> tuple[Report, tuple[str, ...]]:
    """A blank draft in the year's format, prefilled from last year's published report where it allows."""
    report = Report.blank(format_for_year(year).value, agency=agency_name, year=year)
    if previous is None:
        return report, ()
    prefilled: list[str] = []
    for key in report.cells:
        source = None
        if key.startswith("s3.carried_in."):
            source = key.replace("s3.carried_in.", "s3.carried_over.", 1)
        elif key.endswith(IN_FORCE_SUFFIX) and previous.format.id == report.format.id:
            source = key
        if source is not None and previous.cells.get(source) is not None:
            report.set_cell(key, previous.cells[source])
            prefilled.append(key)
    return report, tuple(prefilled)


def apply_changes(document: dict[str, Any], changes: tuple[CellChange, ...]) -> dict[str, Any]:
    """The document with changed cells (canonical text, "" = blank) and prose sections replaced."""
    report = from_document(document)
    for change in changes:
        if change.key in PROSE_SECTIONS:
            report.sections.setdefault(change.key, Section(OFFICIAL_HEADINGS[change.key])).text = change.new
        else:
            # A value typed by a person supersedes whatever the importer noted about the old one.
            report.notes.pop(change.key, None)
            report.cells[change.key] = None if not change.new else report.set_cell(change.key, change.new)
    return to_document(report)


def roll_up(government: Report, departments: list[Report]) -> tuple[CellChange, ...]:
    """Sums of the departments' tables for every cell the government's draft still leaves blank."""
    changes: list[CellChange] = []
    for key, value in government.cells.items():
        if value is not None:
            continue
        figures = [
            d.cells[key]
            for d in departments
            if d.format.id == government.format.id and d.cells.get(key) is not None
        ]
        if figures:
            changes.append(CellChange(key, "", format_value(total([f for f in figures if f is not None]))))
    return tuple(changes)
