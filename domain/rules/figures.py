"""Checks on single cells: whole numbers (``whole``), money without a unit (``unit``), blanks (``blank``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from domain.formats import OFFICIAL_HEADINGS, CellKind
from domain.rules.findings import Finding
from domain.rules.spec import Check, CheckContext, CompileContext, RuleSpec, fill
from domain.values import format_value

_LISTED_BLANKS = 8


def _keys_of_kinds(rule: RuleSpec, ctx: CompileContext) -> tuple[str, ...]:
    kinds = {CellKind(kind) for kind in rule.fields["kinds"]}
    return tuple(spec.key for spec in ctx.format.table_cells if spec.kind in kinds)


def compile_whole(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"label": "", "value": ""})
    keys = _keys_of_kinds(rule, ctx)
    minimum = rule.fields.get("minimum")
    labels = {key: ctx.label(key) for key in keys}

    floor = minimum if minimum is not None else -math.inf

    def bad(value: object) -> bool:
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return value < floor
        return type(value) is not int or value < floor

    def check(ctx: CheckContext) -> Sequence[Finding]:
        cells = ctx.report.cells
        findings: list[Finding] = []
        for key, value in zip(keys, map(cells.get, keys), strict=True):
            # Nearly every value is a plain int in range: test that first, in one expression.
            if value is None or (type(value) is int and value >= floor):
                continue
            if bad(value):
                shown = format_value(value) if isinstance(value, int | Decimal) else str(value)
                findings.append(
                    Finding(
                        rule_id=rule.id,
                        severity=rule.severity,
                        message=fill(rule.message, {"label": labels[key], "value": shown}),
                        cells=((key, labels[key], value),),
                        expected="不小于0的整数" if minimum == 0 else "整数",
                        actual=shown,
                        subject=key,
                    )
                )
        return findings

    return [check]


def compile_unit(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"label": "", "value": ""})
    keys = frozenset(_keys_of_kinds(rule, ctx))

    def check(run: CheckContext) -> Sequence[Finding]:
        report = run.report
        findings: list[Finding] = []
        for key in report.notes:
            if key in keys:
                value = report.cells.get(key)
                label = ctx.label(key)
                findings.append(
                    Finding(
                        rule_id=rule.id,
                        severity=rule.severity,
                        message=fill(rule.message, {"label": label, "value": format_value(value)}),
                        cells=((key, label, value),),
                        expected="注明单位（万元）",
                        actual=report.notes[key],
                        subject=key,
                    )
                )
        return findings

    return [check]


def compile_blank(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"heading": "", "count": "", "labels": ""})
    checks: list[Check] = []
    for binding in ctx.bindings(rule):
        section_id = next(iter(binding.values()))
        keys = tuple(spec.key for spec in ctx.format.section_cells(section_id))
        labels = {key: ctx.label(key) for key in keys}
        checks.append(_blank_check(rule, section_id, keys, labels))
    return checks


def _blank_check(rule: RuleSpec, section_id: str, keys: tuple[str, ...], labels: dict[str, str]) -> Check:
    heading = OFFICIAL_HEADINGS[section_id]

    def check(ctx: CheckContext) -> Sequence[Finding]:
        cells = ctx.report.cells
        blanks = [key for key in keys if cells.get(key) is None]
        if not blanks:
            return ()
        listed = "、".join(labels[key] for key in blanks[:_LISTED_BLANKS])
        if len(blanks) > _LISTED_BLANKS:
            listed += f"等{len(blanks)}项"
        values = {"heading": heading, "count": str(len(blanks)), "labels": listed}
        return (
            Finding(
                rule_id=rule.id,
                severity=rule.severity,
                message=fill(rule.message, values),
                cells=tuple((key, labels[key], None) for key in blanks),
                expected="已填写",
                actual="空白",
                subject=section_id,
            ),
        )

    return check
