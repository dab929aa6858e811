"""Errors raised by the report core.

Every message is Chinese and written for the officer or coordinator who will read it::

    NianbaoError                 base of everything the core raises on purpose
    ├── NotAReportError          the input cannot be read as an annual report at all (empty, binary,
    │                            truncated, another kind of document); the CLI exits 2
    ├── AmbiguousReportError     the text allows more than one reading of some cells; carries every
    │                            ambiguity with its candidates, never a silent guess
    ├── FigureError              one value typed or imported for one cell is not acceptable
    │   │                        (not a number, negative count, decimal count, unknown cell)
    │   └── FigureRangeError     a figure no report can hold: more digits than a count has, or money
    │                            that cannot be kept exactly; an import refuses the whole file for it
    └── DocumentError            a structured report document does not match its format's JSON Schema
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class NianbaoError(Exception):
    """Base class: ``str(error)`` is a complete Chinese sentence for the reader."""


class NotAReportError(NianbaoError):
    """The input is not an annual disclosure report that can be read."""


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """One place where the source text allows several readings."""

    cells: tuple[str, ...]
    source: str
    candidates: tuple[tuple[str, ...], ...]

    def describe(self) -> str:
        cells = "、".join(self.cells)
        if not self.candidates:
            return f"「{self.source}」无法确定各格的数字（涉及 {cells}）"
        readings = "；".join("|".join(candidate) for candidate in self.candidates)
        return f"「{self.source}」可有多种读法（{readings}），涉及 {cells}"


class AmbiguousReportError(NianbaoError):
    """Some cells have more than one reading; nothing is guessed."""

    def __init__(self, ambiguities: Sequence[Ambiguity]) -> None:
        self.ambiguities = tuple(ambiguities)
        details = "\n".join(a.describe() for a in self.ambiguities)
        super().__init__(f"报告中有 {len(self.ambiguities)} 处数字无法唯一确定，请人工核对：\n{details}")


class FigureError(NianbaoError):
    """A value for one cell is not acceptable; nothing was changed."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        self.key = key
        super().__init__(message)


class FigureRangeError(FigureError):
    """A figure too long to be a count, or money with more significant digits than can be kept exactly."""


class DocumentError(NianbaoError):
    """A structured report document does not match the JSON Schema of its format."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("报告数据不符合格式要求：" + "；".join(self.problems))
