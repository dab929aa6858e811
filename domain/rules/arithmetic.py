"""``check = "sum"``: two sums of cells must be equal (row and column totals, cross-year carry-over);
``check = "at_most"``: the left sum may not exceed the right one (a part never exceeds its whole).

Blank cells count as 0. Each rule instance becomes one closure over precomputed key tuples, so a check
of a clean report is a few dozen dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from domain.labels import cell_label
from domain.report import Report
from domain.rules.findings import CellRef, Finding
from domain.rules.spec import (
    Binding,
    Check,
    CheckContext,
    CompileContext,
    RuleSpec,
    Term,
    distance,
    expand_template,
    fill,
)
from domain.values import CellValue, format_value

_PREVIOUS_LABEL = "上一年度报告 "
_PROBE = {"left_label": "", "left": "", "right": "", "diff": ""}


@dataclass(frozen=True, slots=True)
class _Side:
    terms: tuple[Term, ...]
    # Terms of last year's report summed over a set: skipped when last year's format lacks them.
    optional_previous: frozenset[str]
    # Set when every term is a plain cell of this year's report: the common case, summed in C.
    plain_keys: tuple[str, ...] | None

    def total(self, ctx: CheckContext) -> CellValue | None:
        """The sum, or None when a required cell of last year's report does not exist in its format."""
        cells = ctx.report.cells
        if self.plain_keys is not None:
            # filter(None, …) drops blanks (counted as 0) and zeros, which add nothing.
            plain: CellValue = sum(filter(None, map(cells.get, self.plain_keys)))
            return plain
        previous = ctx.previous
        result: CellValue = 0
        for term in self.terms:
            if term.previous:
                if previous is None or not previous.format.has(term.key):
                    if term.key in self.optional_previous:
                        continue
                    return None
                value = previous.cells.get(term.key)
            else:
                value = cells.get(term.key)
            if value is not None:
                result = result - value if term.negative else result + value
        return result


def _side(templates: Sequence[str], binding: Binding, ctx: CompileContext) -> _Side | None:
    """The terms of one side, or None when a cell it names directly is not in the format variant."""
    terms: list[Term] = []
    optional: set[str] = set()
    for template in templates:
        expanded, summed = expand_template(template, binding, ctx)
        for term in expanded:
            if term.previous:
                terms.append(term)
                if summed:
                    optional.add(term.key)
            elif ctx.format.has(term.key):
                terms.append(term)
            elif not summed:
                return None
    plain = all(not term.previous and not term.negative for term in terms)
    plain_keys = tuple(term.key for term in terms) if plain else None
    return _Side(tuple(terms), frozenset(optional), plain_keys)


def _cell_refs(report: Report, previous: Report | None, sides: Sequence[_Side]) -> tuple[CellRef, ...]:
    refs: list[CellRef] = []
    for side in sides:
        for term in side.terms:
            source = previous if term.previous else report
            if source is None or not source.format.has(term.key):
                continue
            fmt = source.format
            label = cell_label(term.key, format_id=fmt.id.value, legacy_other_row=fmt.legacy_other_row)
            prefix = _PREVIOUS_LABEL if term.previous else ""
            refs.append((term.display_key, prefix + label, source.cells.get(term.key)))
    return tuple(refs)


def _instance(
    rule: RuleSpec,
    left: _Side,
    right: _Side,
    labels: Mapping[str, str],
    left_label: str,
    subject: str,
    holds: Callable[[CellValue, CellValue], bool],
) -> Check:
    def check(ctx: CheckContext) -> Sequence[Finding]:
        left_total = left.total(ctx)
        right_total = right.total(ctx)
        if left_total is None or right_total is None or holds(left_total, right_total):
            return ()
        actual, expected = format_value(left_total), format_value(right_total)
        values = {
            **labels,
            "left_label": left_label,
            "left": actual,
            "right": expected,
            "diff": format_value(distance(left_total, right_total)),
        }
        return (
            Finding(
                rule_id=rule.id,
                severity=rule.severity,
                message=fill(rule.message, values),
                cells=_cell_refs(ctx.report, ctx.previous, (left, right)),
                expected=expected if holds is _equal else f"不超过{expected}",
                actual=actual,
                subject=subject,
            ),
        )

    return check


def _equal(left: CellValue, right: CellValue) -> bool:
    return left == right


def _at_most(left: CellValue, right: CellValue) -> bool:
    return left <= right


def compile_sum(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    return _compile(rule, ctx, _equal)


def compile_at_most(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    return _compile(rule, ctx, _at_most)


def _compile(
    rule: RuleSpec, ctx: CompileContext, holds: Callable[[CellValue, CellValue], bool]
) -> list[Check]:
    fill(rule.message, {**_PROBE, **dict.fromkeys(rule.for_each, "")})
    checks: list[Check] = []
    for binding in ctx.bindings(rule):
        left = _side(rule.fields["left"], binding, ctx)
        right = _side(rule.fields["right"], binding, ctx)
        if left is None or right is None or not left.terms:
            continue
        first = left.terms[0]
        left_label = (_PREVIOUS_LABEL if first.previous else "") + ctx.label(first.key)
        subject = ".".join(binding.values())
        labels = ctx.binding_labels(binding)
        checks.append(_instance(rule, left, right, labels, left_label, subject, holds))
    return checks
