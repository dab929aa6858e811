"""Generate ``report-<format>.schema.json`` from ``cells.tsv``: run ``python -m schemas.build``.

The schemas are committed; ``tests/schemas/test_build.py`` fails when they drift from ``cells.tsv``.
This module cannot use ``domain.formats`` (``domain`` depends on ``schemas``, not the other way round),
so it reads the cell kinds from the units itself, with the same rule: 万元 is money, ``*.change`` may be
negative, everything else is a count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import schemas

SCHEMA_DIR = Path(__file__).resolve().parent
SECTION_IDS: tuple[str, ...] = ("s1", "s2", "s3", "s4", "s5", "s6")
TABLE_SECTIONS: tuple[str, ...] = ("s2", "s3", "s4")
LEGACY_OTHER_ROWS: tuple[str, ...] = ("other_no_correction", "other_no_fee", "other_misc")
VARIANTS: dict[str, tuple[str, ...]] = {"2019": ("standard",), "2021": ("standard", "legacy_other")}

Cell = tuple[str, str, str]  # key, label, unit


def _cells(format_id: str) -> list[Cell]:
    return [(key, label, unit) for fmt, key, label, unit in schemas.cell_rows() if fmt == format_id]


def _legacy_s3(format_id: str) -> list[Cell]:
    """Table 三 of the 2021 variant that keeps the single 2019 （六）其他处理 row, in table order."""
    cells = [c for c in _cells(format_id) if c[0].startswith("s3.")]
    single_row = [c for c in _cells("2019") if c[0].startswith("s3.other.")]
    first = next(i for i, c in enumerate(cells) if c[0].split(".")[1] in LEGACY_OTHER_ROWS)
    kept = [c for c in cells if c[0].split(".")[1] not in LEGACY_OTHER_ROWS]
    return kept[:first] + single_row + kept[first:]


def _value_schema(key: str, label: str, unit: str) -> dict[str, Any]:
    if unit == "万元":
        return {"title": label, "type": ["number", "null"], "minimum": 0}
    if key.endswith(".change"):
        return {"title": label, "type": ["integer", "null"]}
    return {"title": label, "type": ["integer", "null"], "minimum": 0}


def _table_section(cells: list[Cell]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["heading", "cells"],
        "additionalProperties": False,
        "properties": {
            "heading": {"type": "string"},
            "text": {"type": "string"},
            "cells": {
                "type": "object",
                "required": [key for key, _, _ in cells],
                "additionalProperties": False,
                "properties": {key: _value_schema(key, label, unit) for key, label, unit in cells},
            },
        },
    }


def _prose_section() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["heading"],
        "additionalProperties": False,
        "properties": {"heading": {"type": "string"}, "text": {"type": "string"}},
    }


def _variant_is_legacy() -> dict[str, Any]:
    return {
        "properties": {
            "meta": {"properties": {"variant": {"const": "legacy_other"}}, "required": ["variant"]}
        }
    }


def report_schema(format_id: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the report document of one format."""
    cells = _cells(format_id)
    by_section = {sid: [c for c in cells if c[0].startswith(f"{sid}.")] for sid in TABLE_SECTIONS}
    defs: dict[str, Any] = {"prose_section": _prose_section()}
    section_refs: dict[str, Any] = {}
    for sid in SECTION_IDS:
        if sid in TABLE_SECTIONS:
            defs[f"{sid}_section"] = _table_section(by_section[sid])
            section_refs[sid] = {"$ref": f"#/$defs/{sid}_section"}
        else:
            section_refs[sid] = {"$ref": "#/$defs/prose_section"}
    note_keys = [key for key, _, _ in cells if not key.startswith("meta.")]
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://nianbao.example/schemas/report-{format_id}.schema.json",
        "title": f"政府信息公开工作年度报告（{format_id}年格式）",
        "description": "Generated from cells.tsv by `python -m schemas.build`; do not edit by hand.",
        "type": "object",
        "required": ["meta"],
        "additionalProperties": False,
        "properties": {
            "meta": {
                "type": "object",
                "required": ["agency", "year", "format"],
                "additionalProperties": False,
                "properties": {
                    "agency": {"type": "string"},
                    "year": {"type": ["integer", "null"], "minimum": 2000, "maximum": 2100},
                    "format": {"const": format_id},
                    "variant": {"enum": list(VARIANTS[format_id])},
                },
            },
            "sections": {"type": "object", "additionalProperties": False, "properties": section_refs},
            "notes": {
                "type": "object",
                "propertyNames": {"enum": note_keys},
                "additionalProperties": {"type": "string"},
            },
        },
        "$defs": defs,
    }
    if "legacy_other" in VARIANTS[format_id]:
        legacy = _legacy_s3(format_id)
        defs["s3_legacy_section"] = _table_section(legacy)
        note_keys.extend(key for key, _, _ in legacy if key not in note_keys)
        schema["if"] = _variant_is_legacy()
        schema["then"] = {
            "properties": {"sections": {"properties": {"s3": {"$ref": "#/$defs/s3_legacy_section"}}}}
        }
        section_refs["s3"] = {"type": "object"}
        schema["else"] = {"properties": {"sections": {"properties": {"s3": {"$ref": "#/$defs/s3_section"}}}}}
    return schema


def schema_text(format_id: str) -> str:
    return json.dumps(report_schema(format_id), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    for format_id in schemas.FORMAT_IDS:
        path = SCHEMA_DIR / f"report-{format_id}.schema.json"
        path.write_text(schema_text(format_id), encoding="utf-8")
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
