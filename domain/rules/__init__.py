"""The consistency rules of the annual report, evaluated from the data in ``schemas/rules-<format>.toml``."""

from domain.rules.engine import check_report, compiled_rules
from domain.rules.findings import CellRef, Finding, Severity

__all__ = ["CellRef", "Finding", "Severity", "check_report", "compiled_rules"]
