"""The parts every check kind shares: a rule as read from the rules file, named sets, cell templates.

A cell template such as ``s3.{outcome}.{col}`` names cells through sets defined in the rules file. The
names in a rule's ``for_each`` are bound once per rule instance; any other name is summed over its set.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.formats import ReportFormat
from domain.labels import cell_label
from domain.report import Report
from domain.rules.findings import Finding, Severity
from domain.values import CellValue

PREVIOUS_PREFIX = "prev:"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# A set maps each member id to the label messages show for it (lists label a member with its id).
Sets = Mapping[str, Mapping[str, str]]
Binding = Mapping[str, str]


@dataclass(slots=True)
class CheckContext:
    """The reports one run of the rules looks at, with per-run caches shared by the checks."""

    report: Report
    previous: Report | None = None
    _prose: dict[str, str] = field(default_factory=dict)

    def prose_text(self, section_id: str) -> str:
        """Prose of a section with all whitespace removed (PDF text breaks lines inside figures and
        words); full-width digits stay, since ``\\d`` and ``int`` read them."""
        text = self._prose.get(section_id)
        if text is None:
            text = self._prose[section_id] = "".join(self.report.prose(section_id).split())
        return text


Check = Callable[[CheckContext], Sequence[Finding]]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One ``[[rule]]`` of a rules file."""

    id: str
    severity: Severity
    check: str
    message: str
    when: str
    for_each: tuple[str, ...]
    fields: Mapping[str, Any]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> RuleSpec:
        severity = raw["severity"]
        if severity not in ("error", "warning"):
            raise ValueError(f"rule {raw['id']}: severity must be error or warning, not {severity!r}")
        when = raw.get("when", "always")
        if when not in ("always", "previous", "pre_publication"):
            raise ValueError(f"rule {raw['id']}: unknown when {when!r}")
        return cls(
            id=raw["id"],
            severity=severity,
            check=raw["check"],
            message=raw["message"],
            when=when,
            for_each=tuple(raw.get("for_each", ())),
            fields=raw,
        )


@dataclass(frozen=True, slots=True)
class CompileContext:
    """What compiling a rule needs to know: the format variant and the named sets of its rules file."""

    format: ReportFormat
    sets: Sets

    def members(self, set_name: str) -> Mapping[str, str]:
        if set_name not in self.sets:
            raise ValueError(f"unknown set {set_name!r} in rules of format {self.format.id.value}")
        return self.sets[set_name]

    def bindings(self, rule: RuleSpec) -> Iterator[dict[str, str]]:
        """One binding (set name → member id) per instance of the rule."""
        names = rule.for_each
        for combo in itertools.product(*(tuple(self.members(name)) for name in names)):
            yield dict(zip(names, combo, strict=True))

    def binding_labels(self, binding: Binding) -> dict[str, str]:
        return {name: self.members(name)[member] for name, member in binding.items()}

    def label(self, key: str) -> str:
        fmt = self.format
        return cell_label(key, format_id=fmt.id.value, legacy_other_row=fmt.legacy_other_row)


@dataclass(frozen=True, slots=True)
class Term:
    """One cell in a sum: ``-`` subtracts it, ``prev:`` reads it from last year's report."""

    key: str
    negative: bool
    previous: bool

    @property
    def display_key(self) -> str:
        return PREVIOUS_PREFIX + self.key if self.previous else self.key


def _substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace the placeholders ``values`` names; leave the others for summing."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def expand_template(template: str, binding: Binding, ctx: CompileContext) -> tuple[list[Term], bool]:
    """The terms a template names under a binding, and whether it was summed over a set."""
    negative = template.startswith("-")
    body = template.removeprefix("-")
    previous = body.startswith(PREVIOUS_PREFIX)
    body = body.removeprefix(PREVIOUS_PREFIX)
    bound = _substitute(body, binding)
    free = _PLACEHOLDER.findall(bound)
    if not free:
        return [Term(bound, negative, previous)], False
    keys: list[Term] = []
    for combo in itertools.product(*(tuple(ctx.members(name)) for name in free)):
        values = dict(zip(free, combo, strict=True))
        keys.append(Term(_substitute(bound, values), negative, previous))
    return keys, True


def distance(a: CellValue, b: CellValue) -> CellValue:
    """How far apart two sums are, for messages (相差6)."""
    difference: CellValue = a - b
    return -difference if difference < 0 else difference


def fill(template: str, values: Mapping[str, object]) -> str:
    """Fill a message template; a name the template uses but the rule does not provide is an error."""
    try:
        return template.format_map(values)
    except KeyError as error:
        raise ValueError(f"message {template!r} uses {error} which this check does not provide") from None
