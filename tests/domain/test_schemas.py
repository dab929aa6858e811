"""The committed JSON Schemas are exactly what ``python -m schemas.build`` makes from cells.tsv."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import schemas
from schemas import build

SCHEMA_DIR = Path(schemas.__file__).resolve().parent


@pytest.mark.parametrize("format_id", schemas.FORMAT_IDS)
def test_committed_schema_is_regenerated_identically(format_id: str) -> None:
    committed = (SCHEMA_DIR / f"report-{format_id}.schema.json").read_text(encoding="utf-8")
    assert committed == build.schema_text(format_id), "run `python -m schemas.build` and commit the result"


@pytest.mark.parametrize("format_id", schemas.FORMAT_IDS)
def test_schema_is_a_valid_draft_2020_12_schema_naming_every_cell(format_id: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"report-{format_id}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    keys = [key for fmt, key, _, _ in schemas.cell_rows() if fmt == format_id and not key.startswith("meta.")]
    named = [
        key
        for section in ("s2", "s3", "s4")
        for key in schema["$defs"][f"{section}_section"]["properties"]["cells"]["properties"]
    ]
    assert named == keys
