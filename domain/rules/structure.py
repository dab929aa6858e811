"""Checks on the six sections: ``present``, ``order``, ``heading`` and ``prose_empty``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from domain.formats import OFFICIAL_HEADINGS, SECTION_IDS
from domain.rules.findings import Finding
from domain.rules.spec import Check, CheckContext, CompileContext, RuleSpec, fill

# NFKC folds full-width punctuation into half-width; after it 、 . and ． are the same separator, and
# trailing punctuation (一、总体情况。) is not part of the heading's wording.
_SEPARATORS = str.maketrans({"、": ".", "．": "."})
_IGNORED = re.compile(r"\s+")
_TRAILING = re.compile(r"[.:;,。：；，]+$")


def heading_key(heading: str) -> str:
    """The wording of a heading with whitespace and punctuation variants folded away."""
    folded = unicodedata.normalize("NFKC", heading).translate(_SEPARATORS)
    return _TRAILING.sub("", _IGNORED.sub("", folded))


def _section_ids(rule: RuleSpec, ctx: CompileContext) -> list[str]:
    return [next(iter(binding.values())) for binding in ctx.bindings(rule)]


def _finding(
    rule: RuleSpec, message: str, expected: str | None, actual: str | None, subject: str = ""
) -> Finding:
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        message=message,
        expected=expected,
        actual=actual,
        subject=subject,
    )


def compile_present(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"heading": ""})
    wanted = _section_ids(rule, ctx)

    def check(run: CheckContext) -> Sequence[Finding]:
        sections = run.report.sections
        return [
            _finding(
                rule,
                fill(rule.message, {"heading": OFFICIAL_HEADINGS[sid]}),
                OFFICIAL_HEADINGS[sid],
                None,
                sid,
            )
            for sid in wanted
            if sid not in sections
        ]

    return [check]


def compile_order(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"actual": ""})

    def check(run: CheckContext) -> Sequence[Finding]:
        present = list(run.report.sections)
        official = sorted(present, key=SECTION_IDS.index)
        if present == official:
            return ()
        actual = "、".join(OFFICIAL_HEADINGS[sid].split("、", 1)[0] for sid in present)
        expected = "、".join(OFFICIAL_HEADINGS[sid].split("、", 1)[0] for sid in official)
        return (_finding(rule, fill(rule.message, {"actual": actual}), expected, actual),)

    return [check]


def compile_heading(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"actual": "", "expected": ""})
    official = {
        sid: (OFFICIAL_HEADINGS[sid], heading_key(OFFICIAL_HEADINGS[sid])) for sid in _section_ids(rule, ctx)
    }

    def check(run: CheckContext) -> Sequence[Finding]:
        findings: list[Finding] = []
        for sid, section in run.report.sections.items():
            if sid in official and heading_key(section.heading) != official[sid][1]:
                values = {"actual": section.heading.strip(), "expected": official[sid][0]}
                findings.append(
                    _finding(rule, fill(rule.message, values), values["expected"], values["actual"], sid)
                )
        return findings

    return [check]


def compile_prose_empty(rule: RuleSpec, ctx: CompileContext) -> list[Check]:
    fill(rule.message, {"heading": ""})
    wanted = _section_ids(rule, ctx)

    def check(run: CheckContext) -> Sequence[Finding]:
        sections = run.report.sections
        return [
            _finding(rule, fill(rule.message, {"heading": OFFICIAL_HEADINGS[sid]}), "有内容", "空白", sid)
            for sid in wanted
            if sid in sections and not sections[sid].text.strip()
        ]

    return [check]
