"""The report document: the JSON form of a ``Report`` that storage, workflows and open data exchange.

``to_document`` and ``from_document`` are exact inverses for every valid report. Money travels as a JSON
number; amounts in 万元 have at most 15 significant digits (6 decimals of 元 ÷ 10000 on any budget), so the
float that ``json`` writes round-trips to the same ``Decimal``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

# jsonschema ships no type information; these are its two public names this module uses.
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

import schemas
from domain.errors import DocumentError
from domain.formats import PROSE_SECTIONS, TABLE_SECTIONS, CellKind, FormatId, report_format
from domain.labels import cell_label
from domain.report import Report, Section
from domain.schema_predicate import Predicate, compile_schema
from domain.values import CellValue, normalize_decimal

_MAX_PROBLEMS = 10


@cache
def validator(format_id: str) -> Draft202012Validator:
    """The reference validator of one format's schema, built once per process; it explains refusals."""
    schema = schemas.report_schema(format_id)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def _accepts(format_id: str) -> Predicate:
    """The same schema compiled into a fast predicate that accepts valid documents."""
    return compile_schema(schemas.report_schema(format_id))


def _cell_value(kind: CellKind, value: int | float | Decimal) -> CellValue:
    """A value the schema accepted, as the report holds it: an int, or a Decimal for money."""
    if kind is CellKind.MONEY:
        return normalize_decimal(value if isinstance(value, Decimal) else Decimal(str(value)))
    return value if type(value) is int else int(value)


def _json_number(value: CellValue | None) -> int | float | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# Heading of a table section whose figures were read although the source lacked its heading.
MISSING_HEADING = ""


def to_document(report: Report) -> dict[str, Any]:
    """The JSON-ready document of a report, valid against ``schemas/report-<format>.schema.json``."""
    fmt = report.format
    sections: dict[str, Any] = {}
    for sid, section in report.sections.items():
        entry: dict[str, Any] = {"heading": section.heading}
        if sid in PROSE_SECTIONS or section.text:
            entry["text"] = section.text
        if sid not in PROSE_SECTIONS:
            entry["cells"] = {
                spec.key: _json_number(report.cells.get(spec.key)) for spec in fmt.section_cells(sid)
            }
        sections[sid] = entry
    for sid in TABLE_SECTIONS:
        figures = {spec.key: _json_number(report.cells.get(spec.key)) for spec in fmt.section_cells(sid)}
        if sid not in sections and any(value is not None for value in figures.values()):
            # The source had the table but not its heading: keep the figures, mark the heading as missing.
            sections[sid] = {"heading": MISSING_HEADING, "cells": figures}
    return {
        "meta": {
            "agency": report.agency,
            "year": report.year,
            "format": fmt.id.value,
            "variant": fmt.variant,
        },
        "sections": sections,
        "notes": dict(report.notes),
    }


def render_json(report: Report) -> str:
    """The document as pretty-printed UTF-8 JSON text (open data, ``nianbao export --json``)."""
    return json.dumps(to_document(report), ensure_ascii=False, indent=2) + "\n"


def _where(error: ValidationError) -> str:
    path = [str(part) for part in error.absolute_path]
    return "/".join(path) if path else "（根）"


def _problem(error: ValidationError, format_id: str) -> str:
    """One schema violation as a sentence an officer can act on."""
    path = list(error.absolute_path)
    where = _where(error)
    if len(path) == 4 and path[2] == "cells":
        key = str(path[3])
        try:
            name = f"{cell_label(key, format_id=format_id)}（{key}）"
        except KeyError:
            name = key
        if error.validator == "minimum":
            return f"{name}为{error.instance}，不能为负数"
        if error.validator == "type":
            return f"{name}的值「{error.instance}」不是允许的数字（件数填整数，金额填数字，空白填 null）"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{where}中有本格式没有的项：{'、'.join(extra)}"
    if error.validator == "required":
        missing = sorted(set(error.schema["required"]) - set(error.instance))
        return f"{where}缺少：{'、'.join(missing)}"
    if error.validator in ("const", "enum"):
        return f"{where}的值「{error.instance}」不正确"
    if error.validator == "type":
        return f"{where}的值类型不正确"
    return f"{where}不符合格式要求（{error.validator}）"


def _format_id(document: Mapping[str, Any]) -> str:
    meta = document.get("meta")
    format_id = meta.get("format") if isinstance(meta, Mapping) else None
    if format_id not in {f.value for f in FormatId}:
        raise DocumentError([f"meta/format 必须是 2019 或 2021，实际为「{format_id}」"])
    return str(format_id)


def validate_document(document: Mapping[str, Any]) -> str:
    """Validate against the format's schema; return the format id or raise ``DocumentError``."""
    if not isinstance(document, Mapping):
        raise DocumentError(["报告数据必须是一个 JSON 对象"])
    format_id = _format_id(document)
    if _accepts(format_id)(document):
        return format_id
    errors = sorted(validator(format_id).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        problems = [_problem(error, format_id) for error in errors[:_MAX_PROBLEMS]]
        if len(errors) > _MAX_PROBLEMS:
            problems.append(f"另有 {len(errors) - _MAX_PROBLEMS} 处问题")
        raise DocumentError(problems)
    return format_id


@cache
def _table_keys(format_id: str, legacy_other_row: bool) -> tuple[tuple[str, ...], frozenset[str]]:
    """Every table cell key of a format variant, and those holding money (computed once)."""
    fmt = report_format(format_id, legacy_other_row=legacy_other_row)
    money = frozenset(spec.key for spec in fmt.table_cells if spec.kind is CellKind.MONEY)
    return tuple(spec.key for spec in fmt.table_cells), money


def from_document(document: Mapping[str, Any]) -> Report:
    """The report a document describes; raises ``DocumentError`` (Chinese) when it is not valid."""
    format_id = validate_document(document)
    meta = document["meta"]
    legacy = meta.get("variant") == "legacy_other"
    fmt = report_format(format_id, legacy_other_row=legacy)
    keys, money = _table_keys(format_id, legacy)
    cells: dict[str, CellValue | None] = dict.fromkeys(keys)
    sections: dict[str, Section] = {}
    doc_sections: Mapping[str, Any] = document.get("sections", {})
    # Document order is kept: a report with its sections out of order is flagged by the rules, not fixed here.
    for sid, entry in doc_sections.items():
        if entry["heading"] != MISSING_HEADING:
            sections[sid] = Section(heading=entry["heading"], text=entry.get("text", ""))
        for key, value in entry.get("cells", {}).items():
            if value is None or (type(value) is int and key not in money):
                cells[key] = value
            else:
                cells[key] = _cell_value(fmt.cell(key).kind, value)
    return Report(
        format=fmt,
        agency=meta["agency"],
        year=meta["year"],
        cells=cells,
        sections=sections,
        notes=dict(document.get("notes", {})),
    )
