"""Compile each format's rules file once into closures, and run them over a report.

The rules themselves are data in ``schemas/rules-<format>.toml``; this module only maps each ``check``
kind to the function that compiles it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import schemas
from domain.formats import report_format
from domain.report import Report
from domain.rules.arithmetic import compile_at_most, compile_sum
from domain.rules.figures import compile_blank, compile_unit, compile_whole
from domain.rules.findings import Finding
from domain.rules.prose import compile_prose
from domain.rules.spec import Check, CheckContext, CompileContext, RuleSpec, Sets
from domain.rules.structure import compile_heading, compile_order, compile_present, compile_prose_empty

COMPILERS: dict[str, Callable[[RuleSpec, CompileContext], list[Check]]] = {
    "sum": compile_sum,
    "at_most": compile_at_most,
    "whole": compile_whole,
    "unit": compile_unit,
    "blank": compile_blank,
    "present": compile_present,
    "order": compile_order,
    "heading": compile_heading,
    "prose": compile_prose,
    "prose_empty": compile_prose_empty,
}


@dataclass(frozen=True, slots=True)
class CompiledRules:
    """The checks of one format variant, grouped by when they apply."""

    rules: tuple[RuleSpec, ...]
    always: tuple[Check, ...]
    previous: tuple[Check, ...]
    pre_publication: tuple[Check, ...]


def _sets(raw: Mapping[str, Any]) -> Sets:
    return {
        name: dict(members) if isinstance(members, Mapping) else {str(m): str(m) for m in members}
        for name, members in raw.items()
    }


@cache
def compiled_rules(format_id: str, legacy_other_row: bool = False) -> CompiledRules:
    """Parse and compile ``rules-<format>.toml`` for one format variant (once per process)."""
    document = schemas.rules_document(format_id)
    ctx = CompileContext(
        format=report_format(format_id, legacy_other_row=legacy_other_row), sets=_sets(document["sets"])
    )
    rules = tuple(RuleSpec.parse(raw) for raw in document["rule"])
    groups: dict[str, list[Check]] = {"always": [], "previous": [], "pre_publication": []}
    for rule in rules:
        compiler = COMPILERS.get(rule.check)
        if compiler is None:
            raise ValueError(f"rule {rule.id}: unknown check {rule.check!r}")
        groups[rule.when].extend(compiler(rule, ctx))
    return CompiledRules(
        rules=rules,
        always=tuple(groups["always"]),
        previous=tuple(groups["previous"]),
        pre_publication=tuple(groups["pre_publication"]),
    )


def check_report(
    report: Report, *, previous: Report | None = None, pre_publication: bool = False
) -> list[Finding]:
    """Every finding of the report's format rules, errors and warnings in rule-file order."""
    compiled = compiled_rules(report.format.id.value, report.format.legacy_other_row)
    ctx = CheckContext(report=report, previous=previous)
    findings: list[Finding] = []
    for check in compiled.always:
        findings.extend(check(ctx))
    if previous is not None:
        for check in compiled.previous:
            findings.extend(check(ctx))
    if pre_publication:
        for check in compiled.pre_publication:
            findings.extend(check(ctx))
    return findings
