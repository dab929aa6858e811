"""Raw cell text → the value of one cell, by the cell's kind."""

from __future__ import annotations

import re

from domain.errors import FigureError
from domain.formats import CellKind, CellSpec
from domain.importing.segments import is_blank_cell
from domain.importing.text import is_figure
from domain.values import MAX_WHOLE_DIGITS, CellValue, normalize, parse_money, parse_whole

_COUNT_SUFFIX = re.compile(r"[件个项]$")
UNIT_NOTE = "原文未注明金额单位，按原数字导出"


def read_cell(
    spec: CellSpec, raw: str | None, *, unit_in_header: str | None
) -> tuple[CellValue | None, str | None]:
    """The value and, for money written without a unit, a note saying so. Raises ``FigureError``
    (``FigureRangeError`` for a figure no report holds)."""
    if raw is None:
        return None, None
    plain = raw.strip()
    if is_figure(plain) and spec.kind is not CellKind.MONEY and len(plain) <= MAX_WHOLE_DIGITS:
        return int(plain), None
    if is_blank_cell(plain):
        return None, None
    text = _COUNT_SUFFIX.sub("", normalize(plain))
    if spec.kind is CellKind.MONEY:
        if unit_in_header == "元" and not re.search(r"元$", text):
            text += "元"
        money = parse_money(text, unit_in_header=unit_in_header is not None)
        note = None if money.unit_stated or money.value == 0 else UNIT_NOTE
        return money.value, note
    if "." in text:
        raise FigureError(f"{spec.short_label}：「{raw}」不是整数", key=spec.key)
    return parse_whole(text, negative_allowed=True), None
