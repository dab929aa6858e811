"""``check = "prose"``: a figure the prose quotes (共收到申请75件) against the table it summarises.

Conservative on purpose, because a false alarm teaches officers to ignore warnings: a clause that names
a year other than the report's is about another year and is skipped, and when the text quotes several
figures for the same thing, any one of them matching the table is enough.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.rules.findings import Finding
from domain.rules.spec import Check, CheckContext, CompileContext, RuleSpec, distance, expand_template, fill
from domain.values import CellValue, format_value

_YEAR = re.compile(r"(\d{4})年")
_CLAUSE_MARKS = ("。", "；", ";", "！", "？")
_EXCERPT_BEFORE = 24
MAX_QUOTED_DIGITS = 12


@dataclass(frozen=True, slots=True)
class Quote:
    figure: int
    excerpt: str


def _clause_start(text: str, position: int) -> int:
    return max(text.rfind(mark, 0, position) for mark in _CLAUSE_MARKS) + 1


def quotes(text: str, patterns: Sequence[re.Pattern[str]], year: int | None) -> list[Quote]:
    """Every figure the patterns catch in text, skipping clauses about another year."""
    found: list[Quote] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start = _clause_start(text, match.start())
            clause_years = {int(y) for y in _YEAR.findall(text, start, match.start())}
            if year is not None and clause_years - {year}:
                continue
            if len(match.group(1)) > MAX_QUOTED_DIGITS:
                continue  # no count has that many digits; ``int`` would refuse past 4,300 of them
            excerpt = text[max(start, match.start() - _EXCERPT_BEFORE) : match.end()]
            found.append(Quote(int(match.group(1)), excerpt))
    return found


def compile_prose(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"left_label": "", "quoted": "", "table": "", "excerpt": "", "diff": ""})
    patterns = [re.compile(p) for p in rule.fields["patterns"]]
    keys: list[str] = []
    for template in rule.fields["left"]:
        terms, _ = expand_template(template, {}, ctx)
        keys.extend(term.key for term in terms)
    if not all(ctx.format.has(key) for key in keys):
        return []
    section_id: str = rule.fields["section"]
    labels = {key: ctx.label(key) for key in keys}

    def check(run: CheckContext) -> Sequence[Finding]:
        report = run.report
        values = [report.cells.get(key) for key in keys]
        if all(value is None for value in values):
            return ()
        found = quotes(run.prose_text(section_id), patterns, report.year)
        table: CellValue = sum(value for value in values if value is not None)
        if not found or any(quote.figure == table for quote in found):
            return ()
        quote = found[0]
        message = fill(
            rule.message,
            {
                "left_label": labels[keys[0]],
                "quoted": str(quote.figure),
                "table": format_value(table),
                "excerpt": quote.excerpt,
                "diff": format_value(distance(quote.figure, table)),
            },
        )
        return (
            Finding(
                rule_id=rule.id,
                severity=rule.severity,
                message=message,
                cells=tuple((key, labels[key], value) for key, value in zip(keys, values, strict=True)),
                expected=format_value(table),
                actual=str(quote.figure),
            ),
        )

    return [check]
