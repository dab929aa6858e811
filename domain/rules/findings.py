"""What a rule reports: one ``Finding`` per broken rule instance, in words an officer understands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from domain.values import CellValue, format_value

# "ambiguous" (无法确定) is the importer's: the text allows several readings of some cells. It is a
# limit of our reading, not an error of the report, and is counted apart from both.
Severity = Literal["error", "warning", "ambiguous"]

# (key, officer's label, value); keys of last year's report are written "prev:<key>", blank is None.
CellRef = tuple[str, str, CellValue | None]


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    cells: tuple[CellRef, ...] = ()
    expected: str | None = None
    actual: str | None = None
    # Which instance of the rule this is (a column, a section, a cell key); "" for a rule checked once.
    subject: str = ""

    @property
    def key(self) -> str:
        """Names this finding among the report's findings: one acknowledgement explains one key."""
        return f"{self.rule_id}:{self.subject}" if self.subject else self.rule_id

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``nianbao check --json``, storage, workflow payloads); blank cells are null."""
        return {
            "rule_id": self.rule_id,
            "key": self.key,
            "severity": self.severity,
            "message": self.message,
            "cells": [
                {"key": key, "label": label, "value": None if value is None else format_value(value)}
                for key, label, value in self.cells
            ],
            "expected": self.expected,
            "actual": self.actual,
        }
