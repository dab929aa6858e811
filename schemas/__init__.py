"""The two official report formats as data, and a small cached loader for them.

Files in this folder:

- ``cells.tsv``: every cell of both formats under its canonical key (the export contract).
- ``report-2019.schema.json`` / ``report-2021.schema.json``: JSON Schema (draft 2020-12) of the structured
  report document of each format.
- ``rules-2019.toml`` / ``rules-2021.toml``: every consistency rule of each format, as data that the
  engine in ``domain.rules`` evaluates. Open ``rules-2021.toml`` to read all rules of the 2021 format.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from importlib import resources
from typing import Any

FORMAT_IDS: tuple[str, ...] = ("2019", "2021")


def _text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def cell_rows() -> tuple[tuple[str, str, str, str], ...]:
    """Rows of ``cells.tsv`` as (format, key, label, unit), in file order."""
    lines = _text("cells.tsv").splitlines()
    rows: list[tuple[str, str, str, str]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        fields = line.split("\t")
        fields += [""] * (4 - len(fields))
        rows.append((fields[0], fields[1], fields[2], fields[3]))
    return tuple(rows)


@cache
def report_schema(format_id: str) -> dict[str, Any]:
    """The JSON Schema of the structured report document of one format."""
    _check(format_id)
    schema: dict[str, Any] = json.loads(_text(f"report-{format_id}.schema.json"))
    return schema


@cache
def rules_document(format_id: str) -> dict[str, Any]:
    """The consistency rules of one format, as parsed from ``rules-<format>.toml``."""
    _check(format_id)
    return tomllib.loads(_text(f"rules-{format_id}.toml"))


def _check(format_id: str) -> None:
    if format_id not in FORMAT_IDS:
        raise KeyError(f"unknown report format {format_id!r}; known: {', '.join(FORMAT_IDS)}")
