"""Edits to a report document, each parsed and checked once here, and the draft's progress summary.

Pure functions over ``domain``: the activities call them inside their transaction; the workflow replays
cycles started before the draft lived only in storage through ``parse_figures`` and ``document_figures``.
"""

from __future__ import annotations

from typing import Any

from contracts import CellChange, DraftProgress, DraftSnapshot, FormatVariant, ReportFormatRef
from domain.agencies import same_agency
from domain.document import from_document
from domain.errors import FigureError, NianbaoError
from domain.formats import OFFICIAL_HEADINGS, PROSE_SECTIONS, ReportFormat, format_for_year
from domain.report import Report, Section, total
from domain.values import CellValue, format_value, parse_cell

# 2021 format: 现行有效件数 of last year is where this year's count starts from.
IN_FORCE_SUFFIX = ".in_force"
PROSE_LABELS: dict[str, str] = {
    "s1": "一、总体情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}
PROSE_LIMIT = 20000


def format_ref(fmt: ReportFormat) -> ReportFormatRef:
    return ReportFormatRef(fmt.id.value, FormatVariant(fmt.variant))


def progress(report: Report, revision: int) -> DraftProgress:
    """The compact summary the cycle keeps: revision, format with variant, what is filled and missing."""
    table = report.format.table_cells
    missing = tuple(spec.key for spec in table if report.cells.get(spec.key) is None)
    return DraftProgress(
        revision=revision,
        format=format_ref(report.format),
        filled=len(table) - len(missing),
        total=len(table),
        missing=missing,
        missing_prose=report.missing_prose,
    )


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


def parse_figures(fmt: ReportFormat, values: dict[str, str]) -> dict[str, CellValue | None]:
    """Typed figures → values per cell (None: blank), all or nothing; every bad value named in the error."""
    if not values:
        raise FigureError("没有提交任何数字")
    parsed: dict[str, CellValue | None] = {}
    problems: list[str] = []
    for key, text in values.items():
        if not fmt.has(key) or key.startswith("meta."):
            problems.append(f"“{key}”不是{fmt.title}报告中的表格项")
        elif not text.strip():
            parsed[key] = None
        else:
            try:
                parsed[key] = parse_cell(fmt.cell(key), text)
            except NianbaoError as error:
                problems.append(str(error))
    if problems:
        raise FigureError("；".join(problems) + "。未作任何修改")
    return parsed


def check_prose(section: str, text: str) -> None:
    if section not in PROSE_SECTIONS:
        raise FigureError(f"“{section}”不是文字部分，可填写的部分为：{'、'.join(PROSE_LABELS.values())}")
    if len(text) > PROSE_LIMIT:
        raise FigureError(f"文字过长（超过{PROSE_LIMIT}字），请精简后再提交")


TEMPLATE_HINT = "（如只借用其中的数字，请按模板导入）"


def submitted_report(document: dict[str, Any], year: int, agency: str | None = None) -> Report:
    """A whole submitted document as a report (schema checked).

    Refuses a report of another year and, given the cycle's ``agency`` name, of another agency, naming both.
    """
    report = from_document(document)
    if report.year is not None and report.year != year:
        raise FigureError(
            f"提交的报告年度为{report.year}年，与本次{year}年度报告不符，未作任何修改{TEMPLATE_HINT}"
        )
    if agency and report.agency and not same_agency(report.agency, agency):
        raise FigureError(
            f"提交的是“{report.agency}”的报告，与本次“{agency}”的年报不符，未作任何修改{TEMPLATE_HINT}"
        )
    report.year = year
    if agency:
        report.agency = agency
    return report


def template_figures(document: dict[str, Any], fmt: ReportFormat) -> tuple[dict[str, CellValue | None], str]:
    """The filled figures of a report used as a template, for the draft's format, and whose report it is."""
    report = from_document(document)
    figures: dict[str, CellValue | None] = {
        key: value
        for key, value in report.cells.items()
        if value is not None and fmt.has(key) and not key.startswith("meta.")
    }
    if not figures:
        raise FigureError("模板中没有可用的数字，未作任何修改")
    whose = f"{report.agency or '未注明机关'}{f'{report.year}年度' if report.year else ''}报告"
    return figures, whose


def document_figures(
    document: dict[str, Any], year: int
) -> tuple[ReportFormat, dict[str, str], dict[str, str]]:
    """A whole report document → its format, canonical cell texts and prose (cycles tracking cells)."""
    report = submitted_report(document, year)
    cells = {key: format_value(value) for key, value in report.cells.items() if value is not None}
    prose = {sid: report.prose(sid) for sid in PROSE_SECTIONS if report.prose(sid)}
    return report.format, cells, prose


def set_figures(report: Report, figures: dict[str, CellValue | None]) -> tuple[CellChange, ...]:
    """Store parsed figures; a value typed by a person supersedes whatever the importer noted."""
    changes = []
    for key, value in figures.items():
        old = format_value(report.cells.get(key))
        if old != format_value(value):
            changes.append(CellChange(key, old, format_value(value)))
            report.cells[key] = value
            report.notes.pop(key, None)
    return tuple(changes)


def set_prose(report: Report, section: str, text: str) -> tuple[CellChange, ...]:
    old = report.prose(section)
    if old == text:
        return ()
    report.sections.setdefault(section, Section(OFFICIAL_HEADINGS[section])).text = text
    return (CellChange(section, old, text),)


def differences(old: Report, new: Report) -> tuple[CellChange, ...]:
    """What replacing a draft by a whole document changes: table cells (not metadata), then prose."""
    keys = dict.fromkeys([*old.cells, *new.cells])
    return tuple(
        CellChange(key, format_value(old.cells.get(key)), format_value(new.cells.get(key)))
        for key in keys
        if format_value(old.cells.get(key)) != format_value(new.cells.get(key))
    ) + tuple(
        CellChange(sid, old.prose(sid), new.prose(sid))
        for sid in PROSE_SECTIONS
        if old.prose(sid) != new.prose(sid)
    )


def apply_changes(document: dict[str, Any], changes: tuple[CellChange, ...]) -> Report:
    """The document with changed cells (canonical text, "" = blank) and prose sections replaced."""
    report = from_document(document)
    for change in changes:
        if change.key in PROSE_SECTIONS:
            set_prose(report, change.key, change.new)
        else:
            report.notes.pop(change.key, None)
            report.cells[change.key] = None if not change.new else report.set_cell(change.key, change.new)
    return report


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
